namespace FastPath.OpenFlow.Wire.Ports;

/// <summary>
/// One port's description, as every version carries it (1.0 ofp_phy_port, 1.3 ofp_port, 1.4+ ofp_port with an
/// ethernet property): the model FastPath keeps, close to Open vSwitch's ofputil_phy_port.
/// </summary>
/// <param name="PortNo">The port number (32-bit numbering; 1.0's reserved ports mapped up, see <see cref="PortNumbers"/>).</param>
/// <param name="HwAddr">The Ethernet address, in the low 48 bits.</param>
/// <param name="Name">The name (at most 15 ASCII characters).</param>
/// <param name="Config">OFPPC_* bits; 1.0's superset (NO_STP 1&lt;&lt;1, NO_RECV_STP 1&lt;&lt;3, NO_FLOOD 1&lt;&lt;4) is kept and dropped on 1.3+.</param>
/// <param name="State">OFPPS_* in 1.3 bits (LINK_DOWN 1, BLOCKED 2, LIVE 4) plus 1.0's STP state in bits 8-9.</param>
/// <param name="Curr">Current features, OFPPF_* in 1.3 numbering (1.0's bits 7-11 are 1.3's 11-15).</param>
/// <param name="Advertised">Advertised features.</param>
/// <param name="Supported">Supported features.</param>
/// <param name="Peer">Features the peer advertises.</param>
/// <param name="CurrSpeed">Current bit rate in kbps (1.3+).</param>
/// <param name="MaxSpeed">Maximum bit rate in kbps (1.3+).</param>
public sealed record OfPortDesc(
    uint PortNo,
    ulong HwAddr,
    string Name,
    uint Config,
    uint State,
    uint Curr = 0,
    uint Advertised = 0,
    uint Supported = 0,
    uint Peer = 0,
    uint CurrSpeed = 0,
    uint MaxSpeed = 0)
{
    /// <summary>OFPPC_PORT_DOWN.</summary>
    public const uint ConfigPortDown = 1 << 0;

    /// <summary>OFPPC_NO_RECV.</summary>
    public const uint ConfigNoRecv = 1 << 2;

    /// <summary>OFPPC_NO_FLOOD (OpenFlow 1.0 only).</summary>
    public const uint ConfigNoFlood = 1 << 4;

    /// <summary>OFPPC_NO_FWD.</summary>
    public const uint ConfigNoFwd = 1 << 5;

    /// <summary>OFPPC_NO_PACKET_IN.</summary>
    public const uint ConfigNoPacketIn = 1 << 6;

    /// <summary>OFPPS_LINK_DOWN.</summary>
    public const uint StateLinkDown = 1 << 0;

    /// <summary>OFPPS_BLOCKED (1.3+).</summary>
    public const uint StateBlocked = 1 << 1;

    /// <summary>OFPPS_LIVE (1.3+).</summary>
    public const uint StateLive = 1 << 2;
}
