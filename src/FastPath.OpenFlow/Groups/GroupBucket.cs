using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Groups;

/// <summary>One bucket of a group: its actions (an action set, as OpenFlow defines a bucket), its weight, and what its liveness watches.</summary>
public sealed record GroupBucket
{
    /// <summary>No bucket id given (OpenFlow 1.5's OFPG_BUCKET_ALL): the bucket takes its position in the list.</summary>
    public const uint NoBucketId = 0xffffffff;

    /// <summary>Highest bucket id (OFPG_BUCKET_MAX).</summary>
    public const uint MaxBucketId = 0xffffff00;

    /// <summary>OpenFlow 1.5 bucket id; <see cref="NoBucketId"/> until a group table numbers it.</summary>
    public uint BucketId { get; init; } = NoBucketId;

    /// <summary>Relative weight among a select group's buckets (1 by default there; 0 elsewhere, and 0 never chosen).</summary>
    public ushort Weight { get; init; }

    /// <summary>The port whose liveness decides the bucket's (<see cref="OfPorts.Any"/>: none).</summary>
    public uint WatchPort { get; init; } = OfPorts.Any;

    /// <summary>The group whose liveness decides the bucket's (<see cref="GroupIds.Any"/>: none).</summary>
    public uint WatchGroup { get; init; } = GroupIds.Any;

    /// <summary>The bucket's actions as written; they run as an action set (one output, after the rewrites).</summary>
    public IReadOnlyList<OfAction> Actions { get; init; } = [];

    /// <summary>Whether the bucket watches a port or a group.</summary>
    public bool HasLiveness => WatchPort != OfPorts.Any || WatchGroup != GroupIds.Any;

    /// <inheritdoc/>
    public bool Equals(GroupBucket? other) =>
        other is not null && BucketId == other.BucketId && Weight == other.Weight && WatchPort == other.WatchPort
        && WatchGroup == other.WatchGroup && Actions.SequenceEqual(other.Actions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(BucketId, Weight, WatchPort, WatchGroup, Actions.Count);
}
