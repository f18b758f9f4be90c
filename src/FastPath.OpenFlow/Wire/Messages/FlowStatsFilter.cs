using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>What a flow or aggregate stats request selects: the rules a non-strict delete with the same filter would delete.</summary>
/// <param name="TableId">The table, or <see cref="AllTables"/>.</param>
/// <param name="Match">Rules this match covers.</param>
/// <param name="OutPort">Only rules that output to this port (<see cref="Fields.OfPorts.Any"/>: any).</param>
/// <param name="OutGroup">Only rules that send to this group (<see cref="Rules.FlowMod.AnyGroup"/>: any; not in OpenFlow 1.0 or NXM).</param>
/// <param name="Cookie">Only rules whose cookie equals this under <paramref name="CookieMask"/>.</param>
/// <param name="CookieMask">The cookie bits compared (0: any cookie; not in plain OpenFlow 1.0).</param>
public abstract record FlowStatsFilter(byte TableId, PipelineMatch Match, uint OutPort, uint OutGroup, ulong Cookie, ulong CookieMask) : MultipartRequest
{
    /// <summary>OFPTT_ALL.</summary>
    public const byte AllTables = 0xff;
}
