namespace FastPath.OpenFlow.Meters;

/// <summary>One meter's statistics, as a meter-stats reply (<c>ovs-ofctl meter-stats</c>) carries them.</summary>
/// <param name="MeterId">The meter.</param>
/// <param name="FlowCount">Rules that use the meter.</param>
/// <param name="PacketInCount">Packets that entered the meter, over its rate or not.</param>
/// <param name="ByteInCount">Bytes of those packets.</param>
/// <param name="DurationSeconds">Whole seconds since the meter was added.</param>
/// <param name="DurationNanoseconds">The rest of the duration.</param>
/// <param name="Bands">Per band, in the meter's order.</param>
public sealed record OfMeterStats(
    uint MeterId,
    uint FlowCount,
    ulong PacketInCount,
    ulong ByteInCount,
    uint DurationSeconds,
    uint DurationNanoseconds,
    IReadOnlyList<OfMeterBandStats> Bands);
