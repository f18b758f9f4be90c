namespace FastPath.Datapath.Meters;

/// <summary>How a meter measures, with OpenFlow 1.3's <c>OFPMF_*</c> values.</summary>
[Flags]
public enum MeterFlags : ushort
{
    /// <summary>No flag: not a valid meter on its own (one of <see cref="Kbps"/> and <see cref="Pktps"/> is needed).</summary>
    None = 0,

    /// <summary>Rates and bursts in kilobits per second and kilobits, counted on whole Ethernet frames.</summary>
    Kbps = 1,

    /// <summary>Rates and bursts in packets per second and packets.</summary>
    Pktps = 2,

    /// <summary>Use each band's burst size; without it a band's bucket holds one second of its rate.</summary>
    Burst = 4,

    /// <summary>Keep statistics. The datapath always counts; the flag is kept for the slow path to report.</summary>
    Stats = 8,
}
