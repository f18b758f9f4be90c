namespace FastPath.Datapath.Meters;

/// <summary>A snapshot of a meter's counters, as OpenFlow's meter statistics report them.</summary>
/// <param name="Packets">Packets that went through the meter action, dropped or not.</param>
/// <param name="Bytes">Bytes (whole frames) of those packets.</param>
/// <param name="Bands">Per band, in the order the bands were given.</param>
public sealed record MeterStats(long Packets, long Bytes, IReadOnlyList<MeterBandStats> Bands);
