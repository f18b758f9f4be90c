using System.Globalization;
using System.Net;

namespace FastPath.Packets.Tests.OvsDifferential;

/// <summary>
/// One flow as a set of named fields in a canonical spelling, so that a line printed by
/// <c>ovs-ofctl parse-pcap</c> and a FastPath <see cref="FlowKey"/> can be compared field by field.
/// Field names are Open vSwitch's, except that ICMP/IGMP type and code are always tp_src/tp_dst (where
/// both keep them) and the two VLAN headers are vlan0/vlan1 ("none" or "vid=V,pcp=P").
/// </summary>
internal static class OvsFlowView
{
    private static readonly Dictionary<string, (ushort DlType, int NwProto)> Shorthands = new()
    {
        ["ip"] = (0x0800, -1),
        ["ipv6"] = (0x86dd, -1),
        ["arp"] = (0x0806, -1),
        ["rarp"] = (0x8035, -1),
        ["mpls"] = (0x8847, -1),
        ["mplsm"] = (0x8848, -1),
        ["tcp"] = (0x0800, 6),
        ["udp"] = (0x0800, 17),
        ["sctp"] = (0x0800, 132),
        ["icmp"] = (0x0800, 1),
        ["tcp6"] = (0x86dd, 6),
        ["udp6"] = (0x86dd, 17),
        ["sctp6"] = (0x86dd, 132),
        ["icmp6"] = (0x86dd, 58),
    };

    private static readonly string[] TcpFlagNames = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns", "[200]", "[400]", "[800]"];

    /// <summary>Parses one line of <c>ovs-ofctl parse-pcap</c> output.</summary>
    public static SortedDictionary<string, string> FromOvs(string line)
    {
        var f = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? vid0 = null, pcp0 = null, vid1 = null, pcp1 = null;
        foreach (string token in line.Trim().Split(','))
        {
            int eq = token.IndexOf('=');
            if (eq < 0)
            {
                if (!Shorthands.TryGetValue(token, out var sh))
                {
                    throw new FormatException($"unknown protocol shorthand '{token}' in: {line}");
                }

                f["dl_type"] = Hex16(sh.DlType);
                if (sh.NwProto >= 0)
                {
                    f["nw_proto"] = sh.NwProto.ToString(CultureInfo.InvariantCulture);
                }

                continue;
            }

            string name = token[..eq], value = token[(eq + 1)..];
            switch (name)
            {
                case "in_port":
                    break;
                case "vlan_tci":
                    f["vlan0"] = value == "0x0000" ? "none" : "raw:" + value;
                    break;
                case "vlan_tci1":
                    f["vlan1"] = value == "0x0000" ? "none" : "raw:" + value;
                    break;
                case "dl_vlan":
                    vid0 = value;
                    break;
                case "dl_vlan_pcp":
                    pcp0 = value;
                    break;
                case "dl_vlan1":
                    vid1 = value;
                    break;
                case "dl_vlan_pcp1":
                    pcp1 = value;
                    break;
                case "dl_type":
                    f["dl_type"] = Hex16(Convert.ToUInt16(value, 16));
                    break;
                case "icmp_type" or "igmp_type":
                    f["tp_src"] = value;
                    break;
                case "icmp_code" or "igmp_code":
                    f["tp_dst"] = value;
                    break;
                case "tcp_flags":
                    f["tcp_flags"] = ParseTcpFlags(value).ToString(CultureInfo.InvariantCulture);
                    break;
                case "ipv6_src" or "ipv6_dst" or "nd_target":
                    f[name] = IPAddress.Parse(value).ToString();
                    break;
                case "ipv6_label":
                    f[name] = Convert.ToUInt32(value, 16).ToString(CultureInfo.InvariantCulture);
                    break;
                default:
                    f[name] = value;
                    break;
            }
        }

        if (vid0 != null || pcp0 != null)
        {
            f["vlan0"] = $"vid={vid0},pcp={pcp0}";
        }

        if (vid1 != null || pcp1 != null)
        {
            f["vlan1"] = $"vid={vid1},pcp={pcp1}";
        }

        return f;
    }

    /// <summary>
    /// The fields of <paramref name="k"/> that Open vSwitch would print for the same flow (the fields its
    /// flow_wildcards_init_for_packet() considers, given dl_type, nw_proto and nw_frag), plus in
    /// <paramref name="covered"/> every key byte those fields, and fields Open vSwitch extracts without
    /// printing (VLAN TPIDs, ND fields under IPv4), occupy. Any other non-zero byte is a field FastPath has
    /// and Open vSwitch does not.
    /// </summary>
    public static SortedDictionary<string, string> FromKey(in FlowKey k, bool[] covered)
    {
        var f = new SortedDictionary<string, string>(StringComparer.Ordinal);
        FlowKey key = k;
        ReadOnlySpan<byte> b = key.Bytes;
        void Cover(int offset, int length) => Array.Fill(covered, true, offset, length);

        Cover(0, 16); // metadata: not packet fields
        f["dl_dst"] = Mac(b.Slice(FlowKey.Offsets.DlDst, 6));
        f["dl_src"] = Mac(b.Slice(FlowKey.Offsets.DlSrc, 6));
        Cover(FlowKey.Offsets.DlDst, 14);
        ushort type = key.EthType;
        f["dl_type"] = Hex16(type);
        Cover(FlowKey.Offsets.Vlan0, 8);
        f["vlan0"] = Vlan(key.Vlan0Tci);
        if ((key.Vlan0Tci & FlowKey.VlanCfi) != 0)
        {
            f["vlan1"] = Vlan(key.Vlan1Tci);
        }

        if (type is EtherTypes.Ipv4 or EtherTypes.Ipv6)
        {
            if (type == EtherTypes.Ipv4)
            {
                f["nw_src"] = new IPAddress(b.Slice(FlowKey.Offsets.NwSrc, 4)).ToString();
                f["nw_dst"] = new IPAddress(b.Slice(FlowKey.Offsets.NwDst, 4)).ToString();
                Cover(FlowKey.Offsets.NwSrc, 4);
                Cover(FlowKey.Offsets.NwDst, 4);
            }
            else
            {
                f["ipv6_src"] = new IPAddress(b.Slice(FlowKey.Offsets.NwSrc, 16)).ToString();
                f["ipv6_dst"] = new IPAddress(b.Slice(FlowKey.Offsets.NwDst, 16)).ToString();
                f["ipv6_label"] = key.Ipv6Label.ToString(CultureInfo.InvariantCulture);
                Cover(FlowKey.Offsets.NwSrc, 36);
            }

            Cover(FlowKey.Offsets.NwProto, 4);
            f["nw_proto"] = Num(key.NwProto);
            f["nw_tos"] = Num(key.NwTos & 0xfc);
            f["nw_ecn"] = Num(key.NwTos & 0x03);
            f["nw_ttl"] = Num(key.NwTtl);
            f["nw_frag"] = (key.NwFrag & FragFlags.Later) != 0 ? "later" : (key.NwFrag & FragFlags.Any) != 0 ? "first" : "no";
            byte proto = key.NwProto;
            if ((key.NwFrag & FragFlags.Later) == 0 && proto is IpProtocols.Tcp or IpProtocols.Udp or IpProtocols.Sctp
                or IpProtocols.Icmp or IpProtocols.Igmp or IpProtocols.IcmpV6)
            {
                f["tp_src"] = Num(key.TpSrc);
                f["tp_dst"] = Num(key.TpDst);
                Cover(FlowKey.Offsets.TpSrc, 4);
                if (proto == IpProtocols.Tcp)
                {
                    f["tcp_flags"] = Num(key.TcpFlags);
                    Cover(FlowKey.Offsets.TcpFlags, 2);
                }

                if (proto == IpProtocols.IcmpV6 && key.TpSrc is 135 or 136 && key.TpDst == 0)
                {
                    Cover(FlowKey.Offsets.ArpSha, 6);
                    Cover(FlowKey.Offsets.ArpTha, 6);
                    Cover(FlowKey.Offsets.NdTarget, 16);
                    if (type == EtherTypes.Ipv6)
                    {
                        f["nd_target"] = new IPAddress(b.Slice(FlowKey.Offsets.NdTarget, 16)).ToString();
                        f["nd_sll"] = Mac(b.Slice(FlowKey.Offsets.ArpSha, 6));
                        f["nd_tll"] = Mac(b.Slice(FlowKey.Offsets.ArpTha, 6));
                    }
                }
            }
        }
        else if (type is EtherTypes.Arp or EtherTypes.Rarp)
        {
            f["arp_spa"] = new IPAddress(b.Slice(FlowKey.Offsets.NwSrc, 4)).ToString();
            f["arp_tpa"] = new IPAddress(b.Slice(FlowKey.Offsets.NwDst, 4)).ToString();
            f["arp_op"] = Num(key.NwProto);
            f["arp_sha"] = Mac(b.Slice(FlowKey.Offsets.ArpSha, 6));
            f["arp_tha"] = Mac(b.Slice(FlowKey.Offsets.ArpTha, 6));
            Cover(FlowKey.Offsets.NwSrc, 4);
            Cover(FlowKey.Offsets.NwDst, 4);
            Cover(FlowKey.Offsets.NwProto, 1);
            Cover(FlowKey.Offsets.ArpSha, 6);
            Cover(FlowKey.Offsets.ArpTha, 6);
        }
        else if (type is EtherTypes.Mpls or EtherTypes.MplsMulticast)
        {
            f["mpls_label"] = Num(key.MplsLabel);
            f["mpls_tc"] = Num(key.MplsTc);
            f["mpls_ttl"] = Num(key.MplsTtl);
            f["mpls_bos"] = key.MplsBos ? "1" : "0";
            Cover(FlowKey.Offsets.MplsLse, 4 * FlowKey.MaxMplsLabels);

            // Open vSwitch shows the entries up to the first with bottom-of-stack.
            for (int i = 1; i < FlowKey.MaxMplsLabels && (key.MplsLse(i - 1) & 0x100) == 0; i++)
            {
                f[$"mpls_lse{i}"] = Num(key.MplsLse(i));
            }
        }

        return f;
    }

    private static string Vlan(ushort tci) =>
        (tci & FlowKey.VlanCfi) == 0 ? "none" : $"vid={tci & 0xfff},pcp={tci >> 13}";

    private static int ParseTcpFlags(string value)
    {
        if (value.StartsWith("0x", StringComparison.Ordinal))
        {
            return Convert.ToInt32(value, 16);
        }

        int flags = 0;
        foreach (string name in value.Split('|'))
        {
            int bit = Array.IndexOf(TcpFlagNames, name);
            if (name == "0")
            {
                continue;
            }

            if (bit < 0)
            {
                throw new FormatException($"unknown TCP flag '{name}'");
            }

            flags |= 1 << bit;
        }

        return flags;
    }

    private static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Hex16(ushort v) => "0x" + v.ToString("x4", CultureInfo.InvariantCulture);

    private static string Mac(ReadOnlySpan<byte> b) => string.Join(':', b.ToArray().Select(x => x.ToString("x2", CultureInfo.InvariantCulture)));
}
