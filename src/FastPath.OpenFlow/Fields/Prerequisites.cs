using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.OpenFlow.Fields;

/// <summary>Checks a field's prerequisite against what a match pins down (exactly matched dl_type, nw_proto, ...).</summary>
public static class Prerequisites
{
    /// <summary>Whether <paramref name="match"/> satisfies <paramref name="prerequisite"/>.</summary>
    public static bool IsSatisfied(FieldPrerequisite prerequisite, in PipelineMatch match) => prerequisite switch
    {
        FieldPrerequisite.None => true,
        FieldPrerequisite.Vlan => (OfFields.VlanTci.Read(match.Mask) & FlowKey.VlanCfi) != 0 && (OfFields.VlanTci.Read(match.Key) & FlowKey.VlanCfi) != 0,
        FieldPrerequisite.Ipv4 => DlType(match) == EtherTypes.Ipv4,
        FieldPrerequisite.Ipv6 => DlType(match) == EtherTypes.Ipv6,
        FieldPrerequisite.IpAny => DlType(match) is EtherTypes.Ipv4 or EtherTypes.Ipv6,
        FieldPrerequisite.Arp => DlType(match) is EtherTypes.Arp or EtherTypes.Rarp,
        FieldPrerequisite.Mpls => DlType(match) is EtherTypes.Mpls or EtherTypes.MplsMulticast,
        FieldPrerequisite.Tcp => IpProto(match) == IpProtocols.Tcp,
        FieldPrerequisite.Udp => IpProto(match) == IpProtocols.Udp,
        FieldPrerequisite.Sctp => IpProto(match) == IpProtocols.Sctp,
        FieldPrerequisite.L4Ports => IpProto(match) is IpProtocols.Tcp or IpProtocols.Udp or IpProtocols.Sctp,
        FieldPrerequisite.Icmp4 => DlType(match) == EtherTypes.Ipv4 && IpProto(match) == IpProtocols.Icmp,
        FieldPrerequisite.Icmp6 => DlType(match) == EtherTypes.Ipv6 && IpProto(match) == IpProtocols.IcmpV6,
        FieldPrerequisite.IcmpAny => IsSatisfied(FieldPrerequisite.Icmp4, match) || IsSatisfied(FieldPrerequisite.Icmp6, match),
        FieldPrerequisite.Nd => IsSatisfied(FieldPrerequisite.Icmp6, match) && IcmpType(match) is 135 or 136,
        FieldPrerequisite.NdSolicit => IsSatisfied(FieldPrerequisite.Icmp6, match) && IcmpType(match) == 135,
        FieldPrerequisite.NdAdvert => IsSatisfied(FieldPrerequisite.Icmp6, match) && IcmpType(match) == 136,
        FieldPrerequisite.Pbb => DlType(match) == 0x88e7,
        FieldPrerequisite.InPort => OfFields.InPort.Read(match.Mask) == OfFields.InPort.FullMask,
        _ => false,
    };

    /// <summary>What the prerequisite asks for, in words for error messages.</summary>
    public static string Describe(FieldPrerequisite prerequisite) => prerequisite switch
    {
        FieldPrerequisite.Vlan => "a VLAN tag (dl_vlan, vlan_vid with 0x1000, or vlan_tci with the CFI bit)",
        FieldPrerequisite.Ipv4 => "ip (dl_type=0x0800)",
        FieldPrerequisite.Ipv6 => "ipv6 (dl_type=0x86dd)",
        FieldPrerequisite.IpAny => "ip or ipv6",
        FieldPrerequisite.Arp => "arp or rarp",
        FieldPrerequisite.Mpls => "mpls or mplsm",
        FieldPrerequisite.Tcp => "tcp or tcp6",
        FieldPrerequisite.Udp => "udp or udp6",
        FieldPrerequisite.Sctp => "sctp or sctp6",
        FieldPrerequisite.L4Ports => "tcp, udp or sctp (IPv4 or IPv6)",
        FieldPrerequisite.Icmp4 => "icmp",
        FieldPrerequisite.Icmp6 => "icmp6",
        FieldPrerequisite.IcmpAny => "icmp or icmp6",
        FieldPrerequisite.Nd => "icmp6 with icmp_type=135 or 136",
        FieldPrerequisite.NdSolicit => "icmp6 with icmp_type=135",
        FieldPrerequisite.NdAdvert => "icmp6 with icmp_type=136",
        FieldPrerequisite.Pbb => "dl_type=0x88e7",
        FieldPrerequisite.InPort => "in_port",
        _ => "nothing",
    };

    /// <summary>The exactly matched Ethernet type, or -1.</summary>
    public static int DlType(in PipelineMatch match) =>
        OfFields.EthType.Read(match.Mask) == 0xffff ? (int)OfFields.EthType.Read(match.Key) : -1;

    /// <summary>The exactly matched IP protocol of an IPv4 or IPv6 match, or -1.</summary>
    public static int IpProto(in PipelineMatch match) =>
        DlType(match) is EtherTypes.Ipv4 or EtherTypes.Ipv6 && OfFields.NwProto.Read(match.Mask) == 0xff ? (int)OfFields.NwProto.Read(match.Key) : -1;

    private static int IcmpType(in PipelineMatch match) =>
        OfFields.Icmpv6Type.Read(match.Mask) == 0xff ? (int)OfFields.Icmpv6Type.Read(match.Key) : -1;
}
