using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Actions;

/// <summary>
/// Open vSwitch's learn: adds (or, if one with the same match and priority is there, modifies) a rule in
/// <see cref="Table"/> whose match and actions <see cref="Specs"/> build from the packet being translated.
/// </summary>
/// <param name="Specs">What the learned rule matches and does.</param>
/// <param name="Table">The table the rule goes into (Open vSwitch's default is 1).</param>
/// <param name="IdleTimeout">The learned rule's idle timeout (0: none).</param>
/// <param name="HardTimeout">The learned rule's hard timeout (0: none).</param>
/// <param name="Priority">The learned rule's priority.</param>
/// <param name="Cookie">The learned rule's cookie.</param>
/// <param name="Flags">send_flow_rem and delete_learned.</param>
/// <param name="FinIdleTimeout">fin_idle_timeout of a fin_timeout action for the learned rule (0: none).</param>
/// <param name="FinHardTimeout">fin_hard_timeout of a fin_timeout action for the learned rule (0: none).</param>
/// <param name="Limit">
/// limit=: no rule is added once the learned rule's table holds this many rules with its cookie (0: no limit;
/// Open vSwitch 2.8's NXAST_LEARN2).
/// </param>
/// <param name="ResultDestination">result_dst=: the field whose bit <paramref name="ResultOffset"/> is set to 1 when the rule is learned, 0 when the limit refused it; null: none.</param>
/// <param name="ResultOffset">The bit of <paramref name="ResultDestination"/> written.</param>
public sealed record LearnAction(
    IReadOnlyList<LearnSpec> Specs,
    byte Table = 1,
    ushort IdleTimeout = 0,
    ushort HardTimeout = 0,
    ushort Priority = 0x8000,
    ulong Cookie = 0,
    LearnFlags Flags = LearnFlags.None,
    ushort FinIdleTimeout = 0,
    ushort FinHardTimeout = 0,
    uint Limit = 0,
    OfField? ResultDestination = null,
    int ResultOffset = 0) : OfAction
{
    /// <summary>Whether only NXAST_LEARN2 can carry it (a limit or a result destination).</summary>
    public bool NeedsLearn2 => Limit != 0 || ResultDestination is not null;

    /// <inheritdoc/>
    public bool Equals(LearnAction? other) =>
        other is not null && Table == other.Table && IdleTimeout == other.IdleTimeout && HardTimeout == other.HardTimeout
        && Priority == other.Priority && Cookie == other.Cookie && Flags == other.Flags && FinIdleTimeout == other.FinIdleTimeout
        && FinHardTimeout == other.FinHardTimeout && Limit == other.Limit && ResultDestination == other.ResultDestination
        && ResultOffset == other.ResultOffset && Specs.SequenceEqual(other.Specs);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Table, Priority, Cookie, Specs.Count);
}

/// <summary>The flags of a learn action (NX_LEARN_F_*).</summary>
[Flags]
public enum LearnFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>The learned rule sends a flow-removed message when it goes.</summary>
    SendFlowRem = 1,

    /// <summary>Deleting the rule with the learn deletes the rules it learned (same table and cookie).</summary>
    DeleteLearned = 2,
}

/// <summary>What one part of a learn action puts into the learned rule.</summary>
public enum LearnSpecKind
{
    /// <summary>A match on the destination subfield (NX_LEARN_DST_MATCH).</summary>
    Match,

    /// <summary>An action loading the destination subfield (NX_LEARN_DST_LOAD).</summary>
    Load,

    /// <summary>An action outputting to the port the source holds (NX_LEARN_DST_OUTPUT).</summary>
    Output,
}

/// <summary>
/// One flow_mod_spec of a learn action: <see cref="Bits"/> bits, from a subfield of the packet
/// (<see cref="Source"/>) or a constant (<see cref="Immediate"/>), into a match on or a load of
/// <see cref="Destination"/>, or an output.
/// </summary>
/// <param name="Kind">What the bits become.</param>
/// <param name="Bits">Number of bits.</param>
/// <param name="Source">The field read from the packet; null for an immediate value.</param>
/// <param name="SourceOffset">First bit read.</param>
/// <param name="Immediate">The constant (when <see cref="Source"/> is null), in the low <see cref="Bits"/> bits.</param>
/// <param name="Destination">The field matched or loaded; null for an output.</param>
/// <param name="DestinationOffset">First bit matched or loaded.</param>
public sealed record LearnSpec(LearnSpecKind Kind, int Bits, OfField? Source, int SourceOffset, UInt128 Immediate, OfField? Destination, int DestinationOffset)
{
    /// <summary>Whether the value is a constant rather than read from the packet.</summary>
    public bool IsImmediate => Source is null;
}
