using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>
/// A flow monitor request: NXST_FLOW_MONITOR (OpenFlow 1.0), ONFST_FLOW_MONITOR (OpenFlow 1.3, ONF extension 187) or
/// OFPMP_FLOW_MONITOR (OpenFlow 1.4+). One message may set up several monitors.
/// </summary>
/// <param name="Monitors">The monitors, in wire order.</param>
public sealed record FlowMonitorRequest(IReadOnlyList<FlowMonitorRequestEntry> Monitors) : MultipartRequest
{
    /// <inheritdoc/>
    public bool Equals(FlowMonitorRequest? other) => other is not null && More == other.More && Monitors.SequenceEqual(other.Monitors);

    /// <inheritdoc/>
    public override int GetHashCode() => Monitors.Count;
}
