using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace FastPath.Datapath.Actions;

/// <summary>Prints an encoded action program in Open vSwitch datapath-action syntax, as dpctl/dump-flows shows it.</summary>
/// <remarks>
/// Examples: <c>set(ipv4(src=10.99.0.1)),push_vlan(vid=10,pcp=0),2</c>; an empty program prints <c>drop</c>.
/// Masked sets print <c>field=value/mask</c> unless the mask is all ones. Where this datapath differs
/// from Open vSwitch the syntax stays close: <c>userspace(cookie=0x…)</c>, <c>set(vlan(vid=…))</c>, and
/// push_vlan's TCI is the wire TCI, so <c>cfi=1</c> shows only when the DEI bit itself is set.
/// MPLS prints as Open vSwitch does (<c>push_mpls(label=0,tc=0,ttl=64,bos=1,eth_type=0x8847)</c>,
/// <c>pop_mpls(eth_type=0x800)</c>), except that a push whose entry comes from the packet prints
/// <c>push_mpls(eth_type=…)</c>, <c>dec_mpls_ttl</c> is an action of its own, and a masked
/// <c>set(mpls(…))</c> shows only the parts its mask covers (<c>set(mpls(label=5))</c>), each with
/// <c>/mask</c> when covered in part.
/// </remarks>
public static class ActionFormatter
{
    /// <summary>Formats <paramref name="program"/>; a malformed tail is shown as <c>invalid(…)</c> rather than thrown.</summary>
    public static string Format(ReadOnlySpan<byte> program)
    {
        if (program.IsEmpty)
        {
            return "drop";
        }

        var sb = new StringBuilder();
        int pos = 0;
        while (pos < program.Length)
        {
            // Validate one action at a time so the well-formed prefix still prints.
            int len = program.Length - pos >= 4 ? BinaryPrimitives.ReadUInt16LittleEndian(program[(pos + 2)..]) : 0;
            ProgramValidation v = len >= ActionProgram.Alignment && len <= program.Length - pos
                ? ActionProgram.Validate(program.Slice(pos, len))
                : ActionProgram.Validate(program[pos..]);
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            if (!v.IsValid)
            {
                sb.Append("invalid(").Append(v.Error).Append(')');
                break;
            }

            FormatAction(sb, program.Slice(pos, len));
            pos += len;
        }

        return sb.ToString();
    }

    private static void FormatAction(StringBuilder sb, ReadOnlySpan<byte> a)
    {
        var inv = CultureInfo.InvariantCulture;
        switch ((ActionType)BinaryPrimitives.ReadUInt16LittleEndian(a))
        {
            case ActionType.Output:
                sb.Append(BinaryPrimitives.ReadUInt32LittleEndian(a[4..]).ToString(inv));
                break;
            case ActionType.Userspace:
                sb.Append(inv, $"userspace(cookie=0x{BinaryPrimitives.ReadUInt64LittleEndian(a[8..]):x})");
                break;
            case ActionType.PushVlan:
                ushort tpid = BinaryPrimitives.ReadUInt16BigEndian(a[4..]);
                ushort tci = BinaryPrimitives.ReadUInt16BigEndian(a[6..]);
                sb.Append("push_vlan(");
                if (tpid != 0x8100)
                {
                    sb.Append(inv, $"tpid=0x{tpid:x4},");
                }

                sb.Append(inv, $"vid={tci & 0x0fff},pcp={tci >> 13}");
                if ((tci & 0x1000) != 0)
                {
                    sb.Append(",cfi=1");
                }

                sb.Append(')');
                break;
            case ActionType.PopVlan:
                sb.Append("pop_vlan");
                break;
            case ActionType.DecTtl:
                sb.Append("dec_ttl");
                break;
            case ActionType.PushMpls:
                ushort mplsType = BinaryPrimitives.ReadUInt16BigEndian(a[8..]);
                sb.Append("push_mpls(");
                if (a[10] != ActionProgram.PushMplsFromPacket)
                {
                    uint lse = BinaryPrimitives.ReadUInt32BigEndian(a[4..]);
                    sb.Append(inv, $"label={lse >> 12},tc={(lse >> 9) & 7},ttl={lse & 0xff},bos={(lse >> 8) & 1},");
                }

                sb.Append(inv, $"eth_type=0x{mplsType:x})");
                break;
            case ActionType.PopMpls:
                sb.Append(inv, $"pop_mpls(eth_type=0x{BinaryPrimitives.ReadUInt16BigEndian(a[4..]):x})");
                break;
            case ActionType.DecMplsTtl:
                sb.Append("dec_mpls_ttl");
                break;
            case ActionType.SetMasked:
                FormatSet(sb, a);
                break;
            case ActionType.Meter:
                sb.Append(inv, $"meter({BinaryPrimitives.ReadUInt32LittleEndian(a[4..])})");
                break;
        }
    }

    private static void FormatMpls(StringBuilder sb, uint lse, uint mask)
    {
        var inv = CultureInfo.InvariantCulture;
        bool first = true;
        Part("label", 12, 0xfffff);
        Part("tc", 9, 7);
        Part("ttl", 0, 0xff);
        Part("bos", 8, 1);

        void Part(string name, int shift, uint bits)
        {
            uint m = (mask >> shift) & bits;
            if (m == 0)
            {
                return;
            }

            sb.Append(first ? string.Empty : ",").Append(name).Append('=').Append(((lse >> shift) & bits).ToString(inv));
            if (m != bits)
            {
                sb.Append(inv, $"/0x{m:x}");
            }

            first = false;
        }
    }

    private static void FormatSet(StringBuilder sb, ReadOnlySpan<byte> a)
    {
        var field = (ActionField)a[4];
        int size = a[5];
        ReadOnlySpan<byte> value = a.Slice(ActionProgram.SetValueOffset, size);
        ReadOnlySpan<byte> mask = a.Slice(ActionProgram.SetValueOffset + size, size);
        bool full = !mask.ContainsAnyExcept((byte)0xff);
        var inv = CultureInfo.InvariantCulture;

        (string header, string name) = field switch
        {
            ActionField.EthSrc => ("eth", "src"),
            ActionField.EthDst => ("eth", "dst"),
            ActionField.VlanTci => ("vlan", "tci"),
            ActionField.Ipv4Src => ("ipv4", "src"),
            ActionField.Ipv4Dst => ("ipv4", "dst"),
            ActionField.Ipv4Tos => ("ipv4", "tos"),
            ActionField.Ipv4Ttl => ("ipv4", "ttl"),
            ActionField.Ipv6Src => ("ipv6", "src"),
            ActionField.Ipv6Dst => ("ipv6", "dst"),
            ActionField.Ipv6Tc => ("ipv6", "tclass"),
            ActionField.Ipv6Label => ("ipv6", "label"),
            ActionField.Ipv6HopLimit => ("ipv6", "hlimit"),
            ActionField.TcpSrc => ("tcp", "src"),
            ActionField.TcpDst => ("tcp", "dst"),
            ActionField.UdpSrc => ("udp", "src"),
            ActionField.UdpDst => ("udp", "dst"),
            ActionField.SctpSrc => ("sctp", "src"),
            ActionField.MplsLse => ("mpls", "lse"),
            ActionField.ArpOp => ("arp", "op"),
            ActionField.ArpSpa => ("arp", "sip"),
            ActionField.ArpTpa => ("arp", "tip"),
            ActionField.ArpSha => ("arp", "sha"),
            ActionField.ArpTha => ("arp", "tha"),
            ActionField.IcmpType => ("icmp", "type"),
            ActionField.IcmpCode => ("icmp", "code"),
            ActionField.Icmpv6Type => ("icmpv6", "type"),
            ActionField.Icmpv6Code => ("icmpv6", "code"),
            ActionField.NdTarget => ("nd", "target"),
            ActionField.NdSll => ("nd", "sll"),
            ActionField.NdTll => ("nd", "tll"),
            _ => ("sctp", "dst"),
        };

        sb.Append("set(").Append(header).Append('(');
        switch (field)
        {
            case ActionField.EthSrc or ActionField.EthDst or ActionField.ArpSha or ActionField.ArpTha or ActionField.NdSll or ActionField.NdTll:
                sb.Append(name).Append('=').Append(Mac(value));
                if (!full)
                {
                    sb.Append('/').Append(Mac(mask));
                }

                break;
            case ActionField.VlanTci:
                ushort tci = BinaryPrimitives.ReadUInt16BigEndian(value);
                ushort tciMask = BinaryPrimitives.ReadUInt16BigEndian(mask);
                if (tciMask == 0x0fff)
                {
                    sb.Append(inv, $"vid={tci & 0x0fff}");
                }
                else if (tciMask == 0xe000)
                {
                    sb.Append(inv, $"pcp={tci >> 13}");
                }
                else
                {
                    sb.Append(inv, $"tci=0x{tci:x4}/0x{tciMask:x4}");
                }

                break;
            case ActionField.Ipv4Src or ActionField.Ipv4Dst or ActionField.Ipv6Src or ActionField.Ipv6Dst
                or ActionField.ArpSpa or ActionField.ArpTpa or ActionField.NdTarget:
                sb.Append(name).Append('=').Append(new IPAddress(value).ToString());
                if (!full)
                {
                    sb.Append('/').Append(new IPAddress(mask).ToString());
                }

                break;
            case ActionField.Ipv4Ttl or ActionField.Ipv6HopLimit:
                sb.Append(name).Append('=').Append(value[0].ToString(inv));
                break;
            case ActionField.IcmpType or ActionField.IcmpCode or ActionField.Icmpv6Type or ActionField.Icmpv6Code:
                sb.Append(name).Append('=').Append(value[0].ToString(inv));
                if (!full)
                {
                    sb.Append(inv, $"/0x{mask[0]:x2}");
                }

                break;
            case ActionField.Ipv4Tos or ActionField.Ipv6Tc:
                sb.Append(inv, $"{name}=0x{value[0]:x2}");
                if (!full)
                {
                    sb.Append(inv, $"/0x{mask[0]:x2}");
                }

                break;
            case ActionField.Ipv6Label:
                uint label = BinaryPrimitives.ReadUInt32BigEndian(value);
                uint labelMask = BinaryPrimitives.ReadUInt32BigEndian(mask);
                sb.Append(inv, $"label=0x{label:x5}");
                if (labelMask != 0xfffff)
                {
                    sb.Append(inv, $"/0x{labelMask:x5}");
                }

                break;
            case ActionField.MplsLse:
                FormatMpls(sb, BinaryPrimitives.ReadUInt32BigEndian(value), BinaryPrimitives.ReadUInt32BigEndian(mask));
                break;
            default:
                ushort port = BinaryPrimitives.ReadUInt16BigEndian(value);
                ushort portMask = BinaryPrimitives.ReadUInt16BigEndian(mask);
                sb.Append(inv, $"{name}={port}");
                if (!full)
                {
                    sb.Append(inv, $"/0x{portMask:x4}");
                }

                break;
        }

        sb.Append("))");
    }

    private static string Mac(ReadOnlySpan<byte> b) =>
        string.Create(CultureInfo.InvariantCulture, $"{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}:{b[4]:x2}:{b[5]:x2}");
}
