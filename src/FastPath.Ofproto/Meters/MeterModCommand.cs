namespace FastPath.Ofproto.Meters;

/// <summary>OpenFlow 1.3's meter-mod commands, with their <c>OFPMC_*</c> values.</summary>
public enum MeterModCommand : ushort
{
    /// <summary>OFPMC_ADD: a new meter.</summary>
    Add = 0,

    /// <summary>OFPMC_MODIFY: new flags and bands for an existing meter.</summary>
    Modify = 1,

    /// <summary>OFPMC_DELETE: a meter, or every meter (<see cref="OpenFlow.Meters.OfMeterIds.All"/>), and the rules that use it.</summary>
    Delete = 2,
}
