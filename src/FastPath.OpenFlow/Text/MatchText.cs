using System.Globalization;
using System.Text;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.OpenFlow.Text;

/// <summary>
/// <see cref="PipelineMatch"/> in Open vSwitch's flow syntax: parsing <c>in_port=1,tcp,nw_src=10.0.0.0/8</c>
/// and printing in the order and spelling of <c>ovs-ofctl</c> (shorthands such as <c>tcp</c> rebuilt from
/// dl_type and nw_proto, registers and metadata first, then in_port, L2, L3, L4).
/// </summary>
public static class MatchText
{
    /// <summary>The default flow priority (OFP_DEFAULT_PRIORITY), which the printed form leaves out.</summary>
    public const int DefaultPriority = 0x8000;

    private static readonly Dictionary<string, (ushort DlType, int NwProto)> Shorthands = new(StringComparer.Ordinal)
    {
        ["ip"] = (EtherTypes.Ipv4, -1),
        ["ipv6"] = (EtherTypes.Ipv6, -1),
        ["icmp"] = (EtherTypes.Ipv4, IpProtocols.Icmp),
        ["icmp6"] = (EtherTypes.Ipv6, IpProtocols.IcmpV6),
        ["tcp"] = (EtherTypes.Ipv4, IpProtocols.Tcp),
        ["tcp6"] = (EtherTypes.Ipv6, IpProtocols.Tcp),
        ["udp"] = (EtherTypes.Ipv4, IpProtocols.Udp),
        ["udp6"] = (EtherTypes.Ipv6, IpProtocols.Udp),
        ["sctp"] = (EtherTypes.Ipv4, IpProtocols.Sctp),
        ["sctp6"] = (EtherTypes.Ipv6, IpProtocols.Sctp),
        ["arp"] = (EtherTypes.Arp, -1),
        ["rarp"] = (EtherTypes.Rarp, -1),
        ["mpls"] = (EtherTypes.Mpls, -1),
        ["mplsm"] = (EtherTypes.MplsMulticast, -1),
    };

    /// <summary>Whether <paramref name="word"/> is a protocol shorthand (ip, tcp6, arp...).</summary>
    public static bool IsShorthand(string word) => Shorthands.ContainsKey(word);

    /// <summary>Parses a match: fields and shorthands separated by commas or spaces. Throws <see cref="FlowSyntaxException"/>.</summary>
    public static PipelineMatch Parse(string text)
    {
        var builder = new Builder();
        foreach (string token in text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = token.IndexOf('=');
            if (eq < 0)
            {
                builder.Add(token, null);
            }
            else
            {
                builder.Add(token[..eq], token[(eq + 1)..]);
            }
        }

        return builder.Finish();
    }

    /// <summary>The match in <c>ovs-ofctl</c>'s canonical form (<see cref="Format"/>); empty when it matches everything.</summary>
    public static string ToOvsString(this in PipelineMatch match, int priority = DefaultPriority) => Format(match, priority);

    /// <summary>Prints a match as <c>ovs-ofctl</c> does, with <c>priority=</c> first when <paramref name="priority"/> is not the default.</summary>
    public static string Format(in PipelineMatch match, int priority = DefaultPriority)
    {
        var s = new StringBuilder();
        if (priority != DefaultPriority)
        {
            s.Append("priority=").Append(priority.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        int dlType = Prerequisites.DlType(match);
        bool protoMatched = OfFields.NwProto.IsMatched(match);
        int nwProto = protoMatched ? (int)OfFields.NwProto.Read(match.Key) : -1;
        bool skipType = true, skipProto = false;
        string? shorthand = FlowShorthand.For(dlType, nwProto);
        if (shorthand is null)
        {
            skipType = false;
        }
        else
        {
            s.Append(shorthand).Append(',');
            skipProto = FlowShorthand.NamesProtocol(shorthand);
        }

        foreach (OfField reg in OfFields.Regs)
        {
            Put(s, reg, match);
        }

        Put(s, OfFields.TunId, match);
        Put(s, OfFields.Metadata, match);
        Put(s, OfFields.InPort, match);
        Put(s, OfFields.InPhyPort, match);
        PutVlan(s, match);
        Put(s, OfFields.EthSrc, match, "dl_src");
        Put(s, OfFields.EthDst, match, "dl_dst");
        if (!skipType && OfFields.EthType.IsMatched(match))
        {
            s.Append("dl_type=0x").Append(((int)OfFields.EthType.Read(match.Key)).ToString("x4", CultureInfo.InvariantCulture)).Append(',');
        }

        Put(s, OfFields.PbbIsid, match);
        bool arp = dlType is EtherTypes.Arp or EtherTypes.Rarp;
        if (dlType == EtherTypes.Ipv6)
        {
            Put(s, OfFields.Ipv6Src, match);
            Put(s, OfFields.Ipv6Dst, match);
            var (label, labelMask) = OfFields.Ipv6Label.Get(match);
            if (labelMask != 0)
            {
                s.Append("ipv6_label=0x").Append(((uint)label).ToString("x5", CultureInfo.InvariantCulture));
                if (labelMask != OfFields.Ipv6Label.FullMask)
                {
                    s.Append("/0x").Append(((uint)labelMask).ToString("x5", CultureInfo.InvariantCulture));
                }

                s.Append(',');
            }

            Put(s, OfFields.Ipv6Exthdr, match);
        }
        else if (arp)
        {
            Put(s, OfFields.ArpSpa, match);
            Put(s, OfFields.ArpTpa, match);
        }
        else if (dlType is not (EtherTypes.Mpls or EtherTypes.MplsMulticast))
        {
            Put(s, OfFields.IpSrc, match, "nw_src");
            Put(s, OfFields.IpDst, match, "nw_dst");
        }

        if (!skipProto && protoMatched)
        {
            s.Append(arp ? "arp_op=" : "nw_proto=").Append(nwProto.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        if (arp)
        {
            Put(s, OfFields.ArpSha, match);
            Put(s, OfFields.ArpTha, match);
        }

        Put(s, OfFields.NwTos, match);
        Put(s, OfFields.NwEcn, match);
        Put(s, OfFields.NwTtl, match);
        if (dlType is EtherTypes.Mpls or EtherTypes.MplsMulticast)
        {
            Put(s, OfFields.MplsLabel, match);
            Put(s, OfFields.MplsTc, match);
            Put(s, OfFields.MplsTtl, match);
            Put(s, OfFields.MplsBos, match);
        }

        Put(s, OfFields.IpFrag, match, "nw_frag");
        if (dlType == EtherTypes.Ipv4 && nwProto == IpProtocols.Icmp)
        {
            Put(s, OfFields.IcmpType, match);
            Put(s, OfFields.IcmpCode, match);
        }
        else if (dlType == EtherTypes.Ipv6 && nwProto == IpProtocols.IcmpV6)
        {
            Put(s, OfFields.IcmpType, match);
            Put(s, OfFields.IcmpCode, match);
            Put(s, OfFields.NdTarget, match);
            Put(s, OfFields.NdSll, match);
            Put(s, OfFields.NdTll, match);
        }
        else if (!arp && dlType is not (EtherTypes.Mpls or EtherTypes.MplsMulticast))
        {
            Put(s, OfFields.TpSrc, match);
            Put(s, OfFields.TpDst, match);
        }

        if (nwProto == IpProtocols.Tcp && dlType is EtherTypes.Ipv4 or EtherTypes.Ipv6)
        {
            Put(s, OfFields.TcpFlags, match);
        }

        if (s.Length > 0)
        {
            s.Length--;
        }

        return s.ToString();
    }

    private static void Put(StringBuilder s, OfField field, in PipelineMatch match, string? name = null)
    {
        var (value, mask) = field.Get(match);
        if (mask != 0)
        {
            s.Append(name ?? field.Name).Append('=').Append(FieldText.FormatMasked(field, value, mask)).Append(',');
        }
    }

    private static void PutVlan(StringBuilder s, in PipelineMatch match)
    {
        var (tci, mask) = OfFields.VlanTci.Get(match);
        if (mask == 0)
        {
            return;
        }

        UInt128 vidMask = mask & 0x0fff, pcpMask = mask & 0xe000;
        if ((mask & FlowKey.VlanCfi) != 0 && (tci & FlowKey.VlanCfi) != 0
            && (vidMask == 0 || vidMask == 0x0fff) && (pcpMask == 0 || pcpMask == 0xe000) && (vidMask | pcpMask) != 0)
        {
            if (vidMask != 0)
            {
                s.Append("dl_vlan=").Append(((int)(tci & 0x0fff)).ToString(CultureInfo.InvariantCulture)).Append(',');
            }

            if (pcpMask != 0)
            {
                s.Append("dl_vlan_pcp=").Append(((int)(tci >> 13)).ToString(CultureInfo.InvariantCulture)).Append(',');
            }
        }
        else
        {
            s.Append("vlan_tci=0x").Append(((int)tci).ToString("x4", CultureInfo.InvariantCulture));
            if (mask != 0xffff)
            {
                s.Append("/0x").Append(((int)mask).ToString("x4", CultureInfo.InvariantCulture));
            }

            s.Append(',');
        }
    }

    /// <summary>Accumulates fields into a match, then checks every field's prerequisites at the end (order does not matter in the syntax).</summary>
    public sealed class Builder
    {
        private PipelineMatch match;
        private readonly List<(OfField Field, string Text)> used = [];

        /// <summary>Adds a shorthand (<paramref name="value"/> null) or <c>name=value</c>.</summary>
        public void Add(string name, string? value)
        {
            if (Shorthands.TryGetValue(name, out var sh))
            {
                if (value is not null)
                {
                    throw new FlowSyntaxException($"{name}={value}: {name} is a protocol shorthand and takes no value");
                }

                OfFields.EthType.Set(ref match, sh.DlType, 0xffff);
                if (sh.NwProto >= 0)
                {
                    OfFields.NwProto.Set(ref match, (uint)sh.NwProto, 0xff);
                }
                else
                {
                    OfFields.NwProto.Clear(ref match);
                }

                return;
            }

            OfField field = OfFields.Find(name) ?? throw new FlowSyntaxException($"{name}: unknown field (not an Open vSwitch match field or protocol shorthand)");
            if (value is null || value.Length == 0)
            {
                throw new FlowSyntaxException($"{name}: field needs a value ({name}=VALUE)");
            }

            if (field == OfFields.DlVlan)
            {
                ulong vid = FieldText.ParseInteger(value, 16, "dl_vlan");
                if (vid == 0xffff)
                {
                    SetTci(0, 0x1fff, 0x1fff);
                }
                else if (vid > 0xfff)
                {
                    throw new FlowSyntaxException($"{value}: dl_vlan must be 0-4095, or 0xffff for no tag");
                }
                else
                {
                    SetTci((ushort)(vid | FlowKey.VlanCfi), 0x1fff, 0x1fff);
                }
            }
            else if (field == OfFields.DlVlanPcp || field == OfFields.VlanPcp)
            {
                ulong pcp = FieldText.ParseInteger(value, 8, field.Name);
                if (pcp > 7)
                {
                    throw new FlowSyntaxException($"{value}: {field.Name} must be 0-7");
                }

                SetTci((ushort)((pcp << 13) | FlowKey.VlanCfi), 0xf000, 0xf000 | FlowKey.VlanCfi);
            }
            else
            {
                var (v, m) = FieldText.ParseValue(field, value);
                field.Set(ref match, v, m);
            }

            used.Add((field, $"{name}={value}"));
        }

        /// <summary>The match; throws if a field's prerequisite is missing.</summary>
        public PipelineMatch Finish()
        {
            // An untagged packet's TCI is all zero, so matching "no tag" makes the priority bits meaningless:
            // drop them, as Open vSwitch's VLAN_VID/VLAN_PCP encoding does.
            var (tci, tciMask) = OfFields.VlanTci.Get(match);
            if ((tciMask & FlowKey.VlanCfi) != 0 && (tci & FlowKey.VlanCfi) == 0)
            {
                OfFields.VlanTci.Set(ref match, tci & 0x1fff, tciMask & 0x1fff);
            }

            foreach (var (field, text) in used)
            {
                if (!Prerequisites.IsSatisfied(field.Prerequisite, match))
                {
                    throw new FlowSyntaxException($"{text}: prerequisites not met: {field.Name} needs {Prerequisites.Describe(field.Prerequisite)} in the match");
                }
            }

            return match;
        }

        private void SetTci(ushort value, ushort replaceMask, ushort newMask)
        {
            var (tci, mask) = OfFields.VlanTci.Get(match);
            OfFields.VlanTci.Set(ref match, (tci & ~(UInt128)replaceMask) | value, (mask & ~(UInt128)replaceMask) | newMask);
        }
    }
}
