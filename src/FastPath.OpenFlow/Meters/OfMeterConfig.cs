namespace FastPath.OpenFlow.Meters;

/// <summary>An OpenFlow meter: what a meter-mod adds or modifies, and what a meter-config reply (dump-meters) lists.</summary>
public sealed record OfMeterConfig
{
    /// <summary>The meter's id: 1 to <see cref="OfMeterIds.Max"/>, or one of the virtual meters.</summary>
    public uint MeterId { get; init; }

    /// <summary>Unit (exactly one of kbps and pktps), burst and stats.</summary>
    public OfMeterFlags Flags { get; init; }

    /// <summary>The bands, in the order given.</summary>
    public IReadOnlyList<OfMeterBand> Bands { get; init; } = [];

    /// <inheritdoc/>
    public bool Equals(OfMeterConfig? other) =>
        other is not null && MeterId == other.MeterId && Flags == other.Flags && Bands.SequenceEqual(other.Bands);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(MeterId, Flags, Bands.Count);
}
