namespace FastPath.Datapath.Meters;

/// <summary>What one band of a meter did: packets and bytes it dropped.</summary>
/// <param name="Packets">Packets this band dropped (each dropped packet is counted on one band, the exceeded one with the highest rate).</param>
/// <param name="Bytes">Bytes (whole frames) of those packets.</param>
public readonly record struct MeterBandStats(long Packets, long Bytes);
