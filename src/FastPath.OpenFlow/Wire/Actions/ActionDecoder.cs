using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.Packets;
using static FastPath.OpenFlow.Wire.Actions.ActionTypes;

namespace FastPath.OpenFlow.Wire.Actions;

/// <summary>
/// Decodes one action at a time as Open vSwitch's ofpact_pull_raw does: the type (or experimenter and subtype)
/// is looked up first (unknown: OFPBAC_BAD_TYPE, BAD_EXPERIMENTER, BAD_EXP_TYPE), then the length must fit the
/// list, the action's size and a multiple of 8 (OFPBAC_BAD_LEN), then the arguments are checked.
/// </summary>
internal static class ActionDecoder
{
    /// <summary>Decodes the next action of <paramref name="list"/> into <paramref name="actions"/> (or <paramref name="extras"/>).</summary>
    public static void DecodeOne(ref WireReader list, OpenFlowVersion v, List<OfAction> actions, ref ActionListExtras extras)
    {
        if (list.Remaining < 8)
        {
            throw new OfErrorException(OfError.BadActionBadLen, $"{list.Remaining} bytes left: too short for an action header");
        }

        ReadOnlySpan<byte> head = list.Rest;
        ushort type = (ushort)((head[0] << 8) | head[1]);
        int length = (head[2] << 8) | head[3];
        if (type == Experimenter)
        {
            uint vendor = (uint)((head[4] << 24) | (head[5] << 16) | (head[6] << 8) | head[7]);
            if (vendor != NxVendor && vendor != OnfVendor)
            {
                throw new OfErrorException(OfError.BadActionBadExperimenter, $"action experimenter 0x{vendor:x8} is unknown");
            }

            if (list.Remaining < 16)
            {
                throw new OfErrorException(OfError.BadActionBadLen, $"{list.Remaining} bytes left: too short for an experimenter action");
            }

            ushort subtype = (ushort)((head[8] << 8) | head[9]);
            if (vendor == OnfVendor)
            {
                DecodeOnf(ref list, subtype, length, v, actions, ref extras);
            }
            else
            {
                DecodeNx(ref list, subtype, length, v, actions, ref extras);
            }

            return;
        }

        if (v == OpenFlowVersion.OF10)
        {
            Decode10(ref list, type, length, actions, ref extras);
        }
        else
        {
            Decode13(ref list, type, length, v, actions, ref extras);
        }
    }

    private static void Decode10(ref WireReader list, ushort type, int length, List<OfAction> actions, ref ActionListExtras extras)
    {
        int size = type switch
        {
            Of10Output or Of10SetVlanVid or Of10SetVlanPcp or Of10StripVlan or Of10SetNwSrc or Of10SetNwDst
                or Of10SetNwTos or Of10SetTpSrc or Of10SetTpDst => 8,
            Of10SetDlSrc or Of10SetDlDst => 16,
            Of10Enqueue => throw new OfErrorException(OfError.BadActionBadType, "enqueue is not supported (use set_queue and output)"),
            _ => throw new OfErrorException(OfError.BadActionBadType, $"OpenFlow 1.0 action type {type} is unknown"),
        };
        WireReader a = Take(ref list, length, size, size, $"OpenFlow 1.0 action type {type}");
        a.Skip(4);
        OfAction action;
        switch (type)
        {
            case Of10Output:
                uint port = OfActionCodec.Port32(a.U16());
                ushort maxLen = a.U16();
                action = OutputOf(port, maxLen, 0xff00);
                break;
            case Of10SetVlanVid:
                ushort vid = a.U16();
                action = (vid & ~0xfff) == 0 ? new SetVlanVidAction(vid) : throw BadArgument($"mod_vlan_vid {vid} is not a 12-bit VLAN id");
                break;
            case Of10SetVlanPcp:
                byte pcp = a.U8();
                action = pcp <= 7 ? new SetVlanPcpAction(pcp) : throw BadArgument($"mod_vlan_pcp {pcp} is not a 3-bit priority");
                break;
            case Of10StripVlan:
                action = new PopVlanAction();
                break;
            case Of10SetDlSrc or Of10SetDlDst:
                OfField eth = type == Of10SetDlSrc ? OfFields.EthSrc : OfFields.EthDst;
                action = new SetFieldAction(eth, FieldHeaders.Number(a.Bytes(6)), eth.FullMask);
                break;
            case Of10SetNwSrc or Of10SetNwDst:
                OfField ip = type == Of10SetNwSrc ? OfFields.IpSrc : OfFields.IpDst;
                action = new SetFieldAction(ip, a.U32(), ip.FullMask);
                break;
            case Of10SetNwTos:
                byte tos = a.U8();
                action = (tos & 3) == 0 ? new SetFieldAction(OfFields.IpDscp, (uint)(tos >> 2), OfFields.IpDscp.FullMask)
                    : throw BadArgument($"mod_nw_tos {tos} sets ECN bits");
                break;
            default:
                OfField tp = type == Of10SetTpSrc ? OfFields.TpSrc : OfFields.TpDst;
                action = new SetFieldAction(tp, a.U16(), tp.FullMask);
                break;
        }

        Add(actions, action, ref extras);
    }

    private static void Decode13(ref WireReader list, ushort type, int length, OpenFlowVersion v, List<OfAction> actions, ref ActionListExtras extras)
    {
        bool of15 = v >= OpenFlowVersion.OF15;
        (int min, int max) = type switch
        {
            Output => (16, 16),
            SetMplsTtl or DecMplsTtl or PushVlan or PopVlan or PushMpls or PopMpls or SetQueue or Group or SetNwTtl or DecNwTtl => (8, 8),
            SetField => (8, 0xfff8),
            CopyField when of15 => (16, 0xfff8),
            Meter when of15 => (8, 8),
            CopyTtlOut or CopyTtlIn => throw new OfErrorException(OfError.BadActionBadType, $"copy_ttl_{(type == CopyTtlOut ? "out" : "in")} is not supported"),
            PushPbb or PopPbb => throw new OfErrorException(OfError.BadActionBadType, $"{(type == PushPbb ? "push" : "pop")}_pbb is not supported"),
            _ => throw new OfErrorException(OfError.BadActionBadType, $"action type {type} is unknown in OpenFlow {Name(v)}"),
        };
        WireReader a = Take(ref list, length, min, max, $"action type {type}");
        a.Skip(4);
        OfAction action;
        switch (type)
        {
            case Output:
                uint port = a.U32();
                ushort maxLen = a.U16();
                action = OutputOf(port, maxLen, 0xffffff00);
                break;
            case SetMplsTtl:
                action = new SetMplsTtlAction(a.U8());
                break;
            case DecMplsTtl:
                action = new DecMplsTtlAction();
                break;
            case PushVlan:
                ushort tpid = a.U16();
                action = tpid is EtherTypes.Vlan8021Q or EtherTypes.Vlan8021AD ? new PushVlanAction(tpid)
                    : throw BadArgument($"push_vlan 0x{tpid:x4} is not a VLAN TPID");
                break;
            case PopVlan:
                action = new PopVlanAction();
                break;
            case PushMpls:
                action = PushMplsOf(a.U16());
                break;
            case PopMpls:
                action = new PopMplsAction(a.U16());
                break;
            case SetQueue:
                action = new SetQueueAction(a.U32());
                break;
            case Group:
                action = new GroupAction(a.U32());
                break;
            case SetNwTtl:
                action = new SetNwTtlAction(a.U8());
                break;
            case DecNwTtl:
                action = new DecTtlAction();
                break;
            case SetField:
                action = DecodeSetField(ref a, of15);
                break;
            case CopyField:
                ushort bits = a.U16();
                ushort srcOfs = a.U16();
                ushort dstOfs = a.U16();
                a.Skip(2);
                action = DecodeMove(ref a, bits, srcOfs, dstOfs);
                break;
            default:
                uint meter = a.U32();
                if (actions.Count > 0 || extras.Meter is not null)
                {
                    extras.MeterNotFirst = true;
                }

                extras.Meter ??= meter;
                return;
        }

        Add(actions, action, ref extras);
    }

    private static void DecodeNx(ref WireReader list, ushort subtype, int length, OpenFlowVersion v, List<OfAction> actions, ref ActionListExtras extras)
    {
        (int min, int max) = subtype switch
        {
            NxSetQueue or NxResubmit or NxResubmitTable or NxDecTtl or NxPushMpls or NxPopMpls or NxSetMplsTtl or NxDecMplsTtl
                or NxSetMplsLabel or NxSetMplsTc or NxGroup or NxExit => (16, 16),
            NxRegLoad or NxOutputReg => (24, 24),
            NxOutputReg2 => (24, 0xfff8),
            NxNote => (16, 0xfff8),
            NxLearn => (32, 0xfff8),
            NxLearn2 => (40, 0xfff8),
            NxWriteMetadata => (32, 32),
            NxRegMove or NxRegLoad2 => (16, 0xfff8),
            _ => throw new OfErrorException(OfError.BadActionBadExpType, $"Nicira action subtype {subtype} is not supported"),
        };
        WireReader a = Take(ref list, length, min, max, $"Nicira action subtype {subtype}");
        a.Skip(10);
        OfAction action;
        switch (subtype)
        {
            case NxSetQueue:
                a.Skip(2);
                action = new SetQueueAction(a.U32());
                break;
            case NxGroup:
                a.Skip(2);
                action = new GroupAction(a.U32());
                break;
            case NxDecTtl:
                action = new DecTtlAction();
                break;
            case NxPushMpls:
                action = PushMplsOf(a.U16());
                break;
            case NxPopMpls:
                action = new PopMplsAction(a.U16());
                break;
            case NxSetMplsTtl:
                action = new SetMplsTtlAction(a.U8());
                break;
            case NxDecMplsTtl:
                action = new DecMplsTtlAction();
                break;
            case NxSetMplsLabel:
                a.Skip(2);
                uint label = a.U32();
                action = label <= 0xfffff ? new SetMplsLabelAction(label) : throw BadArgument($"set_mpls_label {label} is not a 20-bit label");
                break;
            case NxSetMplsTc:
                byte tc = a.U8();
                action = tc <= 7 ? new SetMplsTcAction(tc) : throw BadArgument($"set_mpls_tc {tc} is not a 3-bit class");
                break;
            case NxRegLoad:
                action = DecodeRegLoad(ref a);
                break;
            case NxRegLoad2:
                action = DecodeRegLoad2(ref a);
                break;
            case NxRegMove:
                ushort bits = a.U16();
                ushort srcOfs = a.U16();
                ushort dstOfs = a.U16();
                action = DecodeMove(ref a, bits, srcOfs, dstOfs);
                break;
            case NxWriteMetadata:
                a.Skip(6);
                ulong metadata = a.U64();
                ulong mask = a.U64();
                extras.WriteMetadataNotLast |= extras.WriteMetadata is not null;
                extras.WriteMetadata = (metadata, mask);
                return;
            case NxResubmit:
                action = NxControlActionCodec.DecodeResubmit(ref a);
                break;
            case NxOutputReg:
                action = NxControlActionCodec.DecodeOutputReg(ref a);
                break;
            case NxOutputReg2:
                action = NxControlActionCodec.DecodeOutputReg2(ref a);
                break;
            case NxNote:
                action = NxControlActionCodec.DecodeNote(ref a);
                break;
            case NxExit:
                action = new ExitAction();
                break;
            case NxLearn:
                action = LearnCodec.Decode(ref a);
                break;
            case NxLearn2:
                action = LearnCodec.Decode(ref a, learn2: true);
                break;
            default:
                // Open vSwitch decodes NXAST_RESUBMIT_TABLE as a resubmit whatever version carries it (it is also how
                // goto_table travels on OpenFlow 1.0), so a flow added that way dumps as resubmit(,N) in every version.
                action = NxControlActionCodec.DecodeResubmitTable(ref a);
                break;
        }

        Add(actions, action, ref extras);
    }

    private static void DecodeOnf(ref WireReader list, ushort subtype, int length, OpenFlowVersion v, List<OfAction> actions, ref ActionListExtras extras)
    {
        if (subtype != OnfCopyField || v != OpenFlowVersion.OF13)
        {
            throw new OfErrorException(OfError.BadActionBadExpType, $"ONF action subtype {subtype} is not supported in OpenFlow {Name(v)}");
        }

        WireReader a = Take(ref list, length, 24, 0xfff8, "ONF copy_field");
        a.Skip(12);
        ushort bits = a.U16();
        ushort srcOfs = a.U16();
        ushort dstOfs = a.U16();
        a.Skip(2);
        Add(actions, DecodeMove(ref a, bits, srcOfs, dstOfs), ref extras);
    }

    private static void Add(List<OfAction> actions, OfAction action, ref ActionListExtras extras)
    {
        extras.SawAction();
        actions.Add(action);
    }

    /// <summary>Splits off one action of <paramref name="length"/> bytes after checking it as ofpact_pull_raw does.</summary>
    private static WireReader Take(ref WireReader list, int length, int min, int max, string what)
    {
        if (length > list.Remaining)
        {
            throw new OfErrorException(OfError.BadActionBadLen, $"{what}: length {length} exceeds the {list.Remaining} bytes left in the list");
        }

        if (length < min || length > max)
        {
            throw new OfErrorException(OfError.BadActionBadLen, $"{what}: length {length} not in [{min},{max}]");
        }

        if (length % 8 != 0)
        {
            throw new OfErrorException(OfError.BadActionBadLen, $"{what}: length {length} is not a multiple of 8");
        }

        return list.Sub(length, OfError.BadActionBadLen);
    }

    private static OutputAction OutputOf(uint port, ushort maxLen, uint firstReserved)
    {
        // Ports below OpenFlow's reserved range and the reserved ports an output may name (not ANY/NONE).
        bool ok = port < firstReserved ? port <= OfPorts.Max : port is >= OfPorts.InPort and <= OfPorts.Local;
        if (!ok)
        {
            throw new OfErrorException(OfError.BadActionBadOutPort, $"output to port 0x{port:x} is not possible");
        }

        return new OutputAction(port, port == OfPorts.Controller ? maxLen : OutputAction.NoBuffer);
    }

    private static PushMplsAction PushMplsOf(ushort etherType) =>
        EtherTypes.IsMpls(etherType) ? new PushMplsAction(etherType) : throw BadArgument($"push_mpls 0x{etherType:x4} is not an MPLS Ethernet type");

    /// <summary>OFPAT_SET_FIELD: one OXM (masked only on OpenFlow 1.5), zero padding, a writable field with a valid value.</summary>
    private static SetFieldAction DecodeSetField(ref WireReader a, bool mayMask)
    {
        var (field, header, value, mask) = FieldHeaders.Pull(ref a, withValue: true, mayMask, HeaderUse.SetField);
        foreach (byte b in a.Rest)
        {
            if (b != 0)
            {
                throw new OfErrorException(OfError.BadActionBadSetArgument, "set_field padding is not zero");
            }
        }

        if (field == OfFields.InPort && (header >> 16) == (uint)OxmClass.OpenFlowBasic)
        {
            throw new OfErrorException(OfError.BadActionBadSetArgument, "OpenFlow forbids set_field on in_port");
        }

        if (!field.Writable)
        {
            throw new OfErrorException(OfError.BadActionBadSetArgument, $"{field.Name} is not writable");
        }

        UInt128 width = FieldHeaders.Ones(FieldHeaders.Bits(header, field));
        if ((value & ~width) != 0 || (field == OfFields.VlanVid && ((value & mask & FlowKey.VlanCfi) == 0)))
        {
            throw new OfErrorException(OfError.BadActionBadSetArgument, $"set_field value 0x{value:x} is not valid for {field.Name}");
        }

        if (field == OfFields.InPort && (header & 0x100) == 0)
        {
            // A whole NXM_OF_IN_PORT (Open vSwitch's form of set_field:PORT->in_port): the 16-bit port as the model's 32-bit one.
            return new SetFieldAction(field, OfActionCodec.Port32((ushort)value), field.FullMask);
        }

        mask &= width;
        return new SetFieldAction(field, value & mask, mask);
    }

    /// <summary>NXAST_REG_LOAD: ofs_nbits, an NXM header, a 64-bit value that fits the bits.</summary>
    private static SetFieldAction DecodeRegLoad(ref WireReader a)
    {
        ushort ofsNbits = a.U16();
        uint header = a.U32();
        ulong value = a.U64();
        OfField field = FieldHeaders.Find(header) ?? throw FieldHeaders.Unknown(header, HeaderUse.Load);
        int ofs = ofsNbits >> 6;
        int bits = (ofsNbits & 0x3f) + 1;
        CheckSubfield(field, header, ofs, bits, destination: true);
        if (bits < 64 && (value >> bits) != 0)
        {
            throw BadArgument($"reg_load value 0x{value:x} does not fit {bits} bits");
        }

        if (field == OfFields.InPort && ofs == 0 && bits == FieldHeaders.NxmInPortBits && (header & 0xfffffe00) == 0)
        {
            // A whole NXM_OF_IN_PORT: the 16-bit port, as the model's 32-bit one.
            return new SetFieldAction(field, OfActionCodec.Port32((ushort)value), field.FullMask, IsLoad: true);
        }

        return new SetFieldAction(field, (UInt128)value << ofs, FieldHeaders.Ones(bits) << ofs, IsLoad: true);
    }

    /// <summary>NXAST_REG_LOAD2: an OXM entry (maskable) right after the subtype, zero padding.</summary>
    private static SetFieldAction DecodeRegLoad2(ref WireReader a)
    {
        var (field, header, value, mask) = FieldHeaders.Pull(ref a, withValue: true, mayMask: true, HeaderUse.SetField);
        foreach (byte b in a.Rest)
        {
            if (b != 0)
            {
                throw new OfErrorException(OfError.BadActionBadSetArgument, "reg_load2 padding is not zero");
            }
        }

        if (!field.Writable)
        {
            throw new OfErrorException(OfError.BadActionBadSetArgument, $"{field.Name} is not writable");
        }

        mask &= FieldHeaders.Ones(FieldHeaders.Bits(header, field));
        return new SetFieldAction(field, value & mask, mask, IsLoad: true);
    }

    /// <summary>NXAST_REG_MOVE / copy_field: two headers after the offsets, zero padding, both subfields inside their fields.</summary>
    private static MoveAction DecodeMove(ref WireReader a, ushort bits, ushort srcOfs, ushort dstOfs)
    {
        var (src, srcHeader, _, _) = FieldHeaders.Pull(ref a, withValue: false, mayMask: false, HeaderUse.Move);
        var (dst, dstHeader, _, _) = FieldHeaders.Pull(ref a, withValue: false, mayMask: false, HeaderUse.Move);
        foreach (byte b in a.Rest)
        {
            if (b != 0)
            {
                throw new OfErrorException(OfError.BadActionBadArgument, "move padding is not zero");
            }
        }

        CheckSubfield(src, srcHeader, srcOfs, bits, destination: false);
        CheckSubfield(dst, dstHeader, dstOfs, bits, destination: true);
        return new MoveAction(src, srcOfs, dst, dstOfs, bits);
    }

    /// <summary>Open vSwitch's mf_check_src/mf_check_dst.</summary>
    private static void CheckSubfield(OfField field, uint header, int ofs, int bits, bool destination)
    {
        int width = FieldHeaders.Bits(header, field);
        if (bits == 0 || ofs >= width || ofs + bits > width)
        {
            throw new OfErrorException(OfError.BadActionBadSetLen, $"bits {ofs}..{ofs + bits - 1} do not fit the {width}-bit field {field.Name}");
        }

        if (destination && !field.Writable)
        {
            throw new OfErrorException(OfError.BadActionBadSetArgument, $"{field.Name} is not writable");
        }
    }

    private static OfErrorException BadArgument(string message) => new(OfError.BadActionBadArgument, message);

    private static string Name(OpenFlowVersion v) => v switch
    {
        OpenFlowVersion.OF10 => "1.0",
        OpenFlowVersion.OF13 => "1.3",
        OpenFlowVersion.OF14 => "1.4",
        _ => "1.5",
    };
}
