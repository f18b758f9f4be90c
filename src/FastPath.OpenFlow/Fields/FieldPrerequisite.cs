namespace FastPath.OpenFlow.Fields;

/// <summary>What a match must already pin down before a field may appear in it (ovs-fields(7) "Prerequisites").</summary>
public enum FieldPrerequisite
{
    /// <summary>No prerequisite.</summary>
    None,
    /// <summary>A VLAN tag present (vlan_tci's CFI bit, OpenFlow's OFPVID_PRESENT, matched as 1).</summary>
    Vlan,
    /// <summary>dl_type=0x0800.</summary>
    Ipv4,
    /// <summary>dl_type=0x86dd.</summary>
    Ipv6,
    /// <summary>dl_type 0x0800 or 0x86dd.</summary>
    IpAny,
    /// <summary>dl_type ARP (0x0806) or RARP (0x8035).</summary>
    Arp,
    /// <summary>dl_type MPLS (0x8847 or 0x8848).</summary>
    Mpls,
    /// <summary>IPv4 or IPv6 with nw_proto=6.</summary>
    Tcp,
    /// <summary>IPv4 or IPv6 with nw_proto=17.</summary>
    Udp,
    /// <summary>IPv4 or IPv6 with nw_proto=132.</summary>
    Sctp,
    /// <summary>IPv4 or IPv6 with nw_proto 6, 17 or 132 (the OpenFlow 1.0 tp_src/tp_dst).</summary>
    L4Ports,
    /// <summary>IPv4 with nw_proto=1.</summary>
    Icmp4,
    /// <summary>IPv6 with nw_proto=58.</summary>
    Icmp6,
    /// <summary>ICMPv4 or ICMPv6 (Open vSwitch's icmp_type/icmp_code spelling serves both).</summary>
    IcmpAny,
    /// <summary>ICMPv6 with icmp_type 135 or 136 (neighbor solicitation or advertisement).</summary>
    Nd,
    /// <summary>ICMPv6 with icmp_type=135.</summary>
    NdSolicit,
    /// <summary>ICMPv6 with icmp_type=136.</summary>
    NdAdvert,
    /// <summary>dl_type=0x88e7 (PBB).</summary>
    Pbb,
    /// <summary>in_port matched exactly.</summary>
    InPort,
}
