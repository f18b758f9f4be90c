using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>Open vSwitch's NXST_FLOW (what ovs-ofctl dump-flows sends on OpenFlow 1.0): answered with <see cref="NxFlowStatsReply"/>.</summary>
/// <param name="TableId">The table, or <see cref="FlowStatsFilter.AllTables"/>.</param>
/// <param name="Match">Rules this match covers.</param>
/// <param name="OutPort">Only rules that output to this port.</param>
/// <param name="OutGroup">Only rules that send to this group.</param>
/// <param name="Cookie">Only rules whose cookie equals this under <paramref name="CookieMask"/>.</param>
/// <param name="CookieMask">The cookie bits compared.</param>
public sealed record NxFlowStatsRequest(
    byte TableId, PipelineMatch Match, uint OutPort = OfPorts.Any, uint OutGroup = FlowMod.AnyGroup, ulong Cookie = 0, ulong CookieMask = 0)
    : FlowStatsFilter(TableId, Match, OutPort, OutGroup, Cookie, CookieMask);
