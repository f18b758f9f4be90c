namespace FastPath.Datapath.Meters;

/// <summary>What a meter band does to a packet over its rate, with OpenFlow 1.3's <c>OFPMBT_*</c> values.</summary>
public enum MeterBandType : ushort
{
    /// <summary>Drop the packet.</summary>
    Drop = 1,

    /// <summary>
    /// Raise the drop precedence of the DSCP. Open vSwitch's userspace datapath refuses such bands, and so
    /// does this one (<see cref="MeterTable.Set"/> throws <see cref="NotSupportedException"/>).
    /// </summary>
    DscpRemark = 2,
}
