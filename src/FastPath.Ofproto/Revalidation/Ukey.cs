using FastPath.Datapath.Flows;
using FastPath.Ofproto.Upcalls;
using FastPath.Packets;

namespace FastPath.Ofproto.Revalidation;

/// <summary>
/// The slow path's record of one installed megaflow (Open vSwitch's udpif_key): how it was made, so it can be
/// made again and compared when the tables change, and what its counters said last time.
/// </summary>
public sealed class Ukey
{
    private FlowMatch megaflow;

    /// <summary>The installed megaflow.</summary>
    public required FlowMatch Megaflow
    {
        get => megaflow;
        set => megaflow = value;
    }

    /// <summary>The megaflow in place, for hashing and comparing without copying its 256 bytes.</summary>
    internal ref readonly FlowMatch MegaflowRef => ref megaflow;

    /// <summary>The key of the packet whose miss made it: what is translated again on revalidation.</summary>
    public required FlowKey Key { get; set; }

    /// <summary>Its datapath actions.</summary>
    public required byte[] Actions { get; set; }

    /// <summary>What its traffic is credited to.</summary>
    public IReadOnlyList<IFlowStatsSink>? Credited { get; set; }

    /// <summary>The translator's version it was made (or last revalidated) under.</summary>
    public long Version { get; set; }

    /// <summary>Packets the datapath had counted at the last dump.</summary>
    public long Packets { get; set; }

    /// <summary>Bytes the datapath had counted at the last dump.</summary>
    public long Bytes { get; set; }

    /// <summary>When it was installed or last saw traffic (Stopwatch ticks).</summary>
    public long LastActiveTicks { get; set; }

    /// <summary>When it was put on the PMD (Stopwatch ticks): a dump that began earlier may not show it yet.</summary>
    public long InstalledTicks { get; set; }

    /// <summary>The dump pass that last found it in the datapath.</summary>
    internal long SeenPass { get; set; }

    /// <summary>Back to a blank record, for <see cref="UkeyTable.Rent"/>.</summary>
    internal void Clear()
    {
        Megaflow = default;
        Key = default;
        Actions = [];
        Credited = null;
        Version = 0;
        Packets = 0;
        Bytes = 0;
        LastActiveTicks = 0;
        InstalledTicks = 0;
        SeenPass = 0;
    }
}
