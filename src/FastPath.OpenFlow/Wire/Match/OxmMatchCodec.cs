using System.Buffers.Binary;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.OpenFlow.Wire.Match;

/// <summary>
/// NXM and OXM matches: TLV lists (NXT_FLOW_MOD and friends carry them bare, OpenFlow 1.2+ inside an
/// OFPMT_OXM <c>ofp_match</c>) to and from <see cref="PipelineMatch"/>. Decoding follows Open vSwitch: every known
/// header is accepted in every dialect, prerequisites must come first, and the errors are Open vSwitch's
/// (OFPBMC_BAD_FIELD for an unknown header or a known one of the wrong length, BAD_LEN for a TLV past the end,
/// BAD_WILDCARDS for value bits outside the mask, BAD_MASK for a partial mask on an unmaskable field,
/// BAD_VALUE for a value the field cannot hold, BAD_PREREQ, DUP_FIELD).
/// </summary>
public static class OxmMatchCodec
{
    /// <summary>OFPMT_OXM.</summary>
    public const ushort MatchTypeOxm = 1;

    /// <summary>OFPMT_STANDARD (OpenFlow 1.1's fixed 88-byte match, which FastPath does not take).</summary>
    public const ushort MatchTypeStandard = 0;

    private const int Of11StandardMatchLength = 88;

    /// <summary>
    /// Reads an OpenFlow 1.2+ <c>ofp_match</c> (type, length, TLVs, padding to 8 bytes) from <paramref name="r"/>.
    /// </summary>
    public static PipelineMatch DecodeOfpMatch(ref WireReader r)
    {
        if (r.Remaining < 4)
        {
            throw new OfErrorException(OfError.BadMatchBadLen, $"ofp_match needs 4 bytes, {r.Remaining} left");
        }

        ushort type = r.U16();
        ushort length = r.U16();
        if (type == MatchTypeStandard)
        {
            throw new OfErrorException(
                length == Of11StandardMatchLength ? OfError.BadMatchBadType : OfError.BadMatchBadLen,
                "OFPMT_STANDARD (OpenFlow 1.1) matches are not supported");
        }

        if (type != MatchTypeOxm)
        {
            throw new OfErrorException(OfError.BadMatchBadType, $"match type {type}");
        }

        int padded = (length + 7) / 8 * 8;
        if (length < 4 || padded - 4 > r.Remaining)
        {
            throw new OfErrorException(OfError.BadMatchBadLen, $"ofp_match length {length} with {r.Remaining + 4} bytes left");
        }

        ReadOnlySpan<byte> tlvs = r.Bytes(length - 4);
        r.Skip(padded - length);
        return DecodeTlvs(tlvs, out _, out _, allowCookie: false);
    }

    /// <summary>Writes <paramref name="match"/> as an OpenFlow 1.2+ <c>ofp_match</c> in the dialect of <paramref name="version"/>.</summary>
    public static void EncodeOfpMatch(WireWriter w, in PipelineMatch match, OpenFlowVersion version)
    {
        int start = w.Length;
        w.U16(MatchTypeOxm);
        w.U16(0);
        EncodeTlvs(w, match, MatchDialects.ForVersion(version));
        w.PatchU16(start + 2, (ushort)(w.Length - start));
        w.PadTo(start, 8);
    }

    /// <summary>
    /// Decodes a bare TLV list. With <paramref name="allowCookie"/> (NXT_FLOW_MOD, NXST_FLOW), NXM_NX_COOKIE sets
    /// <paramref name="cookie"/> and <paramref name="cookieMask"/>; elsewhere it is an unknown field.
    /// </summary>
    public static PipelineMatch DecodeTlvs(ReadOnlySpan<byte> tlvs, out ulong cookie, out ulong cookieMask, bool allowCookie)
    {
        cookie = 0;
        cookieMask = 0;
        bool sawCookie = false;
        PipelineMatch match = default;
        var r = new WireReader(tlvs, OfError.BadMatchBadLen);
        Span<byte> value = stackalloc byte[16];
        Span<byte> mask = stackalloc byte[16];
        while (!r.AtEnd)
        {
            uint header = r.U32();
            int length = (int)(header & 0xff);
            ushort cls = (ushort)(header >> 16);
            bool masked = (header & 0x100) != 0;
            WireReader payload = r.Sub(length);
            uint experimenter = 0;
            if (cls == OxmEntries.ExperimenterClass)
            {
                experimenter = payload.U32();
            }

            OxmEntry e = OxmEntries.Find(header, experimenter)
                ?? throw new OfErrorException(OfError.BadMatchBadField, $"unknown match field header 0x{header:x8}{(experimenter != 0 ? $" (experimenter 0x{experimenter:x8})" : "")}");
            Span<byte> v = value[..e.Width];
            Span<byte> m = mask[..e.Width];
            payload.Bytes(e.Width).CopyTo(v);
            if (masked)
            {
                payload.Bytes(e.Width).CopyTo(m);
            }
            else
            {
                m.Fill(0xff);
            }

            for (int i = 0; i < v.Length; i++)
            {
                if ((v[i] & ~m[i]) != 0)
                {
                    throw new OfErrorException(OfError.BadMatchBadWildcards, $"{e}: value has 1-bits outside its mask");
                }
            }

            if (!e.Maskable && m.ContainsAnyExcept((byte)0xff) && m.ContainsAnyExcept((byte)0))
            {
                throw new OfErrorException(OfError.BadMatchBadMask, $"{e} takes no mask");
            }

            if (e.Kind == OxmEntryKind.Cookie)
            {
                if (!allowCookie)
                {
                    throw new OfErrorException(OfError.BadMatchBadField, "NXM_NX_COOKIE outside a flow-mod or flow stats request");
                }

                if (sawCookie)
                {
                    throw new OfErrorException(OfError.BadMatchDupField, "NXM_NX_COOKIE twice");
                }

                sawCookie = true;
                cookie = BinaryPrimitives.ReadUInt64BigEndian(v);
                cookieMask = BinaryPrimitives.ReadUInt64BigEndian(m);
                continue;
            }

            if (!Prerequisites.IsSatisfied(e.Prerequisite, match))
            {
                throw new OfErrorException(OfError.BadMatchBadPrereq, $"{e.Field!.Name} needs {Prerequisites.Describe(e.Prerequisite)} first");
            }

            Apply(ref match, e, ToInteger(v), ToInteger(m));
        }

        return match;
    }

    /// <summary>
    /// Writes <paramref name="match"/> as a bare TLV list in <paramref name="dialect"/>, prerequisites first, followed
    /// by NXM_NX_COOKIE(_W) when <paramref name="cookieMask"/> is not zero. Throws <see cref="ArgumentException"/>
    /// when the match holds something no header can say (an L4 port without an L4 protocol...).
    /// </summary>
    public static void EncodeTlvs(WireWriter w, in PipelineMatch match, MatchDialect dialect, ulong cookie = 0, ulong cookieMask = 0)
        => EncodeWritable(w, IcmpInEightBits(match), dialect, cookie, cookieMask);

    private static void EncodeWritable(WireWriter w, in PipelineMatch match, MatchDialect dialect, ulong cookie, ulong cookieMask)
    {
        PipelineMatch covered = default;
        foreach (OfField f in FieldsInOrder(match, dialect))
        {
            var (value, mask) = f.Get(match);
            if (mask == 0)
            {
                continue;
            }

            if (f == OfFields.VlanTci && dialect != MatchDialect.Nxm && TryVlanAsOxm(w, value, mask, dialect, ref covered))
            {
                continue;
            }

            if (dialect == MatchDialect.Oxm15 && PacketRegisterPair(f) is int pair)
            {
                // OpenFlow 1.5 has 64-bit packet registers: Open vSwitch writes reg(2n) and reg(2n+1) as one.
                OfField high = OfFields.Reg(2 * pair), low = OfFields.Reg((2 * pair) + 1);
                if (f == low && high.IsMatched(match))
                {
                    continue; // written with its pair
                }

                var (hv, hm) = high.Get(match);
                var (lv, lm) = low.Get(match);
                UInt128 v64 = (hv << 32) | lv, m64 = (hm << 32) | lm;
                bool exact = m64 == ulong.MaxValue;
                w.U32(((uint)OxmEntries.PacketRegsClass << 16) | ((uint)pair << 9) | (exact ? 8u : 0x110u));
                w.U64((ulong)v64);
                if (!exact)
                {
                    w.U64((ulong)m64);
                }

                high.Set(ref covered, hv, hm);
                low.Set(ref covered, lv, lm);
                continue;
            }

            Put(w, f, value, mask, dialect);
            f.Set(ref covered, value, mask);
        }

        if (covered != match)
        {
            throw new ArgumentException($"match {Text.MatchText.Format(match)} cannot be encoded as {dialect}", nameof(match));
        }

        if (cookieMask != 0)
        {
            bool full = cookieMask == ulong.MaxValue;
            w.U32(OxmEntries.Cookie.Header(!full));
            w.U64(cookie & cookieMask);
            if (!full)
            {
                w.U64(cookieMask);
            }
        }
    }

    /// <summary>
    /// <paramref name="match"/> with an ICMP or ICMPv6 type and code cut to the 8 bits NXM and OXM have for them: an
    /// OpenFlow 1.0 match carries them in 16-bit tp_src and tp_dst, and Open vSwitch writes their low byte (nxm_put_8 of
    /// the 16-bit flow field), so a rule added with icmp_type=511 over 1.0 is dumped as icmp_type=255. What a match
    /// decoded from NXM or OXM reads back as.
    /// </summary>
    public static PipelineMatch IcmpInEightBits(in PipelineMatch match)
    {
        PipelineMatch m = match;
        int dl = Prerequisites.DlType(match);
        int proto = Prerequisites.IpProto(match);
        if (dl == EtherTypes.Ipv4 && proto == IpProtocols.Icmp)
        {
            LowByte(ref m, OfFields.TpSrc, OfFields.IcmpType);
            LowByte(ref m, OfFields.TpDst, OfFields.IcmpCode);
        }
        else if (dl == EtherTypes.Ipv6 && proto == IpProtocols.IcmpV6)
        {
            LowByte(ref m, OfFields.TpSrc, OfFields.Icmpv6Type);
            LowByte(ref m, OfFields.TpDst, OfFields.Icmpv6Code);
        }

        return m;

        static void LowByte(ref PipelineMatch m, OfField port, OfField icmp)
        {
            var (value, mask) = port.Get(m);
            if ((mask & 0xff00) != 0)
            {
                port.Clear(ref m);
                icmp.Set(ref m, value & 0xff, mask & 0xff);
            }
        }
    }

    private static int? PacketRegisterPair(OfField f)
    {
        for (int i = 0; i < OfFields.Regs.Count; i++)
        {
            if (OfFields.Regs[i] == f)
            {
                return i / 2;
            }
        }

        return null;
    }

    private static bool TryVlanAsOxm(WireWriter w, UInt128 tci, UInt128 tciMask, MatchDialect dialect, ref PipelineMatch covered)
    {
        // OXM says the TCI as vlan_vid (VID plus OFPVID_PRESENT, maskable) and vlan_pcp (exact, only under a
        // present tag), as Open vSwitch writes it; any other TCI mask stays NXM_OF_VLAN_TCI, which OXM matches may carry.
        UInt128 pcpMask = tciMask & 0xe000;
        UInt128 vidMask = tciMask & 0x1fff;
        bool present = (vidMask & FlowKey.VlanCfi) != 0 && (tci & FlowKey.VlanCfi) != 0;
        if (!present && (tci & 0xe000) == 0 && (vidMask & FlowKey.VlanCfi) != 0)
        {
            // "No tag" with a zero PCP (an OpenFlow 1.0 dl_vlan=0xffff: the whole TCI zero): an untagged frame's
            // PCP is zero anyway, so vlan_vid=OFPVID_NONE says it all, as Open vSwitch writes it.
            pcpMask = 0;
        }

        if (pcpMask != 0 && (pcpMask != 0xe000 || !present))
        {
            return false;
        }

        if (vidMask != 0)
        {
            Put(w, OfFields.VlanVid, tci & 0x1fff, vidMask, dialect);
        }

        if (pcpMask != 0)
        {
            Put(w, OfFields.VlanPcp, (tci >> 13) & 7, 7, dialect);
        }

        OfFields.VlanTci.Set(ref covered, tci, tciMask);
        return true;
    }

    private static void Put(WireWriter w, OfField f, UInt128 value, UInt128 mask, MatchDialect dialect)
    {
        OxmEntry e = OxmEntries.For(f, dialect) ?? throw new ArgumentException($"{f.Name} has no {dialect} header");
        bool exact = mask == f.ValueMask;
        if (!exact && !e.Maskable)
        {
            throw new ArgumentException($"{f.Name} takes no mask (has 0x{mask:x})");
        }

        if (e.Kind == OxmEntryKind.InPort16)
        {
            value = value >= 0xffffff00 ? value - 0xffff0000 : value <= 0xffff ? value : throw new ArgumentException($"in_port {value} does not fit NXM_OF_IN_PORT");
        }

        w.U32(e.Header(!exact));
        if (e.Experimenter != 0)
        {
            w.U32(e.Experimenter);
        }

        WriteInteger(w, value, e.Width);
        if (!exact)
        {
            WriteInteger(w, mask, e.Width);
        }
    }

    private static void Apply(ref PipelineMatch match, OxmEntry e, UInt128 value, UInt128 mask)
    {
        OfField f = e.Field!;
        switch (e.Kind)
        {
            case OxmEntryKind.InPort16:
                // OpenFlow 1.0's reserved ports 0xff00-0xffff are OpenFlow 1.1's 0xffffff00-0xffffffff.
                value = value >= 0xff00 ? value + 0xffff0000 : value;
                mask = mask == 0 ? 0 : f.ValueMask;
                break;
            case OxmEntryKind.PacketRegister:
                OfField low = OfFields.Reg((2 * e.Number) + 1);
                if (f.IsMatched(match) || low.IsMatched(match))
                {
                    throw new OfErrorException(OfError.BadMatchDupField, $"{e} overlaps a register already matched");
                }

                f.Set(ref match, value >> 32, mask >> 32);
                low.Set(ref match, value & uint.MaxValue, mask & uint.MaxValue);
                return;
            default:
                if (f == OfFields.InPort && value >= 0xff00 && value < 0xffffff00)
                {
                    throw new OfErrorException(OfError.BadMatchBadValue, $"in_port 0x{value:x} is neither an ordinary nor a reserved port");
                }

                if ((value & ~f.ValueMask) != 0)
                {
                    throw new OfErrorException(OfError.BadMatchBadValue, $"{f.Name} value 0x{value:x} does not fit 0x{f.ValueMask:x}");
                }

                if (!e.Maskable)
                {
                    mask = mask == 0 ? 0 : f.ValueMask;
                }

                break;
        }

        if (f.IsMatched(match))
        {
            throw new OfErrorException(OfError.BadMatchDupField, $"{f.Name} given twice");
        }

        f.Set(ref match, value, mask);
    }

    /// <summary>
    /// The fields to write, prerequisites before what needs them, each shared piece of the key under the name
    /// its protocol gives it (the L4 port words are tcp_*, udp_*, sctp_* or the ICMP type and code).
    /// </summary>
    private static List<OfField> FieldsInOrder(in PipelineMatch match, MatchDialect dialect)
    {
        // Open vSwitch's order (nx_put_raw): in_port, L2, MPLS or L3 then L4, tunnel id, registers, metadata.
        // Prerequisites come first either way; the same order makes our bytes equal Open vSwitch's.
        int dlType = Prerequisites.DlType(match);
        int proto = Prerequisites.IpProto(match);
        bool ipv6 = dlType == EtherTypes.Ipv6;
        var l = new List<OfField>(32) { OfFields.InPort, OfFields.InPhyPort, OfFields.EthSrc, OfFields.EthDst, OfFields.EthType, OfFields.VlanTci };
        if (dlType is EtherTypes.Mpls or EtherTypes.MplsMulticast)
        {
            // The label stack shares the key's bytes with the IP addresses: only an MPLS match has it.
            l.AddRange([OfFields.MplsTc, OfFields.MplsBos, OfFields.MplsTtl, OfFields.MplsLabel]);
        }
        else if (dlType is EtherTypes.Arp or EtherTypes.Rarp)
        {
            l.AddRange([OfFields.ArpOp, OfFields.ArpSpa, OfFields.ArpTpa, OfFields.ArpSha, OfFields.ArpTha]);
        }
        else if (dlType is EtherTypes.Ipv4 or EtherTypes.Ipv6)
        {
            l.AddRange(ipv6 ? [OfFields.Ipv6Src, OfFields.Ipv6Dst] : [OfFields.IpSrc, OfFields.IpDst]);
            l.AddRange([OfFields.IpFrag, dialect == MatchDialect.Nxm ? OfFields.NwTos : OfFields.IpDscp, OfFields.NwEcn, OfFields.NwTtl]);
            if (ipv6)
            {
                l.AddRange([OfFields.Ipv6Label, OfFields.Ipv6Exthdr]);
            }

            l.Add(OfFields.NwProto);
            switch (proto)
            {
                case IpProtocols.Tcp:
                    l.AddRange([OfFields.TcpSrc, OfFields.TcpDst, OfFields.TcpFlags]);
                    break;
                case IpProtocols.Udp:
                    l.AddRange([OfFields.UdpSrc, OfFields.UdpDst]);
                    break;
                case IpProtocols.Sctp:
                    l.AddRange([OfFields.SctpSrc, OfFields.SctpDst]);
                    break;
                case IpProtocols.Icmp when !ipv6:
                    l.AddRange([OfFields.IcmpType, OfFields.IcmpCode]);
                    break;
                case IpProtocols.IcmpV6 when ipv6:
                    l.AddRange([OfFields.Icmpv6Type, OfFields.Icmpv6Code, OfFields.NdTarget, OfFields.NdSll, OfFields.NdTll]);
                    break;
            }
        }

        l.Add(OfFields.PbbIsid);
        l.Add(OfFields.TunId);
        l.AddRange(OfFields.Regs);
        l.Add(OfFields.Metadata);
        return l;
    }

    private static UInt128 ToInteger(ReadOnlySpan<byte> b)
    {
        UInt128 v = 0;
        foreach (byte x in b)
        {
            v = (v << 8) | x;
        }

        return v;
    }

    private static void WriteInteger(WireWriter w, UInt128 v, int width)
    {
        Span<byte> b = stackalloc byte[16];
        for (int i = width - 1; i >= 0; i--)
        {
            b[i] = (byte)v;
            v >>= 8;
        }

        w.Bytes(b[..width]);
    }
}
