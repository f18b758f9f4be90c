using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_FLOW_REMOVED or NXT_FLOW_REMOVED: a rule that asked for it (send_flow_rem) has gone.</summary>
/// <param name="Rule">The rule: table, priority, cookie, timeouts, match (its instructions are not sent).</param>
/// <param name="Reason">Why it went.</param>
/// <param name="Stats">Its counters and age when it went.</param>
public sealed record FlowRemovedMessage(FlowRule Rule, OfFlowRemovedReason Reason, FlowStats Stats) : OfMessage;

/// <summary>OFPRR_*: why a rule was removed.</summary>
public enum OfFlowRemovedReason : byte
{
    /// <summary>OFPRR_IDLE_TIMEOUT.</summary>
    IdleTimeout = 0,

    /// <summary>OFPRR_HARD_TIMEOUT.</summary>
    HardTimeout = 1,

    /// <summary>OFPRR_DELETE: a flow-mod deleted it.</summary>
    Delete = 2,

    /// <summary>OFPRR_GROUP_DELETE (OpenFlow 1.3+): its group was deleted.</summary>
    GroupDelete = 3,

    /// <summary>OFPRR_METER_DELETE (OpenFlow 1.4+): its meter was deleted.</summary>
    MeterDelete = 4,

    /// <summary>OFPRR_EVICTION (OpenFlow 1.4+): evicted to make room.</summary>
    Eviction = 5,
}
