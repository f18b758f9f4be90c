namespace FastPath.Ofproto.Service;

/// <summary>What a bridge's OpenFlow service says about the switch.</summary>
public sealed record OpenFlowEndpointOptions
{
    /// <summary>The datapath id (Open vSwitch derives it from the bridge's MAC unless other-config:datapath-id sets it).</summary>
    public ulong DatapathId { get; init; } = 1;

    /// <summary>Tables offered to OpenFlow (Open vSwitch: 254, tables 0-253).</summary>
    public byte Tables { get; init; } = 254;

    /// <summary>OFPMP_DESC's manufacturer (Open vSwitch's other-config:mfr-desc).</summary>
    public string Manufacturer { get; init; } = "FastPath";

    /// <summary>OFPMP_DESC's hardware description (other-config:hw-desc).</summary>
    public string Hardware { get; init; } = "FastPath userspace datapath";

    /// <summary>OFPMP_DESC's software description (other-config:sw-desc).</summary>
    public string Software { get; init; } = typeof(OpenFlowEndpointOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>OFPMP_DESC's serial number (other-config:serial-desc).</summary>
    public string SerialNumber { get; init; } = "None";

    /// <summary>
    /// Bytes of flow monitor updates a connection may have queued, unsent, before its monitors pause (PAUSED, then
    /// updates dropped until the backlog is written, then RESUMED with what changed meanwhile): Open vSwitch's 128 KiB.
    /// </summary>
    public int FlowMonitorPauseBytes { get; init; } = 128 * 1024;

    /// <summary>OFPMP_DESC's datapath description (other-config:dp-desc); null: the bridge's name, as Open vSwitch.</summary>
    public string? DatapathDescription { get; init; }
}
