using System.Collections.Immutable;

namespace FastPath.Ovsdb.Vswitch;

/// <summary>A Bridge row, its ports and controllers resolved.</summary>
/// <param name="Uuid">The row.</param>
/// <param name="Name">name.</param>
/// <param name="DatapathType">datapath_type ("netdev" for FastPath; empty means the system datapath).</param>
/// <param name="FailMode">fail_mode: "standalone", "secure", or null (standalone).</param>
/// <param name="Protocols">protocols ("OpenFlow10", "OpenFlow13", …); empty means Open vSwitch's default set.</param>
/// <param name="OtherConfig">other_config (datapath-id, hwaddr, disable-in-band, …).</param>
/// <param name="ExternalIds">external_ids.</param>
/// <param name="Ports">ports, by name.</param>
/// <param name="Controllers">controller, by target.</param>
/// <param name="McastSnoopingEnable">mcast_snooping_enable.</param>
/// <param name="StpEnable">stp_enable.</param>
/// <param name="RstpEnable">rstp_enable.</param>
/// <param name="FloodVlans">flood_vlans.</param>
public sealed record BridgeConfig(
    Guid Uuid,
    string Name,
    string DatapathType,
    string? FailMode,
    ImmutableArray<string> Protocols,
    ImmutableSortedDictionary<string, string> OtherConfig,
    ImmutableSortedDictionary<string, string> ExternalIds,
    ImmutableArray<PortConfig> Ports,
    ImmutableArray<ControllerConfig> Controllers,
    bool McastSnoopingEnable,
    bool StpEnable,
    bool RstpEnable,
    ImmutableArray<long> FloodVlans)
{
    /// <summary>other_config:datapath-id, the datapath ID the user asked for (16 hex digits).</summary>
    public string? RequestedDatapathId => OtherConfig.GetValueOrDefault("datapath-id");

    /// <summary>The port named <paramref name="name"/>, or null.</summary>
    public PortConfig? Port(string name) => Ports.FirstOrDefault(p => p.Name == name);

    /// <summary>Every interface of every port.</summary>
    public IEnumerable<InterfaceConfig> Interfaces => Ports.SelectMany(p => p.Interfaces);
}
