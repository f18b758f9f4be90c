namespace FastPath.OpenFlow.Ports;

/// <summary>A port's administrative settings (OFPPC_*, OpenFlow 1.3 numbering; 1.0's NO_STP and NO_FLOOD map onto it).</summary>
[Flags]
public enum OfPortConfig : uint
{
    /// <summary>No setting.</summary>
    None = 0,

    /// <summary>OFPPC_PORT_DOWN: administratively down.</summary>
    PortDown = 1 << 0,

    /// <summary>OFPPC_NO_RECV: drop everything received on the port.</summary>
    NoRecv = 1 << 2,

    /// <summary>OFPPC_NO_FWD: drop everything sent to the port.</summary>
    NoFwd = 1 << 5,

    /// <summary>OFPPC_NO_PACKET_IN: no packet-ins for packets received on the port.</summary>
    NoPacketIn = 1 << 6,

    /// <summary>OpenFlow 1.0's OFPPC_NO_FLOOD (Open vSwitch keeps it in 1.3 too): left out of FLOOD.</summary>
    NoFlood = 1 << 4,
}
