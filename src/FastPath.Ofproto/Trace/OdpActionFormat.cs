using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using FastPath.Datapath.Actions;
using FastPath.OpenFlow.Text;

namespace FastPath.Ofproto.Trace;

/// <summary>
/// A datapath action program in Open vSwitch's ODP spelling, as the <c>Datapath actions:</c> line of
/// <c>ofproto/trace</c> prints it: <c>set(eth(src=…,dst=…)),set(ipv4(src=…,tos=0x10/0xfc)),pop_vlan,2</c>.
/// </summary>
/// <remarks>
/// <para>
/// The program printed does what FastPath's does to every packet; only the spelling follows Open vSwitch's.
/// Between two actions that emit or hand over the packet (output, userspace, meter) and the MPLS actions,
/// masked sets of one header are merged into one <c>set(header(…))</c> (a later write winning bit by bit),
/// headers come in the order Open vSwitch commits them (Ethernet, IP, transport, ICMP, ND), and the VLAN
/// actions, kept in their own order, follow: sets on different headers, and a tag pushed or popped, do not
/// depend on one another. A <c>push_vlan</c> followed by a set of that tag prints as the push of the tag set.
/// Actions after the last one that hands the packet over (output, userspace, meter) are left out: they
/// change a packet that is then freed, and Open vSwitch does not emit them either.
/// Values print masked, numbers in Open vSwitch's bases (<c>tos=0x10/0xfc</c>, <c>dst=80/0xfff0</c>).
/// </para>
/// <para>
/// Where FastPath's datapath action has no Open vSwitch spelling, FastPath's own is printed
/// (<see cref="ActionFormatter"/>): <c>dec_ttl</c> (Open vSwitch's netdev datapath sets the TTL the packet will
/// have, <c>set(ipv4(ttl=63))</c>, and so matches the TTL exactly), a masked <c>set(vlan(vid=…))</c> (Open
/// vSwitch pops and pushes the whole tag), <c>userspace(cookie=…)</c>.
/// </para>
/// </remarks>
public static class OdpActionFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Open vSwitch's commit order (odp-util.c commit_odp_actions): Ethernet, L3, L4 ports, ICMP, then ND.
    private enum Header
    {
        Eth,
        Ipv4,
        Ipv6,
        Arp,
        Tcp,
        Udp,
        Sctp,
        Icmp,
        Icmpv6,
        Nd,
    }

    /// <summary>Formats <paramref name="program"/>; an empty one is <c>drop</c>, a malformed one prints as <see cref="ActionFormatter"/> shows it.</summary>
    public static string Format(ReadOnlySpan<byte> program)
    {
        if (program.IsEmpty)
        {
            return "drop";
        }

        if (!ActionProgram.Validate(program).IsValid)
        {
            return ActionFormatter.Format(program);
        }

        var actions = new List<byte[]>();
        for (int pos = 0; pos < program.Length;)
        {
            int len = BinaryPrimitives.ReadUInt16LittleEndian(program[(pos + 2)..]);
            actions.Add(program.Slice(pos, len).ToArray());
            pos += len;
        }

        // What follows the last action that hands the packet over (output, userspace, meter) changes a packet
        // nobody sees: Open vSwitch never commits it, and neither is it printed here.
        int last = actions.FindLastIndex(a => TypeOf(a) is ActionType.Output or ActionType.Userspace or ActionType.Meter);
        actions.RemoveRange(last + 1, actions.Count - last - 1);

        var parts = new List<string>();
        var run = new List<byte[]>();
        foreach (byte[] a in actions)
        {
            if (IsReorderable(a, run))
            {
                run.Add(a);
                continue;
            }

            Flush(run, parts);
            if (IsReorderable(a, run))
            {
                run.Add(a);
            }
            else
            {
                parts.Add(ActionFormatter.Format(a));
            }
        }

        Flush(run, parts);
        return parts.Count == 0 ? "drop" : string.Join(',', parts);
    }

    private static ActionType TypeOf(byte[] a) => (ActionType)BinaryPrimitives.ReadUInt16LittleEndian(a);

    private static ActionField FieldOf(byte[] a) => (ActionField)a[4];

    private static bool IsTtlSet(byte[] a) => TypeOf(a) == ActionType.SetMasked && FieldOf(a) is ActionField.Ipv4Ttl or ActionField.Ipv6HopLimit;

    // Sets (but MPLS's), VLAN pushes and pops and dec_ttl move freely among each other; dec_ttl and a TTL set
    // do not, so a run holds one or the other.
    private static bool IsReorderable(byte[] a, List<byte[]> run) => TypeOf(a) switch
    {
        ActionType.SetMasked => FieldOf(a) != ActionField.MplsLse && !(IsTtlSet(a) && run.Any(r => TypeOf(r) == ActionType.DecTtl)),
        ActionType.PushVlan or ActionType.PopVlan => true,
        ActionType.DecTtl => !run.Any(r => IsTtlSet(r) || TypeOf(r) == ActionType.DecTtl),
        _ => false,
    };

    private static void Flush(List<byte[]> run, List<string> parts)
    {
        if (run.Count == 0)
        {
            return;
        }

        // Per header, per field: the merged value and mask, in the order fields first appear.
        var sets = new SortedDictionary<Header, List<(ActionField Field, byte[] Value, byte[] Mask)>>();
        var vlan = new List<byte[]>();
        bool decTtl = false;
        foreach (byte[] a in run)
        {
            switch (TypeOf(a))
            {
                case ActionType.DecTtl:
                    decTtl = true;
                    break;
                case ActionType.PushVlan or ActionType.PopVlan:
                    vlan.Add(a);
                    break;
                case ActionType.SetMasked when FieldOf(a) == ActionField.VlanTci:
                    FoldVlanSet(vlan, a);
                    break;
                default:
                    Merge(sets, a);
                    break;
            }
        }

        foreach (var (header, fields) in sets)
        {
            parts.Add(FormatSet(header, fields));
            if (decTtl && header is Header.Ipv4 or Header.Ipv6)
            {
                parts.Add("dec_ttl");
                decTtl = false;
            }
        }

        if (decTtl)
        {
            parts.Add("dec_ttl");
        }

        foreach (byte[] a in vlan)
        {
            parts.Add(ActionFormatter.Format(a));
        }

        run.Clear();
    }

    // A set of the tag right after a push (or after another set) is that push (that set) with the bits replaced.
    private static void FoldVlanSet(List<byte[]> vlan, byte[] set)
    {
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(set.AsSpan(ActionProgram.SetValueOffset));
        ushort mask = BinaryPrimitives.ReadUInt16BigEndian(set.AsSpan(ActionProgram.SetValueOffset + 2));
        if (vlan.Count > 0)
        {
            byte[] last = vlan[^1];
            if (TypeOf(last) == ActionType.PushVlan)
            {
                byte[] push = (byte[])last.Clone();
                ushort tci = BinaryPrimitives.ReadUInt16BigEndian(push.AsSpan(6));
                BinaryPrimitives.WriteUInt16BigEndian(push.AsSpan(6), (ushort)((tci & ~mask) | (value & mask)));
                vlan[^1] = push;
                return;
            }

            if (TypeOf(last) == ActionType.SetMasked)
            {
                byte[] merged = (byte[])last.Clone();
                ushort v0 = BinaryPrimitives.ReadUInt16BigEndian(merged.AsSpan(ActionProgram.SetValueOffset));
                ushort m0 = BinaryPrimitives.ReadUInt16BigEndian(merged.AsSpan(ActionProgram.SetValueOffset + 2));
                BinaryPrimitives.WriteUInt16BigEndian(merged.AsSpan(ActionProgram.SetValueOffset), (ushort)((v0 & ~mask) | (value & mask)));
                BinaryPrimitives.WriteUInt16BigEndian(merged.AsSpan(ActionProgram.SetValueOffset + 2), (ushort)(m0 | mask));
                vlan[^1] = merged;
                return;
            }
        }

        vlan.Add(set);
    }

    private static void Merge(SortedDictionary<Header, List<(ActionField Field, byte[] Value, byte[] Mask)>> sets, byte[] a)
    {
        ActionField field = FieldOf(a);
        int size = a[5];
        byte[] value = a.AsSpan(ActionProgram.SetValueOffset, size).ToArray();
        byte[] mask = a.AsSpan(ActionProgram.SetValueOffset + size, size).ToArray();
        Header header = HeaderOf(field);
        if (!sets.TryGetValue(header, out var fields))
        {
            sets[header] = fields = [];
        }

        int i = fields.FindIndex(f => f.Field == field);
        if (i < 0)
        {
            fields.Add((field, value, mask));
            return;
        }

        (_, byte[] v0, byte[] m0) = fields[i];
        for (int b = 0; b < size; b++)
        {
            v0[b] = (byte)((v0[b] & ~mask[b]) | (value[b] & mask[b]));
            m0[b] |= mask[b];
        }
    }

    private static Header HeaderOf(ActionField field) => field switch
    {
        ActionField.EthSrc or ActionField.EthDst => Header.Eth,
        ActionField.Ipv4Src or ActionField.Ipv4Dst or ActionField.Ipv4Tos or ActionField.Ipv4Ttl => Header.Ipv4,
        ActionField.Ipv6Src or ActionField.Ipv6Dst or ActionField.Ipv6Tc or ActionField.Ipv6Label or ActionField.Ipv6HopLimit => Header.Ipv6,
        ActionField.ArpOp or ActionField.ArpSpa or ActionField.ArpTpa or ActionField.ArpSha or ActionField.ArpTha => Header.Arp,
        ActionField.TcpSrc or ActionField.TcpDst => Header.Tcp,
        ActionField.UdpSrc or ActionField.UdpDst => Header.Udp,
        ActionField.SctpSrc or ActionField.SctpDst => Header.Sctp,
        ActionField.IcmpType or ActionField.IcmpCode => Header.Icmp,
        ActionField.Icmpv6Type or ActionField.Icmpv6Code => Header.Icmpv6,
        _ => Header.Nd,
    };

    // Open vSwitch's attribute order inside each header (odp-util.c format_odp_key_attr).
    private static int FieldRank(ActionField field) => field switch
    {
        ActionField.EthSrc => 0,
        ActionField.EthDst => 1,
        ActionField.Ipv4Src or ActionField.Ipv6Src => 0,
        ActionField.Ipv4Dst or ActionField.Ipv6Dst => 1,
        ActionField.Ipv6Label => 2,
        ActionField.Ipv4Tos or ActionField.Ipv6Tc => 4,
        ActionField.Ipv4Ttl or ActionField.Ipv6HopLimit => 5,
        ActionField.TcpSrc or ActionField.UdpSrc or ActionField.SctpSrc => 0,
        ActionField.TcpDst or ActionField.UdpDst or ActionField.SctpDst => 1,
        ActionField.ArpSpa => 0,
        ActionField.ArpTpa => 1,
        ActionField.ArpOp => 2,
        ActionField.ArpSha => 3,
        ActionField.ArpTha => 4,
        ActionField.IcmpType or ActionField.Icmpv6Type => 0,
        ActionField.IcmpCode or ActionField.Icmpv6Code => 1,
        ActionField.NdTarget => 0,
        ActionField.NdSll => 1,
        _ => 2,
    };

    private static string FormatSet(Header header, List<(ActionField Field, byte[] Value, byte[] Mask)> fields)
    {
        string name = header switch
        {
            Header.Eth => "eth",
            Header.Ipv4 => "ipv4",
            Header.Ipv6 => "ipv6",
            Header.Arp => "arp",
            Header.Tcp => "tcp",
            Header.Udp => "udp",
            Header.Sctp => "sctp",
            Header.Icmp => "icmp",
            Header.Icmpv6 => "icmpv6",
            _ => "nd",
        };
        var s = new StringBuilder("set(").Append(name).Append('(');
        bool first = true;
        foreach (var (field, value, mask) in fields.OrderBy(f => FieldRank(f.Field)))
        {
            if (!first)
            {
                s.Append(',');
            }

            first = false;
            for (int i = 0; i < value.Length; i++)
            {
                value[i] &= mask[i];
            }

            bool full = !mask.AsSpan().ContainsAnyExcept((byte)0xff);
            s.Append(AttributeName(field)).Append('=');
            switch (field)
            {
                case ActionField.EthSrc or ActionField.EthDst or ActionField.ArpSha or ActionField.ArpTha or ActionField.NdSll or ActionField.NdTll:
                    OvsFlowFormat.AppendMac(s, value);
                    if (!full)
                    {
                        s.Append('/');
                        OvsFlowFormat.AppendMac(s, mask);
                    }

                    break;
                case ActionField.Ipv4Src or ActionField.Ipv4Dst or ActionField.ArpSpa or ActionField.ArpTpa:
                    s.Append(FieldText.FormatIpv4(BinaryPrimitives.ReadUInt32BigEndian(value)));
                    if (!full)
                    {
                        s.Append('/').Append(FieldText.FormatIpv4(BinaryPrimitives.ReadUInt32BigEndian(mask)));
                    }

                    break;
                case ActionField.Ipv6Src or ActionField.Ipv6Dst or ActionField.NdTarget:
                    s.Append(FieldText.FormatIpv6(BinaryPrimitives.ReadUInt128BigEndian(value)));
                    if (!full)
                    {
                        s.Append('/').Append(FieldText.FormatIpv6(BinaryPrimitives.ReadUInt128BigEndian(mask)));
                    }

                    break;
                case ActionField.Ipv4Tos or ActionField.Ipv6Tc:
                    // format_u8x: %#x, so zero is "0".
                    s.Append(HexAlt(value[0]));
                    if (!full)
                    {
                        s.Append('/').Append(HexAlt(mask[0]));
                    }

                    break;
                case ActionField.Ipv6Label:
                    uint label = BinaryPrimitives.ReadUInt32BigEndian(value) & 0xfffff;
                    uint labelMask = BinaryPrimitives.ReadUInt32BigEndian(mask) & 0xfffff;
                    s.Append(HexAlt(label));
                    if (labelMask != 0xfffff)
                    {
                        s.Append('/').Append(HexAlt(labelMask));
                    }

                    break;
                case ActionField.TcpSrc or ActionField.TcpDst or ActionField.UdpSrc or ActionField.UdpDst
                    or ActionField.SctpSrc or ActionField.SctpDst or ActionField.ArpOp:
                    s.Append(BinaryPrimitives.ReadUInt16BigEndian(value).ToString(Inv));
                    if (!full)
                    {
                        s.Append('/').Append(HexAlt(BinaryPrimitives.ReadUInt16BigEndian(mask)));
                    }

                    break;
                default:
                    // ttl, hlimit, ICMP type and code: format_u8u.
                    s.Append(value[^1].ToString(Inv));
                    if (!full)
                    {
                        s.Append('/').Append(HexAlt(mask[^1]));
                    }

                    break;
            }
        }

        return s.Append("))").ToString();
    }

    private static string AttributeName(ActionField field) => field switch
    {
        ActionField.EthSrc or ActionField.Ipv4Src or ActionField.Ipv6Src or ActionField.TcpSrc or ActionField.UdpSrc or ActionField.SctpSrc => "src",
        ActionField.EthDst or ActionField.Ipv4Dst or ActionField.Ipv6Dst or ActionField.TcpDst or ActionField.UdpDst or ActionField.SctpDst => "dst",
        ActionField.Ipv4Tos => "tos",
        ActionField.Ipv4Ttl => "ttl",
        ActionField.Ipv6Tc => "tclass",
        ActionField.Ipv6Label => "label",
        ActionField.Ipv6HopLimit => "hlimit",
        ActionField.ArpOp => "op",
        ActionField.ArpSpa => "sip",
        ActionField.ArpTpa => "tip",
        ActionField.ArpSha => "sha",
        ActionField.ArpTha => "tha",
        ActionField.IcmpType or ActionField.Icmpv6Type => "type",
        ActionField.IcmpCode or ActionField.Icmpv6Code => "code",
        ActionField.NdTarget => "target",
        ActionField.NdSll => "sll",
        _ => "tll",
    };

    // C's %#x: "0" for zero, "0x…" otherwise.
    private static string HexAlt(uint v) => v == 0 ? "0" : "0x" + v.ToString("x", Inv);
}
