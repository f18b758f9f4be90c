namespace FastPath.Ofproto.Tables;

/// <summary>A rule that left its table and why: what a flow-removed message reports when the rule asked for one.</summary>
public readonly record struct RemovedRule(OfRule Rule, FlowRemovedReason Reason);
