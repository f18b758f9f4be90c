using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPST_AGGREGATE (OpenFlow 1.0) or OFPMP_AGGREGATE (1.3+): the sums over the rules the filter selects.</summary>
/// <param name="TableId">The table, or <see cref="FlowStatsFilter.AllTables"/>.</param>
/// <param name="Match">Rules this match covers.</param>
/// <param name="OutPort">Only rules that output to this port.</param>
/// <param name="OutGroup">Only rules that send to this group.</param>
/// <param name="Cookie">Only rules whose cookie equals this under <paramref name="CookieMask"/>.</param>
/// <param name="CookieMask">The cookie bits compared.</param>
public sealed record AggregateStatsRequest(
    byte TableId, PipelineMatch Match, uint OutPort = OfPorts.Any, uint OutGroup = FlowMod.AnyGroup, ulong Cookie = 0, ulong CookieMask = 0)
    : FlowStatsFilter(TableId, Match, OutPort, OutGroup, Cookie, CookieMask);
