using FastPath.Ofproto.Tables;

namespace FastPath.Ofproto.Bridge;

/// <summary>
/// A rule that left its table and asked to be reported (send_flow_rem): what an OpenFlow flow-removed message
/// carries, read from the rule as it was when it went.
/// </summary>
/// <param name="Rule">The rule (its match, priority, cookie, timeouts and final counters).</param>
/// <param name="Reason">Why it went.</param>
/// <param name="Duration">How long it was in its table.</param>
public sealed record FlowRemoved(OfRule Rule, FlowRemovedReason Reason, TimeSpan Duration);
