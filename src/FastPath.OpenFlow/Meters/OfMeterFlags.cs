namespace FastPath.OpenFlow.Meters;

/// <summary>A meter's flags, with OpenFlow 1.3's <c>OFPMF_*</c> values.</summary>
[Flags]
public enum OfMeterFlags : ushort
{
    /// <summary>No flag (not a valid meter: it needs one of <see cref="Kbps"/> and <see cref="Pktps"/>).</summary>
    None = 0,

    /// <summary>OFPMF_KBPS: rates in kilobits per second, bursts in kilobits.</summary>
    Kbps = 1,

    /// <summary>OFPMF_PKTPS: rates in packets per second, bursts in packets.</summary>
    Pktps = 2,

    /// <summary>OFPMF_BURST: use the bands' burst sizes.</summary>
    Burst = 4,

    /// <summary>OFPMF_STATS: collect statistics.</summary>
    Stats = 8,
}
