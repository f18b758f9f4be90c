using System.Buffers.Binary;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.OpenFlow.Wire.Match;

/// <summary>
/// OpenFlow 1.0's fixed 40-byte <c>ofp_match</c> to and from <see cref="PipelineMatch"/>, with Open vSwitch's
/// reading of the wildcards: nw_src/nw_dst wildcard a number of low bits (32 or more: all), dl_vlan 0xffff
/// matches frames without a tag, dl_vlan_pcp matched alone still needs a tag, nw_tos keeps only the DSCP bits,
/// and fields whose protocol the match does not pin down are dropped (Open vSwitch's normalization).
/// </summary>
public static class Of10MatchCodec
{
    /// <summary>Bytes of an OpenFlow 1.0 ofp_match.</summary>
    public const int Size = 40;

    /// <summary>OFP_VLAN_NONE: dl_vlan's "no 802.1Q tag".</summary>
    public const ushort VlanNone = 0xffff;

    /// <summary>OFPFW_IN_PORT.</summary>
    public const uint WildInPort = 1 << 0;
    /// <summary>OFPFW_DL_VLAN.</summary>
    public const uint WildDlVlan = 1 << 1;
    /// <summary>OFPFW_DL_SRC.</summary>
    public const uint WildDlSrc = 1 << 2;
    /// <summary>OFPFW_DL_DST.</summary>
    public const uint WildDlDst = 1 << 3;
    /// <summary>OFPFW_DL_TYPE.</summary>
    public const uint WildDlType = 1 << 4;
    /// <summary>OFPFW_NW_PROTO.</summary>
    public const uint WildNwProto = 1 << 5;
    /// <summary>OFPFW_TP_SRC.</summary>
    public const uint WildTpSrc = 1 << 6;
    /// <summary>OFPFW_TP_DST.</summary>
    public const uint WildTpDst = 1 << 7;
    /// <summary>OFPFW_NW_SRC_SHIFT: six bits counting wildcarded low bits of nw_src.</summary>
    public const int NwSrcShift = 8;
    /// <summary>OFPFW_NW_DST_SHIFT.</summary>
    public const int NwDstShift = 14;
    /// <summary>OFPFW_DL_VLAN_PCP.</summary>
    public const uint WildDlVlanPcp = 1 << 20;
    /// <summary>OFPFW_NW_TOS.</summary>
    public const uint WildNwTos = 1 << 21;
    /// <summary>OFPFW_ALL: every defined wildcard bit (higher bits are ignored, as Open vSwitch ignores them).</summary>
    public const uint WildAll = (1 << 22) - 1;

    /// <summary>Reads 40 bytes of ofp_match; running short is OFPBRC_BAD_LEN (the message is too short).</summary>
    public static PipelineMatch Decode(ref WireReader r)
    {
        uint wild = r.U32() & WildAll;
        ushort inPort = r.U16();
        ReadOnlySpan<byte> dlSrc = r.Bytes(6);
        ReadOnlySpan<byte> dlDst = r.Bytes(6);
        ushort dlVlan = r.U16();
        byte dlVlanPcp = r.U8();
        r.Skip(1);
        ushort dlType = r.U16();
        byte nwTos = r.U8();
        byte nwProto = r.U8();
        r.Skip(2);
        uint nwSrc = r.U32();
        uint nwDst = r.U32();
        ushort tpSrc = r.U16();
        ushort tpDst = r.U16();

        PipelineMatch m = default;
        if ((wild & WildInPort) == 0)
        {
            OfFields.InPort.Set(ref m, inPort >= 0xff00 ? inPort + 0xffff0000u : inPort, uint.MaxValue);
        }

        if ((wild & WildDlSrc) == 0)
        {
            OfFields.EthSrc.Set(ref m, Mac(dlSrc), OfFields.EthSrc.ValueMask);
        }

        if ((wild & WildDlDst) == 0)
        {
            OfFields.EthDst.Set(ref m, Mac(dlDst), OfFields.EthDst.ValueMask);
        }

        if ((wild & WildDlType) == 0)
        {
            OfFields.EthType.Set(ref m, dlType, 0xffff);
        }

        bool vlanWild = (wild & WildDlVlan) != 0, pcpWild = (wild & WildDlVlanPcp) != 0;
        if (!vlanWild && dlVlan == VlanNone)
        {
            // Only frames without a tag: the whole TCI zero, as Open vSwitch reads it (its NXM dumps print
            // vlan_tci=0x0000, its OXM ones vlan_tci=0x0000/0x1fff). A matched PCP beside it is contradictory and ignored.
            OfFields.VlanTci.Set(ref m, 0, 0xffff);
        }
        else if (!vlanWild || !pcpWild)
        {
            ushort tciMask = (ushort)(FlowKey.VlanCfi | (vlanWild ? 0 : 0x0fff) | (pcpWild ? 0 : 0xe000));
            ushort tci = (ushort)(FlowKey.VlanCfi | (dlVlan & 0x0fff) | ((dlVlanPcp & 7) << 13));
            OfFields.VlanTci.Set(ref m, tci, tciMask);
        }

        if ((wild & WildNwProto) == 0)
        {
            OfFields.NwProto.Set(ref m, nwProto, 0xff);
        }

        if ((wild & WildNwTos) == 0)
        {
            OfFields.NwTos.Set(ref m, nwTos & 0xfcu, 0xfc);
        }

        SetPrefix(ref m, OfFields.IpSrc, nwSrc, (int)((wild >> NwSrcShift) & 0x3f));
        SetPrefix(ref m, OfFields.IpDst, nwDst, (int)((wild >> NwDstShift) & 0x3f));
        if ((wild & WildTpSrc) == 0)
        {
            OfFields.TpSrc.Set(ref m, tpSrc, 0xffff);
        }

        if ((wild & WildTpDst) == 0)
        {
            OfFields.TpDst.Set(ref m, tpDst, 0xffff);
        }

        Normalize(ref m);
        int dl = Prerequisites.DlType(m);
        int proto = Prerequisites.IpProto(m);
        if ((dl == EtherTypes.Ipv4 && proto == IpProtocols.Icmp) || (dl == EtherTypes.Ipv6 && proto == IpProtocols.IcmpV6))
        {
            // ICMP's type and code ride in tp_src and tp_dst; FastPath's key keeps them in the low byte. A value
            // above 255 stays 16 bits wide, as in Open vSwitch's flow (which no ICMP packet matches).
            bool v4 = dl == EtherTypes.Ipv4;
            IcmpView(ref m, OfFields.TpSrc, v4 ? OfFields.IcmpType : OfFields.Icmpv6Type);
            IcmpView(ref m, OfFields.TpDst, v4 ? OfFields.IcmpCode : OfFields.Icmpv6Code);
        }

        return m;
    }

    private static void IcmpView(ref PipelineMatch m, OfField port, OfField icmp)
    {
        var (value, mask) = port.Get(m);
        if (mask == 0xffff && value <= 0xff)
        {
            port.Clear(ref m);
            icmp.Set(ref m, value, 0xff);
        }
    }

    /// <summary>Whether <paramref name="match"/> fits an OpenFlow 1.0 ofp_match without losing anything.</summary>
    public static bool CanEncode(in PipelineMatch match)
    {
        try
        {
            var w = new WireWriter(Size);
            Encode(w, match);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes 40 bytes of ofp_match. Throws <see cref="ArgumentException"/> when the match says more than
    /// OpenFlow 1.0 can (registers, IPv6, a non-CIDR address mask...): such a rule needs NXM.
    /// </summary>
    public static void Encode(WireWriter w, in PipelineMatch match)
    {
        uint wild = 0;
        var (inPort, inPortMask) = OfFields.InPort.Get(match);
        wild |= inPortMask == 0 ? WildInPort : 0;
        var (src, srcMask) = OfFields.EthSrc.Get(match);
        wild |= srcMask == 0 ? WildDlSrc : 0;
        var (dst, dstMask) = OfFields.EthDst.Get(match);
        wild |= dstMask == 0 ? WildDlDst : 0;
        var (dlType, dlTypeMask) = OfFields.EthType.Get(match);
        wild |= dlTypeMask == 0 ? WildDlType : 0;
        var (proto, protoMask) = OfFields.NwProto.Get(match);
        wild |= protoMask == 0 ? WildNwProto : 0;
        var (tos, tosMask) = OfFields.NwTos.Get(match);
        wild |= tosMask == 0 ? WildNwTos : 0;
        var (nwSrc, nwSrcMask) = OfFields.IpSrc.Get(match);
        var (nwDst, nwDstMask) = OfFields.IpDst.Get(match);
        wild |= (uint)WildcardBits((uint)nwSrcMask) << NwSrcShift;
        wild |= (uint)WildcardBits((uint)nwDstMask) << NwDstShift;
        var (tpSrc, tpSrcMask) = OfFields.TpSrc.Get(match);
        var (tpDst, tpDstMask) = OfFields.TpDst.Get(match);
        wild |= tpSrcMask == 0 ? WildTpSrc : 0;
        wild |= tpDstMask == 0 ? WildTpDst : 0;

        var (tci, tciMask) = OfFields.VlanTci.Get(match);
        ushort dlVlan = 0;
        byte pcp = 0;
        if (tciMask == 0)
        {
            wild |= WildDlVlan | WildDlVlanPcp;
        }
        else if ((tciMask & FlowKey.VlanCfi) != 0 && (tci & FlowKey.VlanCfi) == 0)
        {
            dlVlan = VlanNone;
            wild |= WildDlVlanPcp;
        }
        else
        {
            wild |= (tciMask & 0x0fff) == 0 ? WildDlVlan : 0;
            wild |= (tciMask & 0xe000) == 0 ? WildDlVlanPcp : 0;
            dlVlan = (ushort)(tci & 0x0fff);
            pcp = (byte)(tci >> 13);
        }

        if (inPort > 0xffff && inPort < 0xffffff00)
        {
            throw new ArgumentException($"in_port {inPort} does not fit OpenFlow 1.0", nameof(match));
        }

        int start = w.Length;
        w.U32(wild);
        w.U16((ushort)(inPort >= 0xffffff00 ? inPort - 0xffff0000 : inPort));
        WriteMac(w, src);
        WriteMac(w, dst);
        w.U16(dlVlan);
        w.U8(pcp);
        w.U8(0);
        w.U16((ushort)dlType);
        w.U8((byte)tos);
        w.U8((byte)proto);
        w.U16(0);
        w.U32((uint)nwSrc);
        w.U32((uint)nwDst);
        w.U16((ushort)tpSrc);
        w.U16((ushort)tpDst);

        // What the 40 bytes say must be the whole match.
        var back = new WireReader(w.Written[start..]);
        PipelineMatch decoded = Decode(ref back);
        PipelineMatch normalized = match;
        Normalize(ref normalized);
        PipelineMatch untagged = normalized;
        if ((tciMask & FlowKey.VlanCfi) != 0 && tci == 0)
        {
            // "No tag" whatever other TCI bits the mask names: a frame without a tag has a TCI of zero. Decode reads
            // OFP_VLAN_NONE as the whole TCI zero. A CFI-zero match with other bits set (vlan_tci=0x0514/0x1fff)
            // matches no frame at all and is not this: NXM or OXM only, as Open vSwitch 3.1's ovs-ofctl parse-flow
            // says ("usable protocols: NXM,OXM").
            OfFields.VlanTci.Set(ref untagged, 0, 0xffff);
        }

        if (decoded != untagged || normalized != match)
        {
            throw new ArgumentException($"match {Text.MatchText.Format(match)} cannot be expressed in an OpenFlow 1.0 ofp_match", nameof(match));
        }
    }

    /// <summary>
    /// Open vSwitch's normalization of an OpenFlow 1.0 match: network and transport fields the match's
    /// dl_type and nw_proto do not allow are wildcarded (an OpenFlow 1.0 switch ignores them).
    /// </summary>
    public static void Normalize(ref PipelineMatch m)
    {
        int dlType = Prerequisites.DlType(m);
        int proto = OfFields.NwProto.Read(m.Mask) == 0xff ? (int)OfFields.NwProto.Read(m.Key) : -1;
        bool ipv4 = dlType == EtherTypes.Ipv4;
        bool arp = dlType is EtherTypes.Arp or EtherTypes.Rarp;
        bool nwAddr = ipv4 || arp;
        bool ipv6 = dlType == EtherTypes.Ipv6;
        bool tpAddr = (ipv4 && proto is IpProtocols.Tcp or IpProtocols.Udp or IpProtocols.Sctp or IpProtocols.Icmp)
            || (ipv6 && proto is IpProtocols.Tcp or IpProtocols.Udp or IpProtocols.Sctp or IpProtocols.IcmpV6);
        bool nwProto = ipv4 || arp || ipv6;
        bool ipAny = ipv4 || ipv6;
        if (!nwAddr)
        {
            OfFields.IpSrc.Clear(ref m);
            OfFields.IpDst.Clear(ref m);
        }

        if (!tpAddr)
        {
            OfFields.TpSrc.Clear(ref m);
            OfFields.TpDst.Clear(ref m);
        }

        if (!nwProto)
        {
            OfFields.NwProto.Clear(ref m);
        }

        if (!ipAny)
        {
            OfFields.NwTos.Clear(ref m);
        }
    }

    private static void SetPrefix(ref PipelineMatch m, OfField f, uint addr, int wildBits)
    {
        if (wildBits >= 32)
        {
            return;
        }

        uint mask = ~((1u << wildBits) - 1);
        f.Set(ref m, addr & mask, mask);
    }

    private static int WildcardBits(uint mask)
    {
        if (mask == 0)
        {
            return 32;
        }

        int zeros = System.Numerics.BitOperations.TrailingZeroCount(mask);
        if ((~mask >> zeros) != 0 && zeros < 32 && mask != ~((1u << zeros) - 1))
        {
            throw new ArgumentException($"address mask 0x{mask:x8} is not a prefix, which OpenFlow 1.0 cannot say");
        }

        return zeros;
    }

    private static UInt128 Mac(ReadOnlySpan<byte> b)
    {
        Span<byte> w = stackalloc byte[8];
        w.Clear();
        b.CopyTo(w[2..]);
        return BinaryPrimitives.ReadUInt64BigEndian(w);
    }

    private static void WriteMac(WireWriter w, UInt128 mac)
    {
        w.U16((ushort)(mac >> 32));
        w.U32((uint)mac);
    }
}
