using System.Runtime.InteropServices;

namespace FastPath.Datapath.Emc;

/// <summary>
/// The small half of an EMC entry: kept apart from the 128-byte keys so a miss on the hash costs one
/// 16-byte read (four entries per cache line).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct EmcSlot
{
    /// <summary>Full hash of the cached key.</summary>
    public uint Hash;

    /// <summary>Megaflow id, or -1 for an empty entry.</summary>
    public int FlowId;

    /// <summary>The megaflow's generation when the entry was made.</summary>
    public uint Generation;
}
