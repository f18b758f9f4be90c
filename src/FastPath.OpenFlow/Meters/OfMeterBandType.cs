namespace FastPath.OpenFlow.Meters;

/// <summary>A meter band's type, with OpenFlow 1.3's <c>OFPMBT_*</c> values (other values are kept as they came).</summary>
public enum OfMeterBandType : ushort
{
    /// <summary>OFPMBT_DROP: drop packets over the rate.</summary>
    Drop = 1,

    /// <summary>OFPMBT_DSCP_REMARK: raise the drop precedence of the DSCP of packets over the rate.</summary>
    DscpRemark = 2,

    /// <summary>OFPMBT_EXPERIMENTER.</summary>
    Experimenter = 0xffff,
}
