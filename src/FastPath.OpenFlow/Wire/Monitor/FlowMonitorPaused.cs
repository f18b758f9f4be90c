namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>
/// NXT_FLOW_MONITOR_PAUSED / ONFT_FLOW_MONITOR_PAUSED, or with <paramref name="Resumed"/> NXT_FLOW_MONITOR_RESUMED /
/// ONFT_FLOW_MONITOR_RESUMED: the switch stopped sending flow updates because the connection's backlog grew too
/// long, or started again once it drained. OpenFlow 1.4 says the same with a <see cref="FlowUpdateEvent.Paused"/> or
/// <see cref="FlowUpdateEvent.Resumed"/> update in a reply.
/// </summary>
/// <param name="Resumed">Resumed rather than paused.</param>
public sealed record FlowMonitorPaused(bool Resumed) : OfMessage;
