namespace FastPath.OpenFlow.Ports;

/// <summary>One port as OpenFlow describes it (ofp_port / ofp_phy_port): what port-desc, features and port-status carry.</summary>
/// <param name="PortNo">The OpenFlow port number (<see cref="Fields.OfPorts.Local"/> for the bridge's own port).</param>
/// <param name="HwAddr">The Ethernet address, as a 48-bit number.</param>
/// <param name="Name">The interface name.</param>
/// <param name="Config">Administrative settings.</param>
/// <param name="State">Physical state.</param>
/// <param name="Current">Current features.</param>
/// <param name="Advertised">Features advertised.</param>
/// <param name="Supported">Features supported.</param>
/// <param name="Peer">Features the peer advertises.</param>
/// <param name="CurrentSpeedKbps">Current bit rate in kbps.</param>
/// <param name="MaxSpeedKbps">Maximum bit rate in kbps.</param>
public sealed record OfPortDescription(
    uint PortNo,
    ulong HwAddr,
    string Name,
    OfPortConfig Config,
    OfPortState State,
    OfPortFeatures Current = OfPortFeatures.None,
    OfPortFeatures Advertised = OfPortFeatures.None,
    OfPortFeatures Supported = OfPortFeatures.None,
    OfPortFeatures Peer = OfPortFeatures.None,
    uint CurrentSpeedKbps = 0,
    uint MaxSpeedKbps = 0);
