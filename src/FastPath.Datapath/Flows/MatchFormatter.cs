using System.Net;
using System.Text;
using FastPath.Packets;

namespace FastPath.Datapath.Flows;

/// <summary>Prints a <see cref="FlowMatch"/> in Open vSwitch's datapath flow syntax (dpctl/dump-flows).</summary>
public static class MatchFormatter
{
    /// <summary>Formats the match, listing only fields the mask looks at; "masked" values print as value/mask.</summary>
    public static string Format(in FlowMatch match)
    {
        FlowKey k = match.Key;
        FlowKey m = match.Mask;
        var parts = new List<string>();
        if (m.RecircId != 0)
        {
            parts.Add($"recirc_id({k.RecircId})");
        }

        if (m.InPort != 0)
        {
            parts.Add($"in_port({k.InPort})");
        }

        var eth = new List<string>();
        AddMac(eth, "src", k.DlSrc, m.DlSrc);
        AddMac(eth, "dst", k.DlDst, m.DlDst);
        if (eth.Count > 0)
        {
            parts.Add($"eth({string.Join(',', eth)})");
        }

        if (m.Vlan0Tci != 0)
        {
            parts.Add((k.Vlan0Tci & FlowKey.VlanCfi) == 0
                ? "vlan()"
                : $"vlan(vid={k.Vlan0Tci & 0xfff},pcp={k.Vlan0Tci >> 13})");
        }

        if (m.EthType != 0)
        {
            parts.Add($"eth_type(0x{k.EthType:x4})");
        }

        ushort type = k.EthType;
        bool arp = type is EtherTypes.Arp or EtherTypes.Rarp;
        if (type is EtherTypes.Mpls or EtherTypes.MplsMulticast)
        {
            // The label stack shares its bytes with nw_src: under an MPLS type nothing else of L3 is printed.
            AddMpls(parts, k, m);
        }
        else if (type == EtherTypes.Ipv4 || arp)
        {
            // RARP has ARP's layout and, as in Open vSwitch, prints as arp(...) after eth_type(0x8035).
            var ip = new List<string>();
            AddAddr(ip, arp ? "sip" : "src", k.Bytes.Slice(FlowKey.Offsets.NwSrc, 4), m.Bytes.Slice(FlowKey.Offsets.NwSrc, 4));
            AddAddr(ip, arp ? "tip" : "dst", k.Bytes.Slice(FlowKey.Offsets.NwDst, 4), m.Bytes.Slice(FlowKey.Offsets.NwDst, 4));
            AddIpCommon(ip, k, m, arp);
            if (arp)
            {
                AddMac(ip, "sha", k.ArpSha, m.ArpSha);
                AddMac(ip, "tha", k.ArpTha, m.ArpTha);
            }

            if (ip.Count > 0)
            {
                parts.Add($"{(arp ? "arp" : "ipv4")}({string.Join(',', ip)})");
            }
        }
        else if (type == EtherTypes.Ipv6)
        {
            var ip = new List<string>();
            AddAddr(ip, "src", k.Ipv6Src, m.Ipv6Src);
            AddAddr(ip, "dst", k.Ipv6Dst, m.Ipv6Dst);
            if (m.Ipv6Label != 0)
            {
                ip.Add($"label=0x{k.Ipv6Label:x}");
            }

            AddIpCommon(ip, k, m, arp: false);
            if (ip.Count > 0)
            {
                parts.Add($"ipv6({string.Join(',', ip)})");
            }
        }

        if (m.TpSrc != 0 || m.TpDst != 0)
        {
            string l4 = k.NwProto switch
            {
                IpProtocols.Tcp => "tcp",
                IpProtocols.Udp => "udp",
                IpProtocols.Sctp => "sctp",
                IpProtocols.Icmp => "icmp",
                IpProtocols.IcmpV6 => "icmpv6",

                // Open vSwitch's datapath flow syntax has no IGMP attribute; this mirrors icmp(type,code).
                IpProtocols.Igmp => "igmp",
                _ => "l4",
            };
            bool icmp = l4.StartsWith("icmp", StringComparison.Ordinal) || l4 == "igmp";
            var f = new List<string>();
            AddNum(f, icmp ? "type" : "src", k.TpSrc, m.TpSrc, 0xffff);
            AddNum(f, icmp ? "code" : "dst", k.TpDst, m.TpDst, 0xffff);
            parts.Add($"{l4}({string.Join(',', f)})");
        }

        if (m.TcpFlags != 0)
        {
            parts.Add($"tcp_flags(0x{k.TcpFlags:x3}/0x{m.TcpFlags:x3})");
        }

        return parts.Count == 0 ? "(any)" : string.Join(',', parts);
    }

    // Open vSwitch's mpls(...) attribute: one label=,tc=,ttl=,bos= group per entry up to the last one the mask
    // looks at; an entry under a partial mask prints every field as value/mask, as odp-util does.
    private static void AddMpls(List<string> parts, in FlowKey k, in FlowKey m)
    {
        int entries = 0;
        for (int i = 0; i < FlowKey.MaxMplsLabels; i++)
        {
            if (m.MplsLse(i) != 0)
            {
                entries = i + 1;
            }
        }

        if (entries == 0)
        {
            return;
        }

        var lses = new List<string>();
        for (int i = 0; i < entries; i++)
        {
            uint v = k.MplsLse(i), mask = m.MplsLse(i);
            lses.Add(mask == uint.MaxValue
                ? $"label={v >> 12},tc={(v >> 9) & 7},ttl={v & 0xff},bos={(v >> 8) & 1}"
                : $"label={v >> 12}/0x{mask >> 12:x},tc={(v >> 9) & 7}/{(mask >> 9) & 7:x},ttl={v & 0xff}/0x{mask & 0xff:x},bos={(v >> 8) & 1}/{(mask >> 8) & 1:x}");
        }

        parts.Add($"mpls({string.Join(',', lses)})");
    }

    private static void AddIpCommon(List<string> f, in FlowKey k, in FlowKey m, bool arp)
    {
        AddNum(f, arp ? "op" : "proto", k.NwProto, m.NwProto, 0xff);
        if (!arp)
        {
            AddNum(f, "tos", k.NwTos, m.NwTos, 0xff);
            AddNum(f, "ttl", k.NwTtl, m.NwTtl, 0xff);
            if (m.NwFrag != 0)
            {
                string frag = (k.NwFrag & FragFlags.Later) != 0 ? "later" : (k.NwFrag & FragFlags.Any) != 0 ? "first" : "no";
                f.Add($"frag={frag}");
            }
        }
    }

    private static void AddNum(List<string> f, string name, int value, int mask, int full)
    {
        if (mask == 0)
        {
            return;
        }

        f.Add(mask == full ? $"{name}={value}" : $"{name}={value}/0x{mask:x}");
    }

    private static void AddMac(List<string> f, string name, ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask)
    {
        if (mask.IndexOfAnyExcept((byte)0) < 0)
        {
            return;
        }

        string v = Mac(value);
        f.Add(mask.IndexOfAnyExcept((byte)0xff) < 0 ? $"{name}={v}" : $"{name}={v}/{Mac(mask)}");
    }

    private static void AddAddr(List<string> f, string name, ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask)
    {
        if (mask.IndexOfAnyExcept((byte)0) < 0)
        {
            return;
        }

        string v = new IPAddress(value).ToString();
        f.Add(mask.IndexOfAnyExcept((byte)0xff) < 0 ? $"{name}={v}" : $"{name}={v}/{new IPAddress(mask)}");
    }

    private static string Mac(ReadOnlySpan<byte> b)
    {
        var sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++)
        {
            if (i > 0)
            {
                sb.Append(':');
            }

            sb.Append(b[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
