using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>A flow or aggregate stats request (OFPST_FLOW/AGGREGATE, NXST_FLOW/AGGREGATE, OFPMP_FLOW/AGGREGATE).</summary>
/// <param name="Aggregate">Whether the sums (aggregate) are asked for instead of every rule.</param>
/// <param name="TableId">The table, or <see cref="AllTables"/>.</param>
/// <param name="Match">Rules covered by this match (loose, as a non-strict delete).</param>
/// <param name="OutPort">Only rules that output to this port (<see cref="OfPorts.Any"/>: any).</param>
/// <param name="OutGroup">Only rules that send to this group (<see cref="FlowMod.AnyGroup"/>: any).</param>
/// <param name="Cookie">Only rules whose cookie equals this under <paramref name="CookieMask"/>.</param>
/// <param name="CookieMask">The cookie bits compared (0: any cookie).</param>
public sealed record FlowStatsRequest(
    bool Aggregate, byte TableId, PipelineMatch Match, uint OutPort = OfPorts.Any, uint OutGroup = FlowMod.AnyGroup, ulong Cookie = 0, ulong CookieMask = 0) : OfMessage
{
    /// <summary>OFPTT_ALL.</summary>
    public const byte AllTables = 0xff;
}
