using System.Collections.Immutable;
using System.Globalization;

namespace FastPath.Ovsdb.Vswitch;

/// <summary>An Interface row as the daemon reads it.</summary>
/// <param name="Uuid">The row.</param>
/// <param name="Name">name (the kernel device for afxdp, the port name on the bridge).</param>
/// <param name="Type">type ("" or "system", "internal", "afxdp", "dummy", "patch", …).</param>
/// <param name="Options">options (n_rxq, xdp-mode, use-need-wakeup, peer, …).</param>
/// <param name="OfportRequest">ofport_request: the OpenFlow port number asked for, or null.</param>
/// <param name="MtuRequest">mtu_request, or null.</param>
/// <param name="MacRequest">mac: the MAC address asked for, or null.</param>
/// <param name="OtherConfig">other_config (pmd-rxq-affinity, …).</param>
/// <param name="ExternalIds">external_ids.</param>
/// <param name="Ofport">ofport as last written (by the daemon, possibly before a restart): lets port numbers stay
/// stable. Its changes raise no configuration change.</param>
public sealed record InterfaceConfig(
    Guid Uuid,
    string Name,
    string Type,
    ImmutableSortedDictionary<string, string> Options,
    long? OfportRequest,
    long? MtuRequest,
    string? MacRequest,
    ImmutableSortedDictionary<string, string> OtherConfig,
    ImmutableSortedDictionary<string, string> ExternalIds,
    long? Ofport)
{
    /// <summary>options:n_rxq, the receive queues asked for; null when absent or not a number.</summary>
    public int? NRxq => Options.TryGetValue("n_rxq", out string? s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;

    /// <summary>options:xdp-mode ("best-effort", "native-with-zerocopy", "native", "generic"), or null.</summary>
    public string? XdpMode => Options.GetValueOrDefault("xdp-mode");

    /// <summary>other_config:pmd-rxq-affinity ("0:3,1:7": queue to core), or null.</summary>
    public string? PmdRxqAffinity => OtherConfig.GetValueOrDefault("pmd-rxq-affinity");
}
