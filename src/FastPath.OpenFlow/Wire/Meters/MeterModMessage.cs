using FastPath.OpenFlow.Meters;

namespace FastPath.OpenFlow.Wire.Meters;

/// <summary>OFPT_METER_MOD: a change to the meter table (OpenFlow 1.3+; Open vSwitch has no meters on 1.0).</summary>
/// <param name="Command">What to do.</param>
/// <param name="Meter">The meter (for a delete, only its id).</param>
public sealed record MeterModMessage(OfMeterModCommand Command, OfMeterConfig Meter) : OfMessage;

/// <summary>Meter-mod commands (OFPMC_*).</summary>
public enum OfMeterModCommand : ushort
{
    /// <summary>OFPMC_ADD.</summary>
    Add = 0,
    /// <summary>OFPMC_MODIFY.</summary>
    Modify = 1,
    /// <summary>OFPMC_DELETE.</summary>
    Delete = 2,
}

/// <summary>A meter-features reply: what the switch's meters can do.</summary>
/// <param name="MaxMeter">Highest meter id.</param>
/// <param name="BandTypes">Bitmap of band types (1 &lt;&lt; OFPMBT_*).</param>
/// <param name="Capabilities">Bitmap of OFPMF_* flags supported.</param>
/// <param name="MaxBands">Most bands per meter.</param>
/// <param name="MaxColor">Most colour values.</param>
public sealed record OfMeterFeatures(uint MaxMeter, uint BandTypes, uint Capabilities, byte MaxBands, byte MaxColor);
