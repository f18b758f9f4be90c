namespace FastPath.OpenFlow.Groups;

/// <summary>An OpenFlow group's type (OFPGT_*), with the numbers the protocol gives them.</summary>
public enum GroupType : byte
{
    /// <summary>OFPGT_ALL: every bucket runs, each on its own copy of the packet (multicast, flooding).</summary>
    All = 0,

    /// <summary>OFPGT_SELECT: one live bucket, chosen by a hash of the flow and the buckets' weights.</summary>
    Select = 1,

    /// <summary>OFPGT_INDIRECT: the one bucket (a shared next hop that many rules point at).</summary>
    Indirect = 2,

    /// <summary>OFPGT_FF: the first live bucket, by its watch port or watch group (fast failover).</summary>
    FastFailover = 3,
}
