using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Text;
using FastPath.Packets;

namespace FastPath.Ofproto.Trace;

/// <summary>
/// Flows and matches in Open vSwitch's text, as <c>ofproto/trace</c> prints them: <see cref="Flow"/> is its
/// <c>flow_format</c> (the <c>Flow:</c> and <c>Final flow:</c> lines), <see cref="Match"/> its
/// <c>match_format</c> (rule lines and, with <c>megaflow</c>, the <c>Megaflow:</c> line).
/// </summary>
/// <remarks>
/// The order, names and number bases follow lib/match.c of Open vSwitch 3.1, so equal flows print equal
/// text. Where FastPath's megaflow masks part of a field that Open vSwitch only ever matches whole (nw_ttl,
/// nw_tos), the mask is printed as <c>value/0xMASK</c> rather than hidden: the line says what the datapath
/// really matches.
/// </remarks>
public static class OvsFlowFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// A packet's flow as Open vSwitch's <c>flow_format</c>: every header field the packet has (for IPv4,
    /// addresses, tos, ecn, ttl, frag and the transport fields), in_port, metadata and registers only when
    /// not zero.
    /// </summary>
    public static string Flow(in PipelineKey flow)
    {
        PipelineKey mask = PacketMask(flow);
        return Match(flow, mask, megaflow: false);
    }

    /// <summary>
    /// A match (<paramref name="value"/> under <paramref name="mask"/>) as Open vSwitch's <c>match_format</c>.
    /// With <paramref name="megaflow"/> the packet type (<c>eth</c>) is printed after recirc_id, as on the
    /// <c>Megaflow:</c> line.
    /// </summary>
    public static string Match(in PipelineKey value, in PipelineKey mask, bool megaflow)
    {
        var s = new StringBuilder();
        PipelineKey vv = value;
        PipelineKey mm = mask;
        FlowKey v = vv.PacketPart;
        FlowKey m = mm.PacketPart;

        Uint32(s, "pkt_mark", Be32(value, FlowKey.Offsets.PktMark, false), Be32(mask, FlowKey.Offsets.PktMark, false));
        uint recircMask = m.RecircId;
        if (recircMask != 0)
        {
            Uint32(s, "recirc_id", v.RecircId & recircMask, recircMask);
        }

        if (megaflow)
        {
            s.Append("eth,");
        }

        ushort dlTypeMask = Be16(mask, FlowKey.Offsets.DlType);
        ushort dlType = (ushort)(v.EthType & dlTypeMask);
        byte protoMask = m.NwProto;
        byte proto = (byte)(v.NwProto & protoMask);
        bool skipType = false, skipProto = false;
        if (dlTypeMask != 0)
        {
            skipType = true;
            string? shorthand = FlowShorthand.For(dlType, protoMask == 0 ? -1 : proto, igmp: true);
            if (shorthand is null)
            {
                skipType = false;
            }
            else
            {
                s.Append(shorthand).Append(',');
                skipProto = protoMask != 0 && FlowShorthand.NamesProtocol(shorthand);
            }
        }

        for (int i = 0; i < PipelineKey.Registers; i++)
        {
            Uint32(s, "reg" + i.ToString(Inv), vv.Reg(i), mm.Reg(i));
        }

        Uint64(s, "tun_id", vv.TunnelId, mm.TunnelId);
        Uint64(s, "metadata", vv.Metadata, mm.Metadata);
        if (m.InPort != 0)
        {
            s.Append("in_port=").Append(PortName(v.InPort)).Append(',');
        }

        Vlan(s, "", v.Vlan0Tci, Be16(mask, FlowKey.Offsets.Vlan0 + 2));
        if (Be16(mask, FlowKey.Offsets.Vlan0 + 2) != 0)
        {
            Vlan(s, "1", v.Vlan1Tci, Be16(mask, FlowKey.Offsets.Vlan1 + 2));
        }

        Mac(s, "dl_src", value, mask, FlowKey.Offsets.DlSrc);
        Mac(s, "dl_dst", value, mask, FlowKey.Offsets.DlDst);
        if (!skipType && dlTypeMask != 0)
        {
            s.Append(Inv, $"dl_type=0x{dlType:x4},");
        }

        bool arp = dlType is EtherTypes.Arp or EtherTypes.Rarp;
        bool mpls = dlType is EtherTypes.Mpls or EtherTypes.MplsMulticast;
        if (dlType == EtherTypes.Ipv6)
        {
            Ipv6(s, "ipv6_src", value, mask, FlowKey.Offsets.NwSrc);
            Ipv6(s, "ipv6_dst", value, mask, FlowKey.Offsets.NwDst);
            uint labelMask = Be32(mask, FlowKey.Offsets.Ipv6Label, true) & 0xfffff;
            if (labelMask != 0)
            {
                uint label = v.Ipv6Label & labelMask;
                s.Append(Inv, $"ipv6_label=0x{label:x5}");
                if (labelMask != 0xfffff)
                {
                    s.Append(Inv, $"/0x{labelMask:x5}");
                }

                s.Append(',');
            }
        }
        else if (arp)
        {
            Ipv4(s, "arp_spa", value, mask, FlowKey.Offsets.NwSrc);
            Ipv4(s, "arp_tpa", value, mask, FlowKey.Offsets.NwDst);
        }
        else if (!mpls)
        {
            // The MPLS label stack shares nw_src's bytes: under an MPLS type they are not addresses.
            Ipv4(s, "nw_src", value, mask, FlowKey.Offsets.NwSrc);
            Ipv4(s, "nw_dst", value, mask, FlowKey.Offsets.NwDst);
        }

        if (!skipProto && protoMask != 0)
        {
            Masked8(s, arp ? "arp_op" : "nw_proto", proto, protoMask, hex: false);
        }

        if (arp)
        {
            Mac(s, "arp_sha", value, mask, FlowKey.Offsets.ArpSha);
            Mac(s, "arp_tha", value, mask, FlowKey.Offsets.ArpTha);
        }

        if (!arp && !mpls)
        {
            byte tosMask = m.NwTos;
            if ((tosMask & 0xfc) != 0)
            {
                Masked8(s, "nw_tos", (byte)(v.NwTos & tosMask & 0xfc), (byte)(tosMask & 0xfc), hex: false, full: 0xfc);
            }

            if ((tosMask & 0x03) != 0)
            {
                Masked8(s, "nw_ecn", (byte)(v.NwTos & tosMask & 0x03), (byte)(tosMask & 0x03), hex: false, full: 0x03);
            }

            if (m.NwTtl != 0)
            {
                Masked8(s, "nw_ttl", (byte)(v.NwTtl & m.NwTtl), m.NwTtl, hex: false);
            }
        }

        if (mpls)
        {
            uint lseMask = Be32(mask, FlowKey.Offsets.MplsLse, true);
            uint lse = v.MplsLse(0) & lseMask;
            if ((lseMask & 0xfffff000) != 0)
            {
                s.Append(Inv, $"mpls_label={lse >> 12},");
            }

            if ((lseMask & 0xe00) != 0)
            {
                s.Append(Inv, $"mpls_tc={(lse >> 9) & 7},");
            }

            if ((lseMask & 0xff) != 0)
            {
                s.Append(Inv, $"mpls_ttl={lse & 0xff},");
            }

            if ((lseMask & 0x100) != 0)
            {
                s.Append(Inv, $"mpls_bos={(lse >> 8) & 1},");
            }
        }

        byte fragMask = (byte)(m.NwFrag & (FragFlags.Any | FragFlags.Later));
        byte frag = (byte)((byte)v.NwFrag & fragMask);
        string? fragText = fragMask switch
        {
            3 => (frag & 1) != 0 ? ((frag & 2) != 0 ? "later" : "first") : ((frag & 2) != 0 ? "<error>" : "no"),
            1 => (frag & 1) != 0 ? "yes" : "no",
            2 => (frag & 2) != 0 ? "later" : "not_later",
            _ => null,
        };
        if (fragText is not null)
        {
            s.Append("nw_frag=").Append(fragText).Append(',');
        }

        ushort tpSrcMask = Be16(mask, FlowKey.Offsets.TpSrc), tpDstMask = Be16(mask, FlowKey.Offsets.TpDst);
        ushort tpSrc = (ushort)(v.TpSrc & tpSrcMask), tpDst = (ushort)(v.TpDst & tpDstMask);
        if (dlType == EtherTypes.Ipv4 && proto == IpProtocols.Icmp)
        {
            Byte16Masked(s, "icmp_type", tpSrc, tpSrcMask);
            Byte16Masked(s, "icmp_code", tpDst, tpDstMask);
        }
        else if (dlType == EtherTypes.Ipv4 && proto == IpProtocols.Igmp)
        {
            Byte16Masked(s, "igmp_type", tpSrc, tpSrcMask);
            Byte16Masked(s, "igmp_code", tpDst, tpDstMask);
        }
        else if (dlType == EtherTypes.Ipv6 && proto == IpProtocols.IcmpV6)
        {
            Byte16Masked(s, "icmp_type", tpSrc, tpSrcMask);
            Byte16Masked(s, "icmp_code", tpDst, tpDstMask);
            Ipv6(s, "nd_target", value, mask, FlowKey.Offsets.NdTarget);
            Mac(s, "nd_sll", value, mask, FlowKey.Offsets.ArpSha);
            Mac(s, "nd_tll", value, mask, FlowKey.Offsets.ArpTha);
        }
        else if (!arp && !mpls)
        {
            Be16Masked(s, "tp_src", tpSrc, tpSrcMask);
            Be16Masked(s, "tp_dst", tpDst, tpDstMask);
        }

        ushort flagsMask = (ushort)(Be16(mask, FlowKey.Offsets.TcpFlags) & 0x0fff);
        if (dlType is EtherTypes.Ipv4 or EtherTypes.Ipv6 && proto == IpProtocols.Tcp && flagsMask != 0)
        {
            s.Append("tcp_flags=");
            TcpFlags(s, (ushort)(v.TcpFlags & flagsMask), flagsMask);
            s.Append(',');
        }

        if (s.Length > 0 && s[^1] == ',')
        {
            s.Length--;
        }

        return s.ToString();
    }

    /// <summary>
    /// The fields Open vSwitch's <c>flow_wildcards_init_for_packet</c> says a packet with this flow has,
    /// less the zero metadata <c>flow_format</c> leaves out.
    /// </summary>
    public static PipelineKey PacketMask(in PipelineKey flow)
    {
        PipelineKey mask = default;
        PipelineKey copy = flow;
        FlowKey f = copy.PacketPart;
        Span<byte> m = mask.Bytes;
        if (f.InPort != 0)
        {
            Fill(m, FlowKey.Offsets.InPort, 4);
        }

        if (f.RecircId != 0)
        {
            Fill(m, FlowKey.Offsets.RecircId, 4);
        }

        if (Be32(flow, FlowKey.Offsets.PktMark, false) != 0)
        {
            Fill(m, FlowKey.Offsets.PktMark, 4);
        }

        for (int i = 0; i < PipelineKey.Registers; i++)
        {
            if (copy.Reg(i) != 0)
            {
                mask.SetReg(i, uint.MaxValue);
            }
        }

        if (copy.Metadata != 0)
        {
            mask.Metadata = ulong.MaxValue;
        }

        if (copy.TunnelId != 0)
        {
            mask.TunnelId = ulong.MaxValue;
        }

        m = mask.Bytes;
        Fill(m, FlowKey.Offsets.DlDst, 6);
        Fill(m, FlowKey.Offsets.DlSrc, 6);
        Fill(m, FlowKey.Offsets.DlType, 2);

        // Always show the first zero tag: an untagged packet prints vlan_tci=0x0000, a tagged one its next tag too.
        Fill(m, FlowKey.Offsets.Vlan0, 4);
        if (f.Vlan0Tci != 0)
        {
            Fill(m, FlowKey.Offsets.Vlan1, 4);
        }

        ushort dlType = f.EthType;
        switch (dlType)
        {
            case EtherTypes.Ipv4:
                Fill(m, FlowKey.Offsets.NwSrc, 4);
                Fill(m, FlowKey.Offsets.NwDst, 4);
                break;
            case EtherTypes.Ipv6:
                Fill(m, FlowKey.Offsets.NwSrc, 16);
                Fill(m, FlowKey.Offsets.NwDst, 16);
                Fill(m, FlowKey.Offsets.Ipv6Label, 4);
                if (f.NwProto == IpProtocols.IcmpV6 && f.TpDst == 0 && f.TpSrc is 135 or 136)
                {
                    Fill(m, FlowKey.Offsets.ArpSha, 6);
                    Fill(m, FlowKey.Offsets.ArpTha, 6);
                    Fill(m, FlowKey.Offsets.NdTarget, 16);
                }

                break;
            case EtherTypes.Arp or EtherTypes.Rarp:
                Fill(m, FlowKey.Offsets.NwSrc, 4);
                Fill(m, FlowKey.Offsets.NwDst, 4);
                Fill(m, FlowKey.Offsets.NwProto, 1);
                Fill(m, FlowKey.Offsets.ArpSha, 6);
                Fill(m, FlowKey.Offsets.ArpTha, 6);
                return mask;
            case EtherTypes.Mpls or EtherTypes.MplsMulticast:
                for (int i = 0; i < FlowKey.MaxMplsLabels; i++)
                {
                    Fill(m, FlowKey.Offsets.MplsLse + (4 * i), 4);
                    if ((f.MplsLse(i) & 0x100) != 0)
                    {
                        break;
                    }
                }

                return mask;
            default:
                return mask;
        }

        Fill(m, FlowKey.Offsets.NwFrag, 1);
        m[FlowKey.Offsets.NwFrag] = (byte)(FragFlags.Any | FragFlags.Later);
        Fill(m, FlowKey.Offsets.NwTos, 1);
        Fill(m, FlowKey.Offsets.NwTtl, 1);
        Fill(m, FlowKey.Offsets.NwProto, 1);
        if ((f.NwFrag & FragFlags.Later) == 0
            && f.NwProto is IpProtocols.Icmp or IpProtocols.IcmpV6 or IpProtocols.Tcp or IpProtocols.Udp or IpProtocols.Sctp or IpProtocols.Igmp)
        {
            Fill(m, FlowKey.Offsets.TpSrc, 2);
            Fill(m, FlowKey.Offsets.TpDst, 2);
            if (f.NwProto == IpProtocols.Tcp)
            {
                Fill(m, FlowKey.Offsets.TcpFlags, 2);
            }
        }

        return mask;
    }

    /// <summary>An OpenFlow port number as Open vSwitch prints it (LOCAL, CONTROLLER... for the reserved ones).</summary>
    public static string PortName(uint port) => OpenFlow.Fields.OfPorts.Format(port);

    private static void Fill(Span<byte> m, int offset, int length) => m.Slice(offset, length).Fill(0xff);

    private static ushort Be16(in PipelineKey k, int offset) => BinaryPrimitives.ReadUInt16BigEndian(k.ReadOnlyBytes[offset..]);

    private static uint Be32(in PipelineKey k, int offset, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(k.ReadOnlyBytes[offset..]) : BinaryPrimitives.ReadUInt32LittleEndian(k.ReadOnlyBytes[offset..]);

    private static string Hex(ulong v) => v == 0 ? "0" : "0x" + v.ToString("x", Inv);

    // format_uint32_masked: %#x, "/%#x" unless the mask is all ones.
    private static void Uint32(StringBuilder s, string name, uint value, uint mask)
    {
        if (mask == 0)
        {
            return;
        }

        s.Append(name).Append('=').Append(Hex(value & mask));
        if (mask != uint.MaxValue)
        {
            s.Append('/').Append(Hex(mask));
        }

        s.Append(',');
    }

    private static void Uint64(StringBuilder s, string name, ulong value, ulong mask)
    {
        if (mask == 0)
        {
            return;
        }

        s.Append(name).Append('=').Append(Hex(value & mask));
        if (mask != ulong.MaxValue)
        {
            s.Append('/').Append(Hex(mask));
        }

        s.Append(',');
    }

    private static void Masked8(StringBuilder s, string name, byte value, byte mask, bool hex, byte full = 0xff)
    {
        s.Append(name).Append('=').Append(hex ? Hex(value) : value.ToString(Inv));
        if (mask != full)
        {
            s.Append("/0x").Append(mask.ToString("x", Inv));
        }

        s.Append(',');
    }

    // format_be16_masked: decimal when exact, 0xVALUE/0xMASK otherwise.
    private static void Be16Masked(StringBuilder s, string name, ushort value, ushort mask)
    {
        if (mask == 0)
        {
            return;
        }

        s.Append(name).Append('=');
        s.Append(mask == 0xffff ? value.ToString(Inv) : $"0x{value.ToString("x", Inv)}/0x{mask.ToString("x", Inv)}");
        s.Append(',');
    }

    // ICMP and IGMP type and code are one byte each in a 16-bit slot: a match on the byte is a whole match.
    private static void Byte16Masked(StringBuilder s, string name, ushort value, ushort mask)
    {
        if (mask == 0)
        {
            return;
        }

        if (mask is 0xff or 0xffff)
        {
            s.Append(name).Append('=').Append((value & 0xff).ToString(Inv)).Append(',');
        }
        else
        {
            Be16Masked(s, name, value, mask);
        }
    }

    private static void Vlan(StringBuilder s, string index, ushort tci, ushort mask)
    {
        if (mask == 0)
        {
            return;
        }

        tci &= mask;
        ushort vidMask = (ushort)(mask & 0x0fff), pcpMask = (ushort)(mask & 0xe000);
        if ((mask & FlowKey.VlanCfi) != 0 && (tci & FlowKey.VlanCfi) != 0
            && (vidMask == 0 || vidMask == 0x0fff) && (pcpMask == 0 || pcpMask == 0xe000) && (vidMask | pcpMask) != 0)
        {
            if (vidMask != 0)
            {
                s.Append(Inv, $"dl_vlan{index}={tci & 0x0fff},");
            }

            if (pcpMask != 0)
            {
                s.Append(Inv, $"dl_vlan_pcp{index}={tci >> 13},");
            }
        }
        else if (mask == 0xffff)
        {
            s.Append(Inv, $"vlan_tci{index}=0x{tci:x4},");
        }
        else
        {
            s.Append(Inv, $"vlan_tci{index}=0x{tci:x4}/0x{mask:x4},");
        }
    }

    private static void Mac(StringBuilder s, string name, in PipelineKey value, in PipelineKey mask, int offset)
    {
        ReadOnlySpan<byte> m = mask.ReadOnlyBytes.Slice(offset, 6);
        if (m.IndexOfAnyExcept((byte)0) < 0)
        {
            return;
        }

        ReadOnlySpan<byte> v = value.ReadOnlyBytes.Slice(offset, 6);
        Span<byte> masked = stackalloc byte[6];
        for (int i = 0; i < 6; i++)
        {
            masked[i] = (byte)(v[i] & m[i]);
        }

        s.Append(name).Append('=');
        AppendMac(s, masked);
        if (m.IndexOfAnyExcept((byte)0xff) >= 0)
        {
            s.Append('/');
            AppendMac(s, m);
        }

        s.Append(',');
    }

    /// <summary>Appends xx:xx:xx:xx:xx:xx.</summary>
    internal static void AppendMac(StringBuilder s, ReadOnlySpan<byte> b)
    {
        for (int i = 0; i < 6; i++)
        {
            if (i > 0)
            {
                s.Append(':');
            }

            s.Append(b[i].ToString("x2", Inv));
        }
    }

    private static void Ipv4(StringBuilder s, string name, in PipelineKey value, in PipelineKey mask, int offset)
    {
        uint m = Be32(mask, offset, true);
        if (m == 0)
        {
            return;
        }

        uint v = Be32(value, offset, true) & m;
        s.Append(name).Append('=').Append(FieldText.FormatIpv4(v));
        if (m != uint.MaxValue)
        {
            int ones = BitOperations.PopCount(m);
            bool cidr = m == uint.MaxValue << (32 - ones);
            s.Append('/').Append(cidr ? ones.ToString(Inv) : FieldText.FormatIpv4(m));
        }

        s.Append(',');
    }

    private static void Ipv6(StringBuilder s, string name, in PipelineKey value, in PipelineKey mask, int offset)
    {
        UInt128 m = BinaryPrimitives.ReadUInt128BigEndian(mask.ReadOnlyBytes[offset..]);
        if (m == 0)
        {
            return;
        }

        UInt128 v = BinaryPrimitives.ReadUInt128BigEndian(value.ReadOnlyBytes[offset..]) & m;
        s.Append(name).Append('=').Append(FieldText.FormatIpv6(v));
        if (m != UInt128.MaxValue)
        {
            int ones = (int)UInt128.PopCount(m);
            bool cidr = m == UInt128.MaxValue << (128 - ones);
            s.Append('/').Append(cidr ? ones.ToString(Inv) : FieldText.FormatIpv6(m));
        }

        s.Append(',');
    }

    // format_flags_masked with packet_tcp_flag_to_string: names joined by '|' under a full mask, +name/-name
    // per masked bit otherwise.
    private static void TcpFlags(StringBuilder s, ushort flags, ushort mask)
    {
        if (mask == 0x0fff)
        {
            if (flags == 0)
            {
                s.Append('0');
                return;
            }

            bool first = true;
            for (int bit = 0; bit < 12; bit++)
            {
                if ((flags & (1 << bit)) != 0)
                {
                    s.Append(first ? "" : "|").Append(TcpFlagName(1 << bit));
                    first = false;
                }
            }

            return;
        }

        for (int bit = 0; bit < 12; bit++)
        {
            if ((mask & (1 << bit)) != 0)
            {
                s.Append((flags & (1 << bit)) != 0 ? '+' : '-').Append(TcpFlagName(1 << bit));
            }
        }
    }

    private static string TcpFlagName(int bit) => bit switch
    {
        0x001 => "fin",
        0x002 => "syn",
        0x004 => "rst",
        0x008 => "psh",
        0x010 => "ack",
        0x020 => "urg",
        0x040 => "ece",
        0x080 => "cwr",
        0x100 => "ns",
        _ => $"[{bit:x}]",
    };
}
