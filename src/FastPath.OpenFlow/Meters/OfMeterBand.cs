namespace FastPath.OpenFlow.Meters;

/// <summary>One band of an OpenFlow meter.</summary>
/// <param name="Type">What happens to packets over <paramref name="Rate"/>.</param>
/// <param name="Rate">In kilobits or packets per second, as the meter's flags say.</param>
/// <param name="BurstSize">In kilobits or packets; meaningful only with <see cref="OfMeterFlags.Burst"/>.</param>
/// <param name="PrecLevel">How much a <see cref="OfMeterBandType.DscpRemark"/> band raises the drop precedence; 0 for other bands.</param>
public readonly record struct OfMeterBand(OfMeterBandType Type, uint Rate, uint BurstSize = 0, byte PrecLevel = 0);
