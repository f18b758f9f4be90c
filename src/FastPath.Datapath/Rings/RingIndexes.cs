using System.Runtime.InteropServices;

namespace FastPath.Datapath.Rings;

/// <summary>Producer fields and consumer fields on separate 64-byte lines, padded away from neighbours.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct RingIndexes
{
    [FieldOffset(64)] public long Tail;
    [FieldOffset(72)] public long CachedHead;
    [FieldOffset(128)] public long Head;
    [FieldOffset(136)] public long CachedTail;
}
