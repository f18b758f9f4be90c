namespace FastPath.Datapath.Meters;

/// <summary>One band of a meter: over <paramref name="Rate"/> (in the meter's unit), packets get <paramref name="Type"/>.</summary>
/// <param name="Type">What happens to a packet over the rate; only <see cref="MeterBandType.Drop"/> is supported.</param>
/// <param name="Rate">Kilobits per second or packets per second, as the meter's flags say; at least 1.</param>
/// <param name="BurstSize">
/// Kilobits or packets the band lets through at once above the rate; used when the meter has
/// <see cref="MeterFlags.Burst"/> and it is not 0, otherwise the bucket holds one second of the rate (as Open vSwitch).
/// </param>
public readonly record struct MeterBand(MeterBandType Type, uint Rate, uint BurstSize = 0);
