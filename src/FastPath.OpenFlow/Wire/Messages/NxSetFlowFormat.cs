namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>NXT_SET_FLOW_FORMAT: the match format the controller wants in flow-mods, flow-removed and flow stats on OpenFlow 1.0.</summary>
/// <param name="Format">The format.</param>
public sealed record NxSetFlowFormat(NxFlowFormat Format) : OfMessage;
