using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Packets;

/// <summary>
/// Extracts a <see cref="FlowKey"/> from a packet's bytes and records its header offsets. Allocation-free;
/// every read is bounds-checked against the packet, so a damaged packet yields a <see cref="ParseFlags"/>
/// flag, never an out-of-bounds read.
/// </summary>
/// <remarks>
/// <para>
/// The key holds exactly the fields Open vSwitch's flow_extract() puts in its flow for the same bytes, so a
/// megaflow matches the packets it would match in Open vSwitch (checked against <c>ovs-ofctl parse-pcap</c> by
/// the differential test in FastPath.Packets.Tests). In particular a damaged layer contributes nothing: an
/// IPv4 header that is cut, has an IHL below 5 or more than its total length, or a total length past the
/// frame, or an IPv6 payload length past the frame, leaves every L3 and L4 field zero (dl_type stays), so no
/// rule can match an address or port the packet does not validly carry. An IPv6 extension header that runs
/// past the payload keeps only the fixed header's addresses, as in Open vSwitch.
/// </para>
/// <para>
/// <see cref="ParseFlags"/> is FastPath's own record of why fields are missing (Open vSwitch keeps no such
/// thing); it is metadata, and a match ignores it unless its mask says otherwise.
/// </para>
/// </remarks>
public static class FlowExtractor
{
    private const int EthHeader = 14;
    private const int MaxVlanTags = 2;

    // IPv6's "no next header": nothing follows the header, so no TCP either.
    private const byte Ipv6NoNextHeader = 59;

    /// <summary>Parses <paramref name="data"/>; sets <paramref name="packet"/>'s offsets and fills <paramref name="key"/>.</summary>
    /// <remarks>
    /// An offset is set only when its whole header is present, so actions that rewrite a header can trust
    /// it: L3 for an IPv4 header of its full IHL (even when the total length is wrong and the key has no L3
    /// fields, as Open vSwitch's l3_ofs), a whole fixed IPv6 header, or a whole Ethernet/IPv4 ARP or RARP
    /// body; L4 for a TCP header of its full data offset, UDP (8), SCTP (12), ICMP, IGMP and ICMPv6 (8), only
    /// when the key has the L4 fields. MPLS frames get neither: their payload is not parsed.
    /// </remarks>
    public static void Extract(ReadOnlySpan<byte> data, ref Packet packet, out FlowKey key)
    {
        key = default;
        key.inPort = packet.InPort;
        packet.L3Offset = Packet.NoOffset;
        packet.L4Offset = Packet.NoOffset;
        packet.VlanOffset = Packet.NoOffset;
        key.flags = (ushort)ParseL2(data, ref packet, ref key);
    }

    /// <summary>
    /// The TCP flags <see cref="Extract"/> would put in the key of <paramref name="data"/> (as
    /// <see cref="FlowKey.TcpFlags"/> reads them), for a packet forwarded without a key (a port-only megaflow): frames that
    /// are plainly not TCP answer 0 from a few loads; the others are parsed in full, so the answer is always
    /// Extract's own.
    /// </summary>
    public static ushort TcpFlags(ReadOnlySpan<byte> data)
    {
        if (data.Length < EthHeader)
        {
            return 0;
        }

        int ofs = 12;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(data[ofs..]);
        for (int tag = 0; tag < MaxVlanTags && (type == EtherTypes.Vlan8021Q || type == EtherTypes.Vlan8021AD); tag++)
        {
            if (data.Length < ofs + 6)
            {
                return 0;
            }

            ofs += 4;
            type = BinaryPrimitives.ReadUInt16BigEndian(data[ofs..]);
        }

        ofs += 2;
        int avail = data.Length - ofs;
        bool surelyNotTcp = type switch
        {
            // Without a whole fixed header Extract stops before L4; otherwise the protocol byte decides.
            EtherTypes.Ipv4 => avail < 20 || data[ofs + 9] != IpProtocols.Tcp,
            EtherTypes.Ipv6 => avail < 40 || data[ofs + 6] is IpProtocols.Udp or IpProtocols.IcmpV6 or IpProtocols.Icmp or IpProtocols.Sctp or Ipv6NoNextHeader,

            // 802.3 frames may carry IP inside LLC/SNAP: parsed in full.
            _ => type >= EtherTypes.Min,
        };
        if (surelyNotTcp)
        {
            return 0;
        }

        var p = new Packet { Length = (ushort)data.Length };
        Extract(data, ref p, out FlowKey key);
        return key.TcpFlags;
    }

    private static ParseFlags ParseL2(ReadOnlySpan<byte> d, ref Packet packet, ref FlowKey key)
    {
        // Without a whole Ethernet header Open vSwitch records nothing, not even the MAC addresses.
        if (d.Length < EthHeader)
        {
            return ParseFlags.Truncated;
        }

        ref byte k = ref Unsafe.As<FlowKey, byte>(ref key);

        // dl_dst and dl_src are adjacent in both packet and key: one 12-byte copy.
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.DlDst), MemoryMarshal.Read<ulong>(d));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.DlDst + 8), MemoryMarshal.Read<uint>(d[8..]));

        int ofs = 12;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(d[ofs..]);
        for (int tag = 0; tag < MaxVlanTags && (type == EtherTypes.Vlan8021Q || type == EtherTypes.Vlan8021AD); tag++)
        {
            if (d.Length < ofs + 6)
            {
                // A tag needs its TCI and the type after it; a cut tag is not a tag, and its TPID stays the
                // Ethernet type, as in Open vSwitch.
                key.EthType = type;
                return ParseFlags.Truncated;
            }

            if (tag == 0)
            {
                packet.VlanOffset = (ushort)ofs;
            }

            // TPID and TCI as on the wire, with CFI set so "tagged with VID 0" differs from "untagged".
            uint tpidTci = MemoryMarshal.Read<uint>(d[ofs..]) | ToNetwork((uint)FlowKey.VlanCfi);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, tag == 0 ? FlowKey.Offsets.Vlan0 : FlowKey.Offsets.Vlan1), tpidTci);
            ofs += 4;
            type = BinaryPrimitives.ReadUInt16BigEndian(d[ofs..]);
        }

        ofs += 2;
        if (type < EtherTypes.Min)
        {
            return ParseLlc(d, ofs, ref packet, ref key);
        }

        key.EthType = type;
        return ParseL3(d, ofs, type, ref packet, ref key);
    }

    private static ParseFlags ParseL3(ReadOnlySpan<byte> d, int ofs, ushort type, ref Packet packet, ref FlowKey key) => type switch
    {
        EtherTypes.Ipv4 => ParseIpv4(d, ofs, ref packet, ref key),
        EtherTypes.Ipv6 => ParseIpv6(d, ofs, ref packet, ref key),
        EtherTypes.Arp or EtherTypes.Rarp => ParseArp(d, ofs, ref packet, ref key),
        EtherTypes.Mpls or EtherTypes.MplsMulticast => ParseMpls(d, ofs, ref key),
        _ => ParseFlags.None,
    };

    // 802.3: only LLC/SNAP with a zero OUI and a real Ethernet type inside carries a type; anything else is
    // Open vSwitch's FLOW_DL_TYPE_NONE.
    private static ParseFlags ParseLlc(ReadOnlySpan<byte> d, int ofs, ref Packet packet, ref FlowKey key)
    {
        key.EthType = EtherTypes.None8023;
        int avail = d.Length - ofs;
        bool snap = avail >= 3 && d[ofs] == 0xaa && d[ofs + 1] == 0xaa && d[ofs + 2] == 0x03;
        if (avail < 3 || (snap && avail < 8))
        {
            return ParseFlags.Truncated;
        }

        if (!snap || d[ofs + 3] != 0 || d[ofs + 4] != 0 || d[ofs + 5] != 0)
        {
            return ParseFlags.None;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(d[(ofs + 6)..]);
        if (type < EtherTypes.Min)
        {
            return ParseFlags.None;
        }

        key.EthType = type;
        return ParseL3(d, ofs + 8, type, ref packet, ref key);
    }

    // The label stack up to bottom-of-stack; the key keeps the first three entries, as Open vSwitch does, and
    // nothing beyond the stack (Open vSwitch does not look inside an MPLS payload either).
    private static ParseFlags ParseMpls(ReadOnlySpan<byte> d, int ofs, ref FlowKey key)
    {
        ref byte k = ref Unsafe.As<FlowKey, byte>(ref key);
        for (int i = 0; d.Length - ofs >= 4; i++, ofs += 4)
        {
            uint lse = MemoryMarshal.Read<uint>(d[ofs..]);
            if (i < FlowKey.MaxMplsLabels)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.MplsLse + (4 * i)), lse);
            }

            if ((d[ofs + 2] & 0x01) != 0)
            {
                return ParseFlags.None;
            }
        }

        // The frame ended before an entry with bottom-of-stack.
        return ParseFlags.Truncated;
    }

    private static ParseFlags ParseIpv4(ReadOnlySpan<byte> d, int ofs, ref Packet packet, ref FlowKey key)
    {
        int avail = d.Length - ofs;
        if (avail < 20)
        {
            return ParseFlags.Truncated;
        }

        // Like Open vSwitch, the version nibble is not checked: the Ethernet type says IPv4.
        ReadOnlySpan<byte> ip = d[ofs..];
        int ihl = (ip[0] & 0x0f) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (ihl < 20)
        {
            return ParseFlags.Malformed;
        }

        if (avail < ihl)
        {
            return ParseFlags.Truncated;
        }

        // The header itself is whole, so an action may rewrite it (Open vSwitch sets l3_ofs here too); but a
        // total length past the frame or inside the header leaves the key without any L3 or L4 field.
        packet.L3Offset = (ushort)ofs;
        if (totalLength > avail)
        {
            return ParseFlags.Truncated;
        }

        if (totalLength < ihl)
        {
            return ParseFlags.Malformed;
        }

        ref byte k = ref Unsafe.As<FlowKey, byte>(ref key);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.NwSrc), MemoryMarshal.Read<uint>(ip[12..]));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.NwDst), MemoryMarshal.Read<uint>(ip[16..]));
        key.nwProto = ip[9];
        key.nwTos = ip[1];
        key.nwTtl = ip[8];
        ushort frag = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        if ((frag & 0x3fff) != 0)
        {
            key.nwFrag = (byte)FragFlags.Any;
            if ((frag & 0x1fff) != 0)
            {
                key.nwFrag |= (byte)FragFlags.Later;
                return ParseFlags.None;
            }
        }

        // Ethernet padding beyond the IP total length is not L4 payload.
        return ParseL4(d[..(ofs + totalLength)], ofs + ihl, key.nwProto, ref packet, ref key);
    }

    private static ParseFlags ParseIpv6(ReadOnlySpan<byte> d, int ofs, ref Packet packet, ref FlowKey key)
    {
        if (d.Length - ofs < 40)
        {
            return ParseFlags.Truncated;
        }

        // The fixed header is whole: an action may rewrite it, as in Open vSwitch. A payload length past the
        // frame leaves the key without any L3 or L4 field.
        ReadOnlySpan<byte> ip = d[ofs..];
        packet.L3Offset = (ushort)ofs;
        int end = ofs + 40 + BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        if (end > d.Length)
        {
            return ParseFlags.Truncated;
        }

        // Like Open vSwitch, the version nibble is not checked: the Ethernet type says IPv6.
        ref byte k = ref Unsafe.As<FlowKey, byte>(ref key);
        ip.Slice(8, 32).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref k, FlowKey.Offsets.NwSrc), 32));

        // Padding after the payload is not headers.
        d = d[..end];
        if (!Ipv6ExtensionHeaders.TryWalk(d, ofs + 40, ip[6], out Ipv6ExtensionChain chain))
        {
            // Open vSwitch keeps the addresses and drops the rest (label, TOS, TTL, protocol).
            return ParseFlags.Truncated;
        }

        uint vtcfl = BinaryPrimitives.ReadUInt32BigEndian(ip);
        key.nwTos = (byte)(vtcfl >> 20);
        key.ipv6Label = ToNetwork(vtcfl & 0xfffff);
        key.nwTtl = ip[7];
        key.nwProto = chain.Protocol;
        key.nwFrag = (byte)chain.Frag;
        if ((chain.Frag & FragFlags.Later) != 0)
        {
            return ParseFlags.None;
        }

        return ParseL4(d, chain.Offset, chain.Protocol, ref packet, ref key);
    }

    private static ParseFlags ParseArp(ReadOnlySpan<byte> d, int ofs, ref Packet packet, ref FlowKey key)
    {
        if (d.Length - ofs < 28)
        {
            return ParseFlags.Truncated;
        }

        ReadOnlySpan<byte> arp = d[ofs..];

        // Only Ethernet/IPv4 ARP has the fields the key holds; others match on dl_type alone.
        if (BinaryPrimitives.ReadUInt16BigEndian(arp) != 1 || BinaryPrimitives.ReadUInt16BigEndian(arp[2..]) != EtherTypes.Ipv4
            || arp[4] != 6 || arp[5] != 4)
        {
            return ParseFlags.None;
        }

        // Only the low byte of the opcode is matchable; a larger opcode leaves it zero.
        ushort op = BinaryPrimitives.ReadUInt16BigEndian(arp[6..]);
        if (op <= 0xff)
        {
            key.nwProto = (byte)op;
        }

        packet.L3Offset = (ushort)ofs;
        arp.Slice(8, 6).CopyTo(key.ArpSha);
        arp.Slice(14, 4).CopyTo(key.Bytes.Slice(FlowKey.Offsets.NwSrc, 4));
        arp.Slice(18, 6).CopyTo(key.ArpTha);
        arp.Slice(24, 4).CopyTo(key.Bytes.Slice(FlowKey.Offsets.NwDst, 4));
        return ParseFlags.None;
    }

    // The L4 header at ofs; d ends where the IP payload ends. The protocol decides the header, whatever the IP
    // version (Open vSwitch reads ICMP in IPv6 and ICMPv6 in IPv4 the same way).
    private static ParseFlags ParseL4(ReadOnlySpan<byte> d, int ofs, byte proto, ref Packet packet, ref FlowKey key)
    {
        ref byte k = ref Unsafe.As<FlowKey, byte>(ref key);
        int avail = d.Length - ofs;
        switch (proto)
        {
            case IpProtocols.Tcp:
                if (avail < 20)
                {
                    return ParseFlags.Truncated;
                }

                int dataOffset = (d[ofs + 12] >> 4) * 4;
                if (dataOffset < 20)
                {
                    return ParseFlags.Malformed;
                }

                if (dataOffset > avail)
                {
                    // The header with its options does not fit: no ports, no flags, no L4 offset.
                    return ParseFlags.Truncated;
                }

                Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.TpSrc), MemoryMarshal.Read<uint>(d[ofs..]));
                key.tcpFlags = (ushort)(MemoryMarshal.Read<ushort>(d[(ofs + 12)..]) & ToNetwork((ushort)0x0fff));
                break;
            case IpProtocols.Udp:
                if (avail < 8)
                {
                    return ParseFlags.Truncated;
                }

                Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.TpSrc), MemoryMarshal.Read<uint>(d[ofs..]));
                break;
            case IpProtocols.Sctp:
                if (avail < 12)
                {
                    return ParseFlags.Truncated;
                }

                Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.TpSrc), MemoryMarshal.Read<uint>(d[ofs..]));
                break;
            case IpProtocols.Icmp:
            case IpProtocols.Igmp:
                // ICMP and IGMP (v1-v3 share the first 8 bytes): type and code go to tp_src and tp_dst.
                if (avail < 8)
                {
                    return ParseFlags.Truncated;
                }

                SetIcmpTypeCode(ref key, d[ofs], d[ofs + 1]);
                break;
            case IpProtocols.IcmpV6:
                if (avail < 8)
                {
                    return ParseFlags.Truncated;
                }

                SetIcmpTypeCode(ref key, d[ofs], d[ofs + 1]);
                packet.L4Offset = (ushort)ofs;
                return (d[ofs] == 135 || d[ofs] == 136) && d[ofs + 1] == 0 ? ParseNeighborDiscovery(d, ofs, ref key) : ParseFlags.None;
            default:
                return ParseFlags.None;
        }

        packet.L4Offset = (ushort)ofs;
        return ParseFlags.None;
    }

    private static void SetIcmpTypeCode(ref FlowKey key, byte type, byte code)
    {
        key.tpSrc = ToNetwork((ushort)type);
        key.tpDst = ToNetwork((ushort)code);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort ToNetwork(ushort v) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ToNetwork(uint v) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;

    // Neighbor solicitation (135) and advertisement (136): target address, then options. As in Open vSwitch,
    // a source (1) or target (2) link-layer address option of 8 bytes goes into the key whatever the
    // message type; a second option of the same kind voids target and addresses; an option of length zero or
    // past the end stops the walk, keeping what was found before it.
    private static ParseFlags ParseNeighborDiscovery(ReadOnlySpan<byte> d, int ofs, ref FlowKey key)
    {
        if (d.Length - ofs < 24)
        {
            return ParseFlags.Truncated;
        }

        d.Slice(ofs + 8, 16).CopyTo(key.NdTarget);
        Span<byte> sll = key.ArpSha;
        Span<byte> tll = key.ArpTha;
        int opt = ofs + 24;
        while (d.Length - opt >= 8)
        {
            byte type = d[opt];
            int len = d[opt + 1] * 8;
            if (len == 0)
            {
                return ParseFlags.Malformed;
            }

            if (len > d.Length - opt)
            {
                return ParseFlags.Truncated;
            }

            if (len == 8 && (type == 1 || type == 2))
            {
                Span<byte> lla = type == 1 ? sll : tll;
                if (lla.IndexOfAnyExcept((byte)0) >= 0)
                {
                    key.NdTarget.Clear();
                    sll.Clear();
                    tll.Clear();
                    return ParseFlags.Malformed;
                }

                d.Slice(opt + 2, 6).CopyTo(lla);
            }

            opt += len;
        }

        return ParseFlags.None;
    }
}
