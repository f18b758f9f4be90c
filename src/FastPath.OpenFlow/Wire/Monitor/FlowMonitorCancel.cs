namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>
/// NXT_FLOW_MONITOR_CANCEL (OpenFlow 1.0) / ONFT_FLOW_MONITOR_CANCEL (1.3): cancels monitor <paramref name="Id"/>.
/// OpenFlow 1.4 cancels with a request whose command is <see cref="FlowMonitorCommand.Delete"/>.
/// </summary>
/// <param name="Id">The monitor.</param>
public sealed record FlowMonitorCancel(uint Id) : OfMessage;
