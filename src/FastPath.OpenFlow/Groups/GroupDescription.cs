using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Groups;

/// <summary>
/// A group as <c>ovs-ofctl add-group</c> describes it and <c>dump-groups</c> prints it: its id, type, buckets,
/// and Open vSwitch's selection-method properties for select groups.
/// </summary>
public sealed record GroupDescription
{
    /// <summary>The group's id (0 to <see cref="GroupIds.Max"/>).</summary>
    public uint GroupId { get; init; }

    /// <summary>What the group does with its buckets.</summary>
    public GroupType Type { get; init; }

    /// <summary>The buckets, in order (fast failover tries them in this order).</summary>
    public IReadOnlyList<GroupBucket> Buckets { get; init; } = [];

    /// <summary>Open vSwitch's selection method for a select group (<c>hash</c> or <c>dp_hash</c>); null: the default.</summary>
    public string? SelectionMethod { get; init; }

    /// <summary>The selection method's parameter (the hash basis).</summary>
    public ulong SelectionMethodParam { get; init; }

    /// <summary>The fields <c>selection_method=hash</c> hashes, each under its mask (empty: the default symmetric L4 fields).</summary>
    public IReadOnlyList<(OfField Field, UInt128 Mask)> Fields { get; init; } = [];

    /// <inheritdoc/>
    public bool Equals(GroupDescription? other) =>
        other is not null && GroupId == other.GroupId && Type == other.Type && Buckets.SequenceEqual(other.Buckets)
        && SelectionMethod == other.SelectionMethod && SelectionMethodParam == other.SelectionMethodParam && Fields.SequenceEqual(other.Fields);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(GroupId, Type, Buckets.Count, SelectionMethod);

    /// <summary>The group as <c>ovs-ofctl -O OpenFlow13 dump-groups</c> prints it.</summary>
    public override string ToString() => Text.GroupText.Format(this);
}
