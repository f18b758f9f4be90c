using System.Globalization;
using System.Text;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Wire.Actions;
using FastPath.Packets;

namespace FastPath.OpenFlow.Text;

/// <summary>
/// Actions and instructions in Open vSwitch's flow syntax (the text after <c>actions=</c>): parsing into an
/// <see cref="OfInstructionSet"/>, checking it against the rule's match, and printing it as <c>ovs-ofctl</c>
/// does for OpenFlow 1.3 (set_field spellings) or OpenFlow 1.0 (mod_* spellings and NXM loads).
/// </summary>
public static class ActionText
{
    private static readonly string[] Stages = ["meter", "apply_actions", "clear_actions", "write_actions", "write_metadata", "goto_table"];

    /// <summary>Parses an action list with its instructions. Throws <see cref="FlowSyntaxException"/>.</summary>
    public static OfInstructionSet Parse(string text)
    {
        List<string> tokens = TopLevelSplit.Split(text, text);
        if (tokens.Count == 0)
        {
            return OfInstructionSet.Drop;
        }

        if (tokens.Any(t => string.Equals(t, "drop", StringComparison.OrdinalIgnoreCase)))
        {
            return tokens.Count == 1 ? OfInstructionSet.Drop
                : throw new FlowSyntaxException($"{text}: \"drop\" must not be accompanied by any other action or instruction");
        }

        var set = new OfInstructionSet();
        var apply = new List<OfAction>();
        int stage = -1;
        var seen = new HashSet<int>();
        foreach (string token in tokens)
        {
            var (name, arg) = SplitAction(token);
            int kind = name switch
            {
                "meter" => 0,
                "apply_actions" => 1,
                "clear_actions" => 2,
                "write_actions" => 3,
                "write_metadata" => 4,
                "goto_table" => 5,
                _ => 1,
            };
            if (kind < stage)
            {
                throw new FlowSyntaxException($"invalid instruction ordering: {Stages[kind]} must appear before {Stages[stage]}");
            }

            if (kind != 1 && !seen.Add(kind))
            {
                throw new FlowSyntaxException($"{token}: instruction {Stages[kind]} may be specified only once");
            }

            stage = kind;
            switch (name)
            {
                case "meter":
                    set = set with { Meter = (uint)FieldText.ParseInteger(Required(name, arg), 32, "meter") };
                    break;
                case "apply_actions":
                    throw new FlowSyntaxException($"{token}: apply_actions is the default instruction (write the actions themselves)");
                case "clear_actions":
                    NoArgument(name, arg);
                    set = set with { ClearActions = true };
                    break;
                case "write_actions":
                    // An empty write_actions() changes nothing, and Open vSwitch drops it.
                    OfAction[] write = TopLevelSplit.Split(arg ?? string.Empty, token).Select(ParseAction).ToArray();
                    set = set with { WriteActions = write.Length > 0 ? write : null };
                    break;
                case "write_metadata":
                    var (v, m) = FieldText.ParseValue(OfFields.Metadata, Required(name, arg));
                    set = set with { WriteMetadata = ((ulong)v, (ulong)m) };
                    break;
                case "goto_table":
                    ulong table = FieldText.ParseInteger(Required(name, arg), 8, "goto_table");
                    set = set with { GotoTable = table < 255 ? (byte)table : throw new FlowSyntaxException($"{token}: goto_table must name a table 0-254") };
                    break;
                default:
                    apply.Add(ParseAction(token));
                    break;
            }
        }

        return set with { ApplyActions = apply };
    }

    /// <summary>Parses one action (not an instruction). Throws <see cref="FlowSyntaxException"/>.</summary>
    public static OfAction ParseAction(string token)
    {
        var (name, arg) = SplitAction(token);
        if (arg is null && (OfPorts.TryParseName(name, out uint reserved) && reserved is not (OfPorts.Any or OfPorts.Table)))
        {
            return new OutputAction(reserved);
        }

        if (arg is null && FieldText.TryParseInteger(name, out _))
        {
            return new OutputAction(OfPorts.Parse(name, "output"));
        }

        switch (name)
        {
            case "output" when arg is not null && arg.Contains('[', StringComparison.Ordinal):
                return NxControlActionText.ParseOutputReg(arg, token);
            case "output":
                return new OutputAction(OfPorts.Parse(Required(name, arg), "output"));
            case "resubmit":
                return NxControlActionText.ParseResubmit(arg, token);
            case "note":
                return NxControlActionText.ParseNote(arg);
            case "exit":
                NoArgument(name, arg);
                return new ExitAction();
            case "learn":
                return LearnText.Parse(arg ?? string.Empty, token);
            case "controller":
                return new OutputAction(OfPorts.Controller, ParseControllerMaxLen(arg));
            case "mod_dl_src":
                return SetField(OfFields.EthSrc, Required(name, arg));
            case "mod_dl_dst":
                return SetField(OfFields.EthDst, Required(name, arg));
            case "mod_nw_src":
                return SetField(OfFields.IpSrc, Required(name, arg));
            case "mod_nw_dst":
                return SetField(OfFields.IpDst, Required(name, arg));
            case "mod_nw_tos":
                ulong tos = FieldText.ParseInteger(Required(name, arg), 8, name);
                return (tos & 3) == 0 ? new SetFieldAction(OfFields.IpDscp, tos >> 2, OfFields.IpDscp.FullMask)
                    : throw new FlowSyntaxException($"{token}: mod_nw_tos sets the DSCP bits only; the low two bits (ECN) must be zero");
            case "mod_nw_ecn":
                return SetField(OfFields.NwEcn, Required(name, arg));
            case "mod_tp_src":
                return SetField(OfFields.TpSrc, Required(name, arg));
            case "mod_tp_dst":
                return SetField(OfFields.TpDst, Required(name, arg));
            case "mod_vlan_vid":
                ulong vid = FieldText.ParseInteger(Required(name, arg), 16, name);
                return vid <= 0xfff ? new SetVlanVidAction((ushort)vid) : throw new FlowSyntaxException($"{token}: VLAN id must be 0-4095");
            case "mod_vlan_pcp":
                ulong pcp = FieldText.ParseInteger(Required(name, arg), 8, name);
                return pcp <= 7 ? new SetVlanPcpAction((byte)pcp) : throw new FlowSyntaxException($"{token}: VLAN priority must be 0-7");
            case "strip_vlan":
            case "pop_vlan":
                NoArgument(name, arg);
                return new PopVlanAction();
            case "push_vlan":
                ushort tpid = (ushort)FieldText.ParseInteger(Required(name, arg), 16, name);
                return tpid is EtherTypes.Vlan8021Q or EtherTypes.Vlan8021AD ? new PushVlanAction(tpid)
                    : throw new FlowSyntaxException($"{token}: push_vlan takes 0x8100 or 0x88a8");
            case "push_mpls":
                ushort mpls = (ushort)FieldText.ParseInteger(Required(name, arg), 16, name);
                return EtherTypes.IsMpls(mpls) ? new PushMplsAction(mpls) : throw new FlowSyntaxException($"{token}: push_mpls takes 0x8847 or 0x8848");
            case "pop_mpls":
                return new PopMplsAction((ushort)FieldText.ParseInteger(Required(name, arg), 16, name));
            case "set_mpls_label":
                var (label, _) = FieldText.ParseValue(OfFields.MplsLabel, Required(name, arg));
                return new SetMplsLabelAction((uint)label);
            case "set_mpls_tc":
                var (tc, _) = FieldText.ParseValue(OfFields.MplsTc, Required(name, arg));
                return new SetMplsTcAction((byte)tc);
            case "set_mpls_ttl":
                return new SetMplsTtlAction((byte)FieldText.ParseInteger(Required(name, arg), 8, name));
            case "dec_mpls_ttl":
                NoArgument(name, arg);
                return new DecMplsTtlAction();
            case "dec_ttl":
                NoArgument(name, arg);
                return new DecTtlAction();
            case "set_nw_ttl":
            case "mod_nw_ttl":
                return new SetNwTtlAction((byte)FieldText.ParseInteger(Required(name, arg), 8, name));
            case "group":
                return new GroupAction((uint)FieldText.ParseInteger(Required(name, arg), 32, name));
            case "set_queue":
                return new SetQueueAction((uint)FieldText.ParseInteger(Required(name, arg), 32, name));
            case "set_field":
                return ParseSetField(Required(name, arg), token);
            case "load":
                return ParseLoad(Required(name, arg), token);
            case "move":
                return ParseMove(Required(name, arg), token);
            case "meter" or "apply_actions" or "clear_actions" or "write_actions" or "write_metadata" or "goto_table":
                throw new FlowSyntaxException($"{token}: {name} is an instruction, not an action (not allowed inside write_actions)");
            default:
                throw new FlowSyntaxException($"{token}: unknown action {name}");
        }
    }

    /// <summary>
    /// Checks the instructions against the match as <c>ovs-ofctl</c> does: a set_field needs its field's
    /// prerequisites (as the earlier actions leave the packet: push_mpls makes it MPLS, pop_mpls gives it a
    /// new type, push_vlan gives it a tag). Throws <see cref="FlowSyntaxException"/>.
    /// </summary>
    public static void Validate(OfInstructionSet set, in PipelineMatch match)
    {
        PipelineMatch state = match;
        foreach (OfAction a in set.ApplyActions.Concat(set.WriteActions ?? []))
        {
            Step(a, ref state, check: true);
        }
    }

    /// <summary>Prints instructions as <c>ovs-ofctl</c> prints them for <paramref name="version"/> (the match decides tp_src's protocol and whether mod_vlan_vid pushes a tag).</summary>
    public static string Format(OfInstructionSet set, in PipelineMatch match, OpenFlowVersion version = OpenFlowVersion.OF13)
    {
        if (set.IsDrop)
        {
            return "drop";
        }

        var parts = new List<string>();
        PipelineMatch state = match;
        if (set.Meter is uint meter)
        {
            parts.Add($"meter:{meter}");
        }

        foreach (OfAction a in set.ApplyActions)
        {
            parts.Add(FormatAction(a, ref state, version));
        }

        if (set.ClearActions)
        {
            parts.Add("clear_actions");
        }

        if (set.WriteActions is { } write)
        {
            parts.Add("write_actions(" + string.Join(",", write.Select(a => FormatAction(a, ref state, version))) + ")");
        }

        if (set.WriteMetadata is var (v, m))
        {
            parts.Add(m == ulong.MaxValue ? $"write_metadata:{FieldText.Hex(v)}" : $"write_metadata:{FieldText.Hex(v)}/{FieldText.Hex(m)}");
        }

        if (set.GotoTable is byte table)
        {
            // OpenFlow 1.0 has no instructions: Open vSwitch sends goto_table as its resubmit extension.
            parts.Add(version == OpenFlowVersion.OF10 ? $"resubmit(,{table})" : $"goto_table:{table}");
        }

        return string.Join(",", parts);
    }

    /// <summary>Prints one action for <paramref name="version"/>, updating <paramref name="state"/> (the packet as the earlier actions leave it).</summary>
    public static string FormatAction(OfAction action, ref PipelineMatch state, OpenFlowVersion version = OpenFlowVersion.OF13)
    {
        bool of10 = version == OpenFlowVersion.OF10;
        bool hadVlan = VlanPresent(state);
        Step(action, ref state, check: false);
        string Inv(ulong n) => n.ToString(CultureInfo.InvariantCulture);
        switch (action)
        {
            case OutputAction o:
                return o.Port switch
                {
                    OfPorts.Controller => $"CONTROLLER:{o.MaxLen}",
                    OfPorts.InPort or OfPorts.Flood or OfPorts.All or OfPorts.Local or OfPorts.Normal => OfPorts.Format(o.Port),
                    _ => $"output:{OfPorts.Format(o.Port)}",
                };
            case SetFieldAction sf:
                return FormatSetField(sf, state, of10);
            case MoveAction mv:
                return $"move:{Subfield(mv.Source, mv.SourceOffset, mv.Bits)}->{Subfield(mv.Destination, mv.DestinationOffset, mv.Bits)}";
            case SetVlanVidAction vv:
                return of10 ? $"mod_vlan_vid:{vv.Vid}" : (hadVlan ? string.Empty : "push_vlan:0x8100,") + $"set_field:{vv.Vid | FlowKey.VlanCfi}->vlan_vid";
            case SetVlanPcpAction vp:
                return of10 ? $"mod_vlan_pcp:{vp.Pcp}" : (hadVlan ? string.Empty : "push_vlan:0x8100,") + $"set_field:{vp.Pcp}->vlan_pcp";
            case PopVlanAction:
                return of10 ? "strip_vlan" : "pop_vlan";
            case PushVlanAction pv:
                return $"push_vlan:0x{pv.EtherType:x4}";
            case PushMplsAction pm:
                return $"push_mpls:0x{pm.EtherType:x4}";
            case PopMplsAction pp:
                return $"pop_mpls:0x{pp.EtherType:x4}";
            case SetMplsTtlAction mt:
                return $"set_mpls_ttl({mt.Ttl})";
            case SetMplsLabelAction ml:
                return of10 ? $"set_mpls_label({ml.Label})" : $"set_field:{ml.Label}->mpls_label";
            case SetMplsTcAction mc:
                return of10 ? $"set_mpls_tc({mc.Tc})" : $"set_field:{mc.Tc}->mpls_tc";
            case DecMplsTtlAction:
                return "dec_mpls_ttl";
            case DecTtlAction:
                return "dec_ttl";
            case SetNwTtlAction nt:
                return of10 ? Load(OfFields.NwTtl, nt.Ttl, OfFields.NwTtl.FullMask) : $"mod_nw_ttl:{nt.Ttl}";
            case GroupAction g:
                return $"group:{Inv(g.GroupId)}";
            case SetQueueAction q:
                return $"set_queue:{Inv(q.QueueId)}";
            case ResubmitAction r:
                return NxControlActionText.FormatResubmit(r);
            case OutputRegAction o:
                return NxControlActionText.FormatOutputReg(o);
            case NoteAction n:
                return NxControlActionText.FormatNote(n);
            case ExitAction:
                return "exit";
            case LearnAction l:
                return LearnText.Format(l);
            default:
                throw new ArgumentException($"unknown action type {action.GetType().Name}", nameof(action));
        }
    }

    private static string FormatSetField(SetFieldAction sf, in PipelineMatch state, bool of10)
    {
        OfField field = Resolve(sf.Field, state);
        if (sf.IsLoad || !sf.IsFullWidth)
        {
            return Load(field, sf.Value, sf.Mask);
        }

        if (of10)
        {
            string? legacy = field.Name switch
            {
                "eth_src" => "mod_dl_src:",
                "eth_dst" => "mod_dl_dst:",
                "ip_src" => "mod_nw_src:",
                "ip_dst" => "mod_nw_dst:",
                "tcp_src" or "udp_src" or "tp_src" => "mod_tp_src:",
                "tcp_dst" or "udp_dst" or "tp_dst" => "mod_tp_dst:",
                _ => null,
            };
            if (legacy is not null)
            {
                return legacy + FieldText.FormatValue(field, sf.Value);
            }

            return field.Name switch
            {
                "ip_dscp" => $"mod_nw_tos:{(uint)sf.Value << 2}",
                "vlan_vid" => $"mod_vlan_vid:{(uint)sf.Value & 0xfff}",
                "vlan_pcp" => $"mod_vlan_pcp:{(uint)sf.Value}",
                _ => Load(field, sf.Value, sf.Mask),
            };
        }

        return $"set_field:{FieldText.FormatValue(field, sf.Value)}->{field.Name}";
    }

    /// <summary>Open vSwitch's load form, one load per contiguous run of at most 64 bits, lowest bits first.</summary>
    private static string Load(OfField field, UInt128 value, UInt128 mask)
    {
        if (field == OfFields.InPort && (mask & field.FullMask) == field.FullMask && (value <= 0xffff || value >= OfPorts.InPort))
        {
            // A whole port, as the reg_load of NXM_OF_IN_PORT's 16 bits that carries it.
            return $"load:{FieldText.Hex(value & 0xffff)}->{Subfield(field, 0, NxmInPortBits)}";
        }

        var parts = new List<string>();
        UInt128 left = mask & field.FullMask;
        while (left != 0)
        {
            int start = (int)UInt128.TrailingZeroCount(left);
            int end = start;
            while (end + 1 < field.Bits && end - start < 63 && (left & (UInt128.One << (end + 1))) != 0)
            {
                end++;
            }

            int n = end - start + 1;
            UInt128 run = n == 128 ? UInt128.MaxValue : ((UInt128.One << n) - 1) << start;
            string destination = field == OfFields.InPort && start == 0 && n == NxmInPortBits
                ? "OXM_OF_IN_PORT[0..15]" // NXM_OF_IN_PORT[] would set the whole port
                : Subfield(field, start, n);
            parts.Add($"load:{FieldText.Hex((value & run) >> start)}->{destination}");
            left &= ~run;
        }

        return string.Join(",", parts);
    }

    /// <summary>A subfield as Open vSwitch prints it: the NXM name, then <c>[]</c>, <c>[N]</c> or <c>[A..B]</c>.</summary>
    public static string Subfield(OfField field, int start, int bits)
    {
        string name = field.NxmName ?? field.Name;
        int width = field.Bits;
        if (field == OfFields.InPort)
        {
            // Open vSwitch's in_port is NXM_OF_IN_PORT's 16 bits; bits above them are OXM_OF_IN_PORT's.
            (name, width) = start + bits <= NxmInPortBits ? (name, NxmInPortBits) : ("OXM_OF_IN_PORT", field.Bits);
        }

        return start == 0 && bits == width ? $"{name}[]" : bits == 1 ? $"{name}[{start}]" : $"{name}[{start}..{start + bits - 1}]";
    }

    /// <summary>Bits of NXM_OF_IN_PORT, the in_port Open vSwitch's subfields name (OXM_OF_IN_PORT has 32).</summary>
    internal const int NxmInPortBits = 16;

    /// <summary>The OXM field an OpenFlow 1.0 view stands for under this match (tp_src is tcp_src, udp_src or sctp_src; icmp_type on IPv6 is icmpv6_type).</summary>
    public static OfField Resolve(OfField field, in PipelineMatch match)
    {
        int proto = Prerequisites.IpProto(match);
        bool v6 = Prerequisites.DlType(match) == EtherTypes.Ipv6;
        return field.Name switch
        {
            "tp_src" => proto switch { IpProtocols.Tcp => OfFields.TcpSrc, IpProtocols.Udp => OfFields.UdpSrc, IpProtocols.Sctp => OfFields.SctpSrc, _ => field },
            "tp_dst" => proto switch { IpProtocols.Tcp => OfFields.TcpDst, IpProtocols.Udp => OfFields.UdpDst, IpProtocols.Sctp => OfFields.SctpDst, _ => field },
            "icmp_type" when v6 => OfFields.Icmpv6Type,
            "icmp_code" when v6 => OfFields.Icmpv6Code,
            "nw_tos" => OfFields.IpDscp,
            _ => field,
        };
    }

    private static bool VlanPresent(in PipelineMatch m) => Prerequisites.IsSatisfied(FieldPrerequisite.Vlan, m);

    /// <summary>Applies an action's effect on what the match guarantees (the wire codec picks encodings by it, as <see cref="FormatAction"/> does).</summary>
    internal static void Track(OfAction action, ref PipelineMatch state) => Step(action, ref state, check: false);

    /// <summary>Applies an action's effect on what the match guarantees, and checks it first when <paramref name="check"/>.</summary>
    private static void Step(OfAction action, ref PipelineMatch state, bool check)
    {
        void Need(bool ok, string what)
        {
            if (check && !ok)
            {
                throw new FlowSyntaxException(what);
            }
        }

        switch (action)
        {
            case SetFieldAction sf:
                bool vlanField = sf.Field == OfFields.VlanVid || sf.Field == OfFields.VlanPcp || sf.Field == OfFields.VlanTci || sf.Field == OfFields.DlVlan || sf.Field == OfFields.DlVlanPcp;
                Need(!vlanField || VlanPresent(state), $"set_field {sf.Field.Name} lacks correct prerequisites: the packet needs a VLAN tag (match dl_vlan or push_vlan first)");
                Need(Prerequisites.IsSatisfied(sf.Field.Prerequisite, state), $"set_field {sf.Field.Name} lacks correct prerequisites: needs {Prerequisites.Describe(sf.Field.Prerequisite)}");

                // A match may say icmp_type for ICMPv6 too, but writing it means ICMPv4 (icmpv6_type is the other field).
                bool icmp4Field = sf.Field == OfFields.IcmpType || sf.Field == OfFields.IcmpCode;
                Need(!icmp4Field || Prerequisites.IsSatisfied(FieldPrerequisite.Icmp4, state), $"set_field {sf.Field.Name} lacks correct prerequisites: needs icmp (use icmpv6_type/icmpv6_code for ICMPv6)");
                break;
            case MoveAction mv:
                Need(Prerequisites.IsSatisfied(mv.Source.Prerequisite, state), $"move from {mv.Source.Name} lacks correct prerequisites: needs {Prerequisites.Describe(mv.Source.Prerequisite)}");
                Need(Prerequisites.IsSatisfied(mv.Destination.Prerequisite, state), $"move to {mv.Destination.Name} lacks correct prerequisites: needs {Prerequisites.Describe(mv.Destination.Prerequisite)}");
                break;
            case SetVlanVidAction or SetVlanPcpAction or PushVlanAction:
                if (!VlanPresent(state))
                {
                    OfFields.VlanTci.Set(ref state, FlowKey.VlanCfi, FlowKey.VlanCfi);
                }

                break;
            case PopVlanAction:
                OfFields.VlanTci.Clear(ref state);
                break;
            case PushMplsAction pm:
                OfFields.EthType.Set(ref state, pm.EtherType, 0xffff);
                OfFields.NwProto.Clear(ref state);
                break;
            case PopMplsAction pp:
                Need(Prerequisites.IsSatisfied(FieldPrerequisite.Mpls, state), "pop_mpls needs an MPLS packet (match mpls or push_mpls first)");
                OfFields.EthType.Set(ref state, pp.EtherType, 0xffff);
                break;
            case SetMplsTtlAction or DecMplsTtlAction or SetMplsLabelAction or SetMplsTcAction:
                Need(Prerequisites.IsSatisfied(FieldPrerequisite.Mpls, state), $"{action switch { DecMplsTtlAction => "dec_mpls_ttl", SetMplsTtlAction => "set_mpls_ttl", SetMplsLabelAction => "set_mpls_label", _ => "set_mpls_tc" }} needs an MPLS packet (match mpls or push_mpls first)");
                break;
            case OutputRegAction o:
                Need(Prerequisites.IsSatisfied(o.Source.Prerequisite, state), $"output from {o.Source.Name} lacks correct prerequisites: needs {Prerequisites.Describe(o.Source.Prerequisite)}");
                break;
            case LearnAction l when check:
                LearnText.Validate(l, state);
                break;
            case SetNwTtlAction or DecTtlAction:
                Need(Prerequisites.IsSatisfied(FieldPrerequisite.IpAny, state), $"{(action is DecTtlAction ? "dec_ttl" : "set_nw_ttl")} needs an IP packet (match ip or ipv6)");
                break;
        }
    }

    private static SetFieldAction SetField(OfField field, string value)
    {
        var (v, m) = FieldText.ParseValue(field, value);
        return new SetFieldAction(field, v, m);
    }

    private static SetFieldAction ParseSetField(string arg, string token)
    {
        int arrow = arg.LastIndexOf("->", StringComparison.Ordinal);
        if (arrow < 0)
        {
            throw new FlowSyntaxException($"{token}: set_field needs VALUE->FIELD");
        }

        string fieldName = arg[(arrow + 2)..];
        OfField field = OfFields.Find(fieldName) ?? throw new FlowSyntaxException($"{token}: unknown field {fieldName}");
        if (!field.Writable)
        {
            throw new FlowSyntaxException($"{token}: {field.Name} is read-only");
        }

        var (v, m) = FieldText.ParseValue(field, arg[..arrow]);
        if (field == OfFields.VlanVid && (v & FlowKey.VlanCfi) == 0)
        {
            throw new FlowSyntaxException($"{token}: set_field of vlan_vid needs the OFPVID_PRESENT bit (0x1000 | VID)");
        }

        return new SetFieldAction(field, v, m);
    }

    private static SetFieldAction ParseLoad(string arg, string token)
    {
        int arrow = arg.IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0)
        {
            throw new FlowSyntaxException($"{token}: load needs VALUE->DST[BITS]");
        }

        var (field, start, bits) = ParseSubfield(arg[(arrow + 2)..], token);
        if (!field.Writable)
        {
            throw new FlowSyntaxException($"{token}: {field.Name} is read-only");
        }

        if (!FieldText.TryParseInteger(arg.AsSpan(0, arrow), out UInt128 v))
        {
            throw new FlowSyntaxException($"{token}: load value must be a number");
        }

        UInt128 width = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        if (v > width)
        {
            throw new FlowSyntaxException($"{token}: the value does not fit {bits} bits");
        }

        if (field == OfFields.InPort && start == 0 && bits == NxmInPortBits
            && !arg.AsSpan(arrow + 2).StartsWith("OXM_OF_IN_PORT", StringComparison.OrdinalIgnoreCase))
        {
            // All of NXM_OF_IN_PORT sets the whole port (Open vSwitch's u16_to_ofp), as the wire decoder reads it; only
            // OXM_OF_IN_PORT[0..15] loads the low half of the 32-bit port.
            return new SetFieldAction(field, OfActionCodec.Port32((ushort)v), field.FullMask, IsLoad: true);
        }

        return new SetFieldAction(field, v << start, width << start, IsLoad: true);
    }

    private static MoveAction ParseMove(string arg, string token)
    {
        int arrow = arg.IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0)
        {
            throw new FlowSyntaxException($"{token}: move needs SRC[BITS]->DST[BITS]");
        }

        var (src, srcStart, srcBits) = ParseSubfield(arg[..arrow], token);
        var (dst, dstStart, dstBits) = ParseSubfield(arg[(arrow + 2)..], token);
        if (srcBits != dstBits)
        {
            throw new FlowSyntaxException($"{token}: source and destination widths differ ({srcBits} and {dstBits} bits)");
        }

        if (!dst.Writable)
        {
            throw new FlowSyntaxException($"{token}: {dst.Name} is read-only");
        }

        return new MoveAction(src, srcStart, dst, dstStart, srcBits);
    }

    /// <summary>FIELD[], FIELD[N] or FIELD[A..B], FIELD an NXM/OXM name or a field name.</summary>
    internal static (OfField Field, int Start, int Bits) ParseSubfield(string text, string token)
    {
        int open = text.IndexOf('[');
        if (open < 0 || text[^1] != ']')
        {
            throw new FlowSyntaxException($"{token}: {text} is not a subfield (FIELD[], FIELD[N] or FIELD[A..B])");
        }

        string name = text[..open];
        bool oxmInPort = name.Equals("OXM_OF_IN_PORT", StringComparison.OrdinalIgnoreCase); // the 32-bit port, as Subfield prints it
        OfField field = oxmInPort ? OfFields.InPort
            : OfFields.FindByNxmName(name) ?? OfFields.Find(name) ?? throw new FlowSyntaxException($"{token}: unknown field {name}");
        int width = field == OfFields.InPort && !oxmInPort ? NxmInPortBits : field.Bits;
        string range = text[(open + 1)..^1];
        if (range.Length == 0)
        {
            return (field, 0, width);
        }

        int dots = range.IndexOf("..", StringComparison.Ordinal);
        string first = dots < 0 ? range : range[..dots];
        string last = dots < 0 ? range : range[(dots + 2)..];
        bool ok = int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int a)
            & int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int b);
        if (!ok || a > b || b >= width)
        {
            throw new FlowSyntaxException($"{token}: bad bit range [{range}] for {field.Name} ({width} bits)");
        }

        return (field, a, b - a + 1);
    }

    private static ushort ParseControllerMaxLen(string? arg)
    {
        if (arg is null)
        {
            return OutputAction.NoBuffer;
        }

        string text = arg.StartsWith("max_len=", StringComparison.Ordinal) ? arg["max_len=".Length..] : arg;
        if (text.Contains('=', StringComparison.Ordinal) || text.Contains(',', StringComparison.Ordinal))
        {
            throw new FlowSyntaxException($"controller({arg}): only max_len is supported");
        }

        return (ushort)FieldText.ParseInteger(text, 16, "controller max_len");
    }

    private static string Required(string name, string? arg) =>
        string.IsNullOrEmpty(arg) ? throw new FlowSyntaxException($"{name}: missing argument ({name}:VALUE)") : arg;

    private static void NoArgument(string name, string? arg)
    {
        if (!string.IsNullOrEmpty(arg))
        {
            throw new FlowSyntaxException($"{name}:{arg}: {name} takes no argument");
        }
    }

    /// <summary>name, name:arg or name(arg).</summary>
    private static (string Name, string? Arg) SplitAction(string token)
    {
        int paren = token.IndexOf('(');
        int colon = token.IndexOf(':');
        if (paren >= 0 && (colon < 0 || paren < colon))
        {
            if (token[^1] != ')')
            {
                throw new FlowSyntaxException($"{token}: unbalanced parentheses");
            }

            return (token[..paren].ToLowerInvariant(), token[(paren + 1)..^1]);
        }

        return colon >= 0 ? (token[..colon].ToLowerInvariant(), token[(colon + 1)..]) : (token.ToLowerInvariant(), null);
    }

}
