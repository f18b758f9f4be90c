namespace FastPath.OpenFlow.Wire.Groups;

/// <summary>One group's statistics, as a group-stats reply carries them.</summary>
/// <param name="GroupId">The group.</param>
/// <param name="RefCount">Rules and groups that point at it.</param>
/// <param name="PacketCount">Packets it processed.</param>
/// <param name="ByteCount">Bytes of those packets.</param>
/// <param name="DurationSeconds">Whole seconds since it was added.</param>
/// <param name="DurationNanoseconds">The rest of the duration.</param>
/// <param name="Buckets">Per bucket, in the group's order: packets and bytes.</param>
public sealed record OfGroupStats(
    uint GroupId, uint RefCount, ulong PacketCount, ulong ByteCount, uint DurationSeconds, uint DurationNanoseconds,
    IReadOnlyList<(ulong Packets, ulong Bytes)> Buckets)
{
    /// <inheritdoc/>
    public bool Equals(OfGroupStats? other) =>
        other is not null && GroupId == other.GroupId && RefCount == other.RefCount && PacketCount == other.PacketCount
        && ByteCount == other.ByteCount && DurationSeconds == other.DurationSeconds && DurationNanoseconds == other.DurationNanoseconds
        && Buckets.SequenceEqual(other.Buckets);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(GroupId, PacketCount, Buckets.Count);
}

/// <summary>A group-features reply: what the switch's groups can do.</summary>
/// <param name="Types">Bitmap of supported group types (1 &lt;&lt; OFPGT_*).</param>
/// <param name="Capabilities">OFPGFC_* bits (select weight, select liveness, chaining, chaining checks).</param>
/// <param name="MaxGroups">Maximum groups of each type (all, select, indirect, fast failover).</param>
/// <param name="Actions">Bitmaps of the actions each type supports (1 &lt;&lt; OFPAT_*).</param>
public sealed record OfGroupFeatures(uint Types, uint Capabilities, IReadOnlyList<uint> MaxGroups, IReadOnlyList<uint> Actions)
{
    /// <inheritdoc/>
    public bool Equals(OfGroupFeatures? other) =>
        other is not null && Types == other.Types && Capabilities == other.Capabilities
        && MaxGroups.SequenceEqual(other.MaxGroups) && Actions.SequenceEqual(other.Actions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Types, Capabilities);
}
