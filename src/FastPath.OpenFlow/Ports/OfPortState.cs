namespace FastPath.OpenFlow.Ports;

/// <summary>A port's physical state (OFPPS_*, OpenFlow 1.3 numbering).</summary>
[Flags]
public enum OfPortState : uint
{
    /// <summary>Link up, not blocked, not (yet) live.</summary>
    None = 0,

    /// <summary>OFPPS_LINK_DOWN: no physical link.</summary>
    LinkDown = 1 << 0,

    /// <summary>OFPPS_BLOCKED: blocked (for fast failover, as STP would).</summary>
    Blocked = 1 << 1,

    /// <summary>OFPPS_LIVE: usable by fast-failover groups.</summary>
    Live = 1 << 2,
}
