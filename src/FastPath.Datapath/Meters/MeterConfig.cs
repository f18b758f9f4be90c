namespace FastPath.Datapath.Meters;

/// <summary>A meter as the slow path installs it: flags and bands.</summary>
/// <param name="Flags">Exactly one of <see cref="MeterFlags.Kbps"/> and <see cref="MeterFlags.Pktps"/>, optionally <see cref="MeterFlags.Burst"/> and <see cref="MeterFlags.Stats"/>.</param>
/// <param name="Bands">From 1 to <see cref="MeterTable.MaxBands"/> bands.</param>
public sealed record MeterConfig(MeterFlags Flags, IReadOnlyList<MeterBand> Bands);
