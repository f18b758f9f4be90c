using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Text;
using FastPath.Packets;
using static FastPath.OpenFlow.Wire.Actions.ActionTypes;

namespace FastPath.OpenFlow.Wire.Actions;

/// <summary>
/// OpenFlow action lists both ways, as Open vSwitch 3.1 encodes and decodes them: OpenFlow 1.0's OFPAT10_* with
/// Nicira extensions (NXAST_*) for what 1.0 lacks, and OpenFlow 1.3-1.5's OFPAT_* (set_field carries an OXM;
/// 1.5 adds copy_field and meter). Malformed or unsupported actions throw <see cref="OfErrorException"/> with
/// the OFPBAC_* error Open vSwitch answers.
/// </summary>
public static class OfActionCodec
{
    /// <summary>Bytes of the Nicira action header (type, len, vendor, subtype), before the action's own fields.</summary>
    private const int NxHeader = 10;

    /// <summary>
    /// Decodes the <paramref name="length"/> bytes of an action list (a packet-out's, a bucket's, an
    /// apply/write-actions instruction's). A length not a multiple of 8 or beyond the message is OFPBRC_BAD_LEN.
    /// </summary>
    public static List<OfAction> Decode(ref WireReader r, int length, OpenFlowVersion v)
    {
        var extras = default(ActionListExtras);
        List<OfAction> actions = DecodeList(ref r, length, v, ref extras);
        extras.RefuseAll();
        return actions;
    }

    /// <summary>Encodes an action list for a rule that matches nothing in particular (see the overload with a match).</summary>
    public static void Encode(WireWriter w, IReadOnlyList<OfAction> actions, OpenFlowVersion v) => Encode(w, actions, v, PipelineMatch.Any);

    /// <summary>
    /// Encodes an action list as Open vSwitch does for a rule with <paramref name="match"/>: the match (and the
    /// actions before) decide what OpenFlow 1.0's views stand for (mod_tp_src is tcp_src or udp_src) and whether
    /// mod_vlan_vid must push a tag first on OpenFlow 1.3. An action the version cannot express throws
    /// <see cref="NotSupportedException"/>.
    /// </summary>
    public static void Encode(WireWriter w, IReadOnlyList<OfAction> actions, OpenFlowVersion v, in PipelineMatch match)
    {
        PipelineMatch state = match;
        EncodeTracked(w, actions, v, ref state);
    }

    /// <summary>Encodes an action list starting from <paramref name="state"/> and leaves it as the actions leave the packet.</summary>
    internal static void EncodeTracked(WireWriter w, IReadOnlyList<OfAction> actions, OpenFlowVersion v, ref PipelineMatch state)
    {
        for (int i = 0; i < actions.Count; i++)
        {
            OfAction a = actions[i];
            if (v == OpenFlowVersion.OF10 && a is PushVlanAction push)
            {
                // OpenFlow 1.0 pushes a tag only as a side effect of setting one: Open vSwitch writes nothing for
                // push_vlan and lets the mod_vlan_vid/pcp that follows push.
                bool followedBySet = i + 1 < actions.Count && actions[i + 1] is SetVlanVidAction or SetVlanPcpAction;
                if (push.EtherType != EtherTypes.Vlan8021Q || !followedBySet)
                {
                    throw new NotSupportedException($"OpenFlow 1.0 cannot express push_vlan:0x{push.EtherType:x4} unless a VLAN set follows it");
                }

                ActionText.Track(a, ref state);
                continue;
            }

            EncodeOne(w, a, v, ref state);
        }
    }

    /// <summary>Decodes an action list, collecting the 1.0 instruction stand-ins and 1.5 meters the caller may accept.</summary>
    internal static List<OfAction> DecodeList(ref WireReader r, int length, OpenFlowVersion v, ref ActionListExtras extras)
    {
        if (length < 0 || length % 8 != 0)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"action list length {length} is not a multiple of 8");
        }

        if (length > r.Remaining)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"action list length {length} exceeds the {r.Remaining} bytes left");
        }

        WireReader list = r.Sub(length);
        var actions = new List<OfAction>();
        while (!list.AtEnd)
        {
            ActionDecoder.DecodeOne(ref list, v, actions, ref extras);
        }

        return actions;
    }

    /// <summary>Encodes one action, updating <paramref name="state"/> (what the packet is after it).</summary>
    internal static void EncodeOne(WireWriter w, OfAction action, OpenFlowVersion v, ref PipelineMatch state)
    {
        bool of10 = v == OpenFlowVersion.OF10;
        bool hadVlan = Prerequisites.IsSatisfied(FieldPrerequisite.Vlan, state);
        ActionText.Track(action, ref state);
        switch (action)
        {
            case OutputAction o:
                EncodeOutput(w, o, v);
                break;
            case SetFieldAction sf:
                EncodeSetField(w, sf, v, state);
                break;
            case MoveAction mv:
                EncodeMove(w, mv, v);
                break;
            case SetVlanVidAction vid when of10:
                Fixed(w, Of10SetVlanVid, (ushort)(vid.Vid & 0xfff), 16, 2);
                break;
            case SetVlanVidAction vid:
                if (!hadVlan)
                {
                    Fixed(w, PushVlan, EtherTypes.Vlan8021Q, 16, 2);
                }

                SetFieldOxm(w, OfFields.VlanVid, (UInt128)(vid.Vid & 0xfffu) | FlowKey.VlanCfi, null);
                break;
            case SetVlanPcpAction pcp when of10:
                Fixed(w, Of10SetVlanPcp, pcp.Pcp, 8, 3);
                break;
            case SetVlanPcpAction pcp:
                if (!hadVlan)
                {
                    Fixed(w, PushVlan, EtherTypes.Vlan8021Q, 16, 2);
                }

                SetFieldOxm(w, OfFields.VlanPcp, (UInt128)(pcp.Pcp & 7u), null);
                break;
            case PopVlanAction:
                Bare(w, of10 ? Of10StripVlan : PopVlan);
                break;
            case PushVlanAction pv:
                Fixed(w, PushVlan, pv.EtherType, 16, 2);
                break;
            case PushMplsAction pm when of10:
                NxFixed(w, NxPushMpls, pm.EtherType, 16, 4);
                break;
            case PushMplsAction pm:
                Fixed(w, PushMpls, pm.EtherType, 16, 2);
                break;
            case PopMplsAction pp when of10:
                NxFixed(w, NxPopMpls, pp.EtherType, 16, 4);
                break;
            case PopMplsAction pp:
                Fixed(w, PopMpls, pp.EtherType, 16, 2);
                break;
            case SetMplsTtlAction mt when of10:
                NxFixed(w, NxSetMplsTtl, mt.Ttl, 8, 5);
                break;
            case SetMplsTtlAction mt:
                Fixed(w, SetMplsTtl, mt.Ttl, 8, 3);
                break;
            case DecMplsTtlAction:
                if (of10)
                {
                    NxBare(w, NxDecMplsTtl);
                }
                else
                {
                    Bare(w, DecMplsTtl);
                }

                break;
            case SetMplsLabelAction ml when of10:
                int labelStart = NxStart(w, NxSetMplsLabel);
                w.Zeros(2);
                w.U32(ml.Label);
                End(w, labelStart);
                break;
            case SetMplsLabelAction ml:
                SetFieldOxm(w, OfFields.MplsLabel, ml.Label, null);
                break;
            case SetMplsTcAction mc when of10:
                NxFixed(w, NxSetMplsTc, mc.Tc, 8, 5);
                break;
            case SetMplsTcAction mc:
                SetFieldOxm(w, OfFields.MplsTc, mc.Tc, null);
                break;
            case DecTtlAction:
                if (of10)
                {
                    NxBare(w, NxDecTtl);
                }
                else
                {
                    Bare(w, DecNwTtl);
                }

                break;
            case SetNwTtlAction nt when of10:
                RegLoad(w, FieldHeaders.NxmHeader(OfFields.NwTtl), 0, 8, nt.Ttl);
                break;
            case SetNwTtlAction nt:
                Fixed(w, SetNwTtl, nt.Ttl, 8, 3);
                break;
            case GroupAction g when of10:
                int groupStart = NxStart(w, NxGroup);
                w.Zeros(2);
                w.U32(g.GroupId);
                End(w, groupStart);
                break;
            case GroupAction g:
                Fixed(w, Group, g.GroupId, 32, 0);
                break;
            case SetQueueAction q when of10:
                int queueStart = NxStart(w, NxSetQueue);
                w.Zeros(2);
                w.U32(q.QueueId);
                End(w, queueStart);
                break;
            case SetQueueAction q:
                Fixed(w, SetQueue, q.QueueId, 32, 0);
                break;
            case ResubmitAction r:
                NxControlActionCodec.EncodeResubmit(w, r);
                break;
            case OutputRegAction o:
                NxControlActionCodec.EncodeOutputReg(w, o);
                break;
            case NoteAction n:
                NxControlActionCodec.EncodeNote(w, n);
                break;
            case ExitAction:
                NxControlActionCodec.EncodeExit(w);
                break;
            case LearnAction l:
                LearnCodec.Encode(w, l);
                break;
            default:
                throw new NotSupportedException($"{action.GetType().Name} has no OpenFlow encoding");
        }
    }

    private static void EncodeOutput(WireWriter w, OutputAction o, OpenFlowVersion v)
    {
        // Open vSwitch sends max_len only for CONTROLLER; it is 0 for every other port.
        ushort maxLen = o.Port == OfPorts.Controller ? o.MaxLen : (ushort)0;
        if (v == OpenFlowVersion.OF10)
        {
            w.U16(Of10Output);
            w.U16(8);
            w.U16(Port10(o.Port));
            w.U16(maxLen);
            return;
        }

        w.U16(Output);
        w.U16(16);
        w.U32(o.Port);
        w.U16(maxLen);
        w.Zeros(6);
    }

    /// <summary>An OpenFlow 1.1+ port as OpenFlow 1.0's 16 bits (reserved ports 0xfffffff8+ become 0xfff8+).</summary>
    internal static ushort Port10(uint port) => port switch
    {
        <= OfPorts.Max => (ushort)port,
        >= OfPorts.InPort => (ushort)port,
        _ => throw new NotSupportedException($"port {port} has no OpenFlow 1.0 number"),
    };

    /// <summary>An OpenFlow 1.0 port as the 32-bit number the model uses.</summary>
    internal static uint Port32(ushort port) => port >= 0xfff8 ? 0xffff0000u | port : port;

    private static void EncodeSetField(WireWriter w, SetFieldAction sf, OpenFlowVersion v, in PipelineMatch state)
    {
        OfField field = sf.Field;
        UInt128 value = sf.Value;
        UInt128 mask = sf.Mask & field.FullMask;

        // OpenFlow 1.0's views stand for the OXM field the packet has.
        if (field == OfFields.NwTos)
        {
            (field, value, mask) = (OfFields.IpDscp, value >> 2, (mask >> 2) & OfFields.IpDscp.FullMask);
        }
        else if (field == OfFields.DlVlan)
        {
            (field, value, mask) = (OfFields.VlanVid, value | FlowKey.VlanCfi, mask | FlowKey.VlanCfi);
        }
        else if (field == OfFields.DlVlanPcp)
        {
            field = OfFields.VlanPcp;
        }

        bool full = (mask & field.FullMask) == field.FullMask;
        if (v == OpenFlowVersion.OF10 && full && !sf.IsLoad && Legacy10(w, field, value))
        {
            return;
        }

        field = ActionText.Resolve(field, state);
        if (field == OfFields.TpSrc || field == OfFields.TpDst)
        {
            // Open vSwitch picks UDP when the match names no L4 protocol.
            field = field == OfFields.TpSrc ? OfFields.UdpSrc : OfFields.UdpDst;
        }

        if (field == OfFields.InPort && v != OpenFlowVersion.OF10 && (v >= OpenFlowVersion.OF15 || !sf.IsLoad))
        {
            SetInPort(w, value, mask, v);
        }
        else if (v >= OpenFlowVersion.OF15)
        {
            SetFieldOxm(w, field, value & mask, full ? null : mask);
        }
        else if (sf.IsLoad || !full || v == OpenFlowVersion.OF10)
        {
            RegLoads(w, field, value, mask);
        }
        else
        {
            SetFieldOxm(w, field, value, null);
        }
    }

    /// <summary>
    /// set_field on in_port, which OXM_OF_IN_PORT cannot say (Open vSwitch answers OFPBAC_BAD_SET_ARGUMENT to it):
    /// as Open vSwitch 3.1 sends it, OFPAT_SET_FIELD with NXM_OF_IN_PORT's 16 bits (masked only on 1.5); a port
    /// or mask those 16 bits cannot hold goes out as reg_load of OXM_OF_IN_PORT, the one form that reads back.
    /// </summary>
    private static void SetInPort(WireWriter w, UInt128 value, UInt128 mask, OpenFlowVersion v)
    {
        if (mask == OfFields.InPort.FullMask && IsPort16(value))
        {
            SetFieldOxm(w, OfFields.InPort, (ushort)value, null, FieldHeaders.NxmHeader(OfFields.InPort));
        }
        else if (v >= OpenFlowVersion.OF15 && (mask >> FieldHeaders.NxmInPortBits) == 0)
        {
            SetFieldOxm(w, OfFields.InPort, value & mask, mask, FieldHeaders.NxmHeader(OfFields.InPort, masked: true));
        }
        else
        {
            RegLoads(w, OfFields.InPort, value, mask);
        }
    }

    /// <summary>Whether a whole 32-bit port reads back the same from NXM_OF_IN_PORT's 16 bits (0xfff8-0xffff there are the reserved ports).</summary>
    private static bool IsPort16(UInt128 port) => port < 0xfff8 || (port >= OfPorts.InPort && port <= OfPorts.Any);

    /// <summary>OpenFlow 1.0's own set actions for a whole field (set_field_to_legacy_openflow); false: the field needs reg_load.</summary>
    private static bool Legacy10(WireWriter w, OfField field, UInt128 value)
    {
        if (field == OfFields.VlanTci)
        {
            ushort tci = (ushort)value;
            if ((tci & FlowKey.VlanCfi) != 0)
            {
                Fixed(w, Of10SetVlanVid, (ushort)(tci & 0xfff), 16, 2);
                Fixed(w, Of10SetVlanPcp, (uint)(tci >> 13), 8, 3);
            }
            else
            {
                Bare(w, Of10StripVlan);
            }

            return true;
        }

        if (field == OfFields.VlanVid)
        {
            Fixed(w, Of10SetVlanVid, (ushort)(value & 0xfff), 16, 2);
        }
        else if (field == OfFields.VlanPcp)
        {
            Fixed(w, Of10SetVlanPcp, (uint)value, 8, 3);
        }
        else if (field == OfFields.EthSrc || field == OfFields.EthDst)
        {
            w.U16(field == OfFields.EthSrc ? Of10SetDlSrc : Of10SetDlDst);
            w.U16(16);
            FieldHeaders.WriteNumber(w, value, 6);
            w.Zeros(6);
        }
        else if (field == OfFields.IpSrc || field == OfFields.IpDst)
        {
            Fixed(w, field == OfFields.IpSrc ? Of10SetNwSrc : Of10SetNwDst, (uint)value, 32, 0);
        }
        else if (field == OfFields.IpDscp)
        {
            Fixed(w, Of10SetNwTos, (uint)(value << 2), 8, 3);
        }
        else if (field == OfFields.TcpSrc || field == OfFields.UdpSrc || field == OfFields.TpSrc)
        {
            Fixed(w, Of10SetTpSrc, (uint)value, 16, 2);
        }
        else if (field == OfFields.TcpDst || field == OfFields.UdpDst || field == OfFields.TpDst)
        {
            Fixed(w, Of10SetTpDst, (uint)value, 16, 2);
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>One NXAST_REG_LOAD per contiguous run of at most 64 mask bits, lowest first (Open vSwitch's next_load_segment).</summary>
    private static void RegLoads(WireWriter w, OfField field, UInt128 value, UInt128 mask)
    {
        uint header = FieldHeaders.NxmHeader(field);
        int bits = FieldHeaders.Bits(header, field);
        if (field == OfFields.InPort && mask == field.FullMask && IsPort16(value))
        {
            // Open vSwitch's in_port is NXM_OF_IN_PORT's 16 bits: a whole port is loaded as OpenFlow 1.0's number.
            (value, mask) = (value & 0xffff, 0xffff);
        }
        else if (bits < field.Bits && ((mask >> bits) != 0 || (mask & FieldHeaders.Ones(bits)) == FieldHeaders.Ones(bits)))
        {
            // Other bits of the 32-bit port, or all of NXM_OF_IN_PORT's 16 (which reads back as a whole port, not as the
            // low half of one): name it by OXM_OF_IN_PORT instead, as Open vSwitch sends load:...->OXM_OF_IN_PORT[0..15].
            header = field.OxmHeader(false);
            bits = field.Bits;
        }

        UInt128 left = mask & FieldHeaders.Ones(bits);
        while (left != 0)
        {
            int start = (int)UInt128.TrailingZeroCount(left);
            int end = start;
            while (end + 1 < bits && end - start < 63 && (left & (UInt128.One << (end + 1))) != 0)
            {
                end++;
            }

            int n = end - start + 1;
            RegLoad(w, header, start, n, (ulong)((value >> start) & FieldHeaders.Ones(n)));
            left &= ~(FieldHeaders.Ones(n) << start);
        }
    }

    private static void RegLoad(WireWriter w, uint header, int ofs, int bits, ulong value)
    {
        int start = NxStart(w, NxRegLoad);
        w.U16((ushort)((ofs << 6) | (bits - 1)));
        w.U32(header);
        w.U64(value);
        End(w, start);
    }

    /// <summary>OFPAT_SET_FIELD with the field's OXM (masked only on OpenFlow 1.5) or the given header, padded to 8 bytes.</summary>
    private static void SetFieldOxm(WireWriter w, OfField field, UInt128 value, UInt128? mask, uint? oxm = null)
    {
        int start = w.Length;
        w.U16(SetField);
        w.U16(0);
        uint header = oxm ?? FieldHeaders.OxmHeader(field, mask is not null);
        int bytes = FieldHeaders.WireBytes(header, field);
        w.U32(header);
        FieldHeaders.WriteNumber(w, value, bytes);
        if (mask is { } m)
        {
            FieldHeaders.WriteNumber(w, m, bytes);
        }

        End(w, start);
    }

    private static void EncodeMove(WireWriter w, MoveAction mv, OpenFlowVersion v)
    {
        int start = w.Length;
        if (v >= OpenFlowVersion.OF15)
        {
            w.U16(CopyField);
            w.U16(0);
            w.U16((ushort)mv.Bits);
            w.U16((ushort)mv.SourceOffset);
            w.U16((ushort)mv.DestinationOffset);
            w.Zeros(2);
            w.U32(FieldHeaders.OxmHeader(mv.Source));
            w.U32(FieldHeaders.OxmHeader(mv.Destination));
        }
        else
        {
            NxStart(w, NxRegMove);
            w.U16((ushort)mv.Bits);
            w.U16((ushort)mv.SourceOffset);
            w.U16((ushort)mv.DestinationOffset);
            w.U32(FieldHeaders.NxmHeader(mv.Source));
            w.U32(FieldHeaders.NxmHeader(mv.Destination));
        }

        End(w, start);
    }

    /// <summary>An 8-byte action with no argument.</summary>
    private static void Bare(WireWriter w, ushort type)
    {
        w.U16(type);
        w.U16(8);
        w.Zeros(4);
    }

    /// <summary>An OpenFlow action whose one argument of <paramref name="bits"/> bits follows the header, then <paramref name="pad"/> zeros.</summary>
    private static void Fixed(WireWriter w, ushort type, uint arg, int bits, int pad)
    {
        int start = w.Length;
        w.U16(type);
        w.U16(0);
        WriteArg(w, arg, bits);
        w.Zeros(pad);
        End(w, start);
    }

    private static void NxBare(WireWriter w, ushort subtype)
    {
        int start = NxStart(w, subtype);
        End(w, start);
    }

    private static void NxFixed(WireWriter w, ushort subtype, uint arg, int bits, int pad)
    {
        int start = NxStart(w, subtype);
        WriteArg(w, arg, bits);
        w.Zeros(pad);
        End(w, start);
    }

    private static void WriteArg(WireWriter w, uint arg, int bits)
    {
        switch (bits)
        {
            case 8:
                w.U8((byte)arg);
                break;
            case 16:
                w.U16((ushort)arg);
                break;
            default:
                w.U32(arg);
                break;
        }
    }

    /// <summary>Starts a Nicira action (its length is written by <see cref="End"/>).</summary>
    internal static int NxStart(WireWriter w, ushort subtype)
    {
        int start = w.Length;
        w.U16(Experimenter);
        w.U16(0);
        w.U32(NxVendor);
        w.U16(subtype);
        return start;
    }

    /// <summary>Pads the action begun at <paramref name="start"/> to 8 bytes and writes its length.</summary>
    internal static void End(WireWriter w, int start)
    {
        w.PadTo(start);
        w.PatchU16(start + 2, (ushort)(w.Length - start));
    }
}
