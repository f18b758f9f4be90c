namespace FastPath.OpenFlow.Meters;

/// <summary>What one meter band did: the packets and bytes over its rate.</summary>
/// <param name="Packets">Packets the band applied to (for a drop band: dropped).</param>
/// <param name="Bytes">Bytes of those packets.</param>
public readonly record struct OfMeterBandStats(ulong Packets, ulong Bytes);
