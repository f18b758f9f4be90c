using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>
/// One monitor of a flow monitor request (Open vSwitch's ofputil_flow_monitor_request): which flows it watches —
/// those a non-strict flow stats request with the same table, match and out_port would select — and what it reports.
/// </summary>
/// <param name="Id">The monitor's id, unique among the connection's monitors; a cancel names it.</param>
/// <param name="Flags">What it reports.</param>
/// <param name="OutPort">Only flows that output to this port (<see cref="OfPorts.Any"/>: any).</param>
/// <param name="TableId">One table, or 255 for all.</param>
/// <param name="Match">Only flows whose match is at least as specific as this.</param>
/// <param name="OutGroup">Only flows that send to this group (OpenFlow 1.4; <see cref="FlowMod.AnyGroup"/>: any).</param>
/// <param name="Command">OpenFlow 1.4's command; NX and ONF requests are <see cref="FlowMonitorCommand.Add"/>.</param>
public sealed record FlowMonitorRequestEntry(
    uint Id,
    FlowMonitorFlags Flags,
    uint OutPort = OfPorts.Any,
    byte TableId = FlowMonitorRequestEntry.AllTables,
    PipelineMatch Match = default,
    uint OutGroup = FlowMod.AnyGroup,
    FlowMonitorCommand Command = FlowMonitorCommand.Add)
{
    /// <summary>Table id meaning every table.</summary>
    public const byte AllTables = 0xff;
}
