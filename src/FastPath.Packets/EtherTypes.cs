namespace FastPath.Packets;

/// <summary>Ethernet types the parser knows (host order).</summary>
public static class EtherTypes
{
    /// <summary>IPv4.</summary>
    public const ushort Ipv4 = 0x0800;
    /// <summary>ARP.</summary>
    public const ushort Arp = 0x0806;
    /// <summary>Reverse ARP (same header as ARP).</summary>
    public const ushort Rarp = 0x8035;
    /// <summary>MPLS unicast.</summary>
    public const ushort Mpls = 0x8847;
    /// <summary>MPLS multicast.</summary>
    public const ushort MplsMulticast = 0x8848;
    /// <summary>IPv6.</summary>
    public const ushort Ipv6 = 0x86dd;
    /// <summary>802.1Q customer VLAN tag.</summary>
    public const ushort Vlan8021Q = 0x8100;
    /// <summary>802.1ad service VLAN tag (QinQ outer).</summary>
    public const ushort Vlan8021AD = 0x88a8;
    /// <summary>Key value for an 802.3 frame without a SNAP Ethernet type (Open vSwitch's FLOW_DL_TYPE_NONE).</summary>
    public const ushort None8023 = 0x05ff;
    /// <summary>Values below this are 802.3 lengths, not Ethernet types.</summary>
    public const ushort Min = 0x0600;

    /// <summary>Whether <paramref name="type"/> is one of the two MPLS Ethernet types.</summary>
    public static bool IsMpls(ushort type) => type is Mpls or MplsMulticast;
}

/// <summary>IP protocol numbers the parser knows.</summary>
public static class IpProtocols
{
    /// <summary>IPv6 hop-by-hop options.</summary>
    public const byte HopByHop = 0;
    /// <summary>ICMP.</summary>
    public const byte Icmp = 1;
    /// <summary>IGMP.</summary>
    public const byte Igmp = 2;
    /// <summary>TCP.</summary>
    public const byte Tcp = 6;
    /// <summary>UDP.</summary>
    public const byte Udp = 17;
    /// <summary>IPv6 routing header.</summary>
    public const byte Routing = 43;
    /// <summary>IPv6 fragment header.</summary>
    public const byte Fragment = 44;
    /// <summary>Authentication header.</summary>
    public const byte Ah = 51;
    /// <summary>ICMPv6.</summary>
    public const byte IcmpV6 = 58;
    /// <summary>IPv6 no next header.</summary>
    public const byte NoNext = 59;
    /// <summary>IPv6 destination options.</summary>
    public const byte DestOpts = 60;
    /// <summary>SCTP.</summary>
    public const byte Sctp = 132;
}
