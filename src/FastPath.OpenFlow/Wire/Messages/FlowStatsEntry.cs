using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>One rule of a flow stats reply.</summary>
/// <param name="Rule">The rule (table, priority, cookie, timeouts, flags, importance, match, instructions).</param>
/// <param name="Stats">Its counters and age (idle and hard age only in NXST_FLOW, idle time in OpenFlow 1.5).</param>
public sealed record FlowStatsEntry(FlowRule Rule, FlowStats Stats);
