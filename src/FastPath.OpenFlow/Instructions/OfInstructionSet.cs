using FastPath.OpenFlow.Actions;

namespace FastPath.OpenFlow.Instructions;

/// <summary>
/// A rule's OpenFlow 1.3 instructions, at most one of each kind, executed in this order: meter, apply-actions,
/// clear-actions, write-actions, write-metadata, goto-table. An empty set drops the packet.
/// </summary>
public sealed record OfInstructionSet
{
    /// <summary>The instructions of a rule that drops.</summary>
    public static readonly OfInstructionSet Drop = new();

    /// <summary>meter:N, or null.</summary>
    public uint? Meter { get; init; }

    /// <summary>apply-actions: run now, in order (the plain action list of the flow syntax).</summary>
    public IReadOnlyList<OfAction> ApplyActions { get; init; } = [];

    /// <summary>clear_actions: empty the action set.</summary>
    public bool ClearActions { get; init; }

    /// <summary>write_actions(...): merged into the action set, or null.</summary>
    public IReadOnlyList<OfAction>? WriteActions { get; init; }

    /// <summary>write_metadata:VALUE[/MASK], or null.</summary>
    public (ulong Value, ulong Mask)? WriteMetadata { get; init; }

    /// <summary>goto_table:N, or null.</summary>
    public byte? GotoTable { get; init; }

    /// <summary>Whether the set holds no instruction at all (the rule drops).</summary>
    public bool IsDrop => Meter is null && ApplyActions.Count == 0 && !ClearActions && WriteActions is null && WriteMetadata is null && GotoTable is null;

    /// <inheritdoc/>
    public bool Equals(OfInstructionSet? other) =>
        other is not null && Meter == other.Meter && ApplyActions.SequenceEqual(other.ApplyActions) && ClearActions == other.ClearActions
        && (WriteActions is null ? other.WriteActions is null : other.WriteActions is not null && WriteActions.SequenceEqual(other.WriteActions))
        && WriteMetadata == other.WriteMetadata && GotoTable == other.GotoTable;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Meter, ApplyActions.Count, ClearActions, WriteActions?.Count, WriteMetadata, GotoTable);
}
