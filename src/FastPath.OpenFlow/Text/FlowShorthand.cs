using FastPath.Packets;

namespace FastPath.OpenFlow.Text;

/// <summary>The protocol shorthands Open vSwitch prints for a dl_type and nw_proto (<c>ip</c>, <c>tcp6</c>, <c>arp</c>...).</summary>
public static class FlowShorthand
{
    /// <summary>
    /// The shorthand for <paramref name="dlType"/> with <paramref name="nwProto"/> (-1: not matched), or null when
    /// there is none and dl_type is printed as a field. <paramref name="igmp"/>: whether IGMP has one (flow
    /// printing) or not (match printing).
    /// </summary>
    public static string? For(int dlType, int nwProto, bool igmp = false) => dlType switch
    {
        EtherTypes.Ipv4 => nwProto switch
        {
            IpProtocols.Icmp => "icmp",
            IpProtocols.Igmp when igmp => "igmp",
            IpProtocols.Tcp => "tcp",
            IpProtocols.Udp => "udp",
            IpProtocols.Sctp => "sctp",
            _ => "ip",
        },
        EtherTypes.Ipv6 => nwProto switch
        {
            IpProtocols.IcmpV6 => "icmp6",
            IpProtocols.Tcp => "tcp6",
            IpProtocols.Udp => "udp6",
            IpProtocols.Sctp => "sctp6",
            _ => "ipv6",
        },
        EtherTypes.Arp => "arp",
        EtherTypes.Rarp => "rarp",
        EtherTypes.Mpls => "mpls",
        EtherTypes.MplsMulticast => "mplsm",
        _ => null,
    };

    /// <summary>Whether <paramref name="shorthand"/> already says the IP protocol (so nw_proto is not printed again).</summary>
    public static bool NamesProtocol(string shorthand) => shorthand is not ("ip" or "ipv6" or "arp" or "rarp" or "mpls" or "mplsm");
}
