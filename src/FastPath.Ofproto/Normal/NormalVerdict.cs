namespace FastPath.Ofproto.Normal;

/// <summary>How a NORMAL decision ended (the reason Open vSwitch's ofproto/trace prints for it).</summary>
public enum NormalVerdict : byte
{
    /// <summary>Sent to the port the destination was learned on.</summary>
    Forward,

    /// <summary>Flooded to every other floodable port carrying the VLAN (unknown unicast, broadcast, multicast); may be no port at all.</summary>
    Flood,

    /// <summary>Dropped: the input port is not one of the bridge's ports.</summary>
    DropUnknownInPort,

    /// <summary>Dropped: the frame's Ethernet type is a VLAN TPID but the tag was cut short ("partial VLAN tag").</summary>
    DropPartialVlanTag,

    /// <summary>Dropped: the input port does not accept the frame's VLAN.</summary>
    DropVlanNotAllowed,

    /// <summary>Dropped: the destination is a reserved address (STP, pause, LLDP, ...) and forward-bpdu is off.</summary>
    DropReservedMulticast,

    /// <summary>Dropped: the destination was learned on the input port itself.</summary>
    DropLearnedOnInPort,

    /// <summary>Dropped: the destination was learned on a port no longer in the bridge, or that no longer carries the VLAN.</summary>
    DropLearnedPortGone,
}
