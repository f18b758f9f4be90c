using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>A flow stats reply (OFPST_FLOW, NXST_FLOW, OFPMP_FLOW): every rule asked for with its counters.</summary>
/// <param name="Flows">The rules, in the order sent.</param>
public sealed record FlowStatsReply(IReadOnlyList<FlowStatsEntry> Flows) : OfMessage
{
    /// <inheritdoc/>
    public bool Equals(FlowStatsReply? other) => other is not null && Flows.SequenceEqual(other.Flows);

    /// <inheritdoc/>
    public override int GetHashCode() => Flows.Count;
}

/// <summary>One rule of a flow stats reply.</summary>
/// <param name="Rule">The rule (table, priority, cookie, timeouts, flags, importance, match, instructions).</param>
/// <param name="Stats">Its counters and age (idle and hard age only in NXST_FLOW).</param>
public sealed record FlowStatsEntry(FlowRule Rule, FlowStats Stats);
