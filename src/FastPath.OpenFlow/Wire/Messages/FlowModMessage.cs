using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_FLOW_MOD (every version) or Open vSwitch's NXT_FLOW_MOD: one <see cref="FlowMod"/>.</summary>
/// <param name="Mod">The request, as the slow path takes it.</param>
public sealed record FlowModMessage(FlowMod Mod) : OfMessage;
