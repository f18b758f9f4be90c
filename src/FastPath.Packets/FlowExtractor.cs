using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Packets;

/// <summary>
/// Extracts a <see cref="FlowKey"/> from a packet's bytes and records its header offsets. Allocation-free;
/// every read is bounds-checked against the packet, so a damaged packet yields the fields that are
/// valid up to the damage and a <see cref="ParseFlags"/> flag, never an out-of-bounds read.
/// </summary>
public static class FlowExtractor
{
    private const int EthHeader = 14;

    /// <summary>Parses <paramref name="data"/>; sets <paramref name="packet"/>'s offsets and fills <paramref name="key"/>.</summary>
    /// <remarks>An offset is set only when its whole header is present, so actions that rewrite a header can trust it.</remarks>
    public static void Extract(ReadOnlySpan<byte> data, ref Packet packet, out FlowKey key)
    {
        key = default;
        key.inPort = packet.InPort;
        packet.L3Offset = Packet.NoOffset;
        packet.L4Offset = Packet.NoOffset;
        packet.VlanOffset = Packet.NoOffset;
        key.flags = (ushort)ParseL2(data, ref packet, ref key);
    }

    private static ParseFlags ParseL2(ReadOnlySpan<byte> d, ref Packet packet, ref FlowKey key)
    {
        ref byte k = ref Unsafe.As<FlowKey, byte>(ref key);
        if (d.Length < EthHeader)
        {
            // Keep whichever MAC addresses are whole.
            if (d.Length >= 6)
            {
                d[..6].CopyTo(key.DlDst);
            }

            if (d.Length >= 12)
            {
                d.Slice(6, 6).CopyTo(key.DlSrc);
            }

            return ParseFlags.Truncated;
        }

        // dl_dst and dl_src are adjacent in both packet and key: one 12-byte copy.
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.DlDst), MemoryMarshal.Read<ulong>(d));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.DlDst + 8), MemoryMarshal.Read<uint>(d[8..]));

        int ofs = 12;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(d[ofs..]);
        for (int tag = 0; tag < 2 && (type == EtherTypes.Vlan8021Q || type == EtherTypes.Vlan8021AD); tag++)
        {
            if (d.Length < ofs + 6)
            {
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
            // 802.3: only LLC/SNAP with a zero OUI carries an Ethernet type.
            if (d.Length < ofs + 3 || (d.Length < ofs + 8 && d[ofs] == 0xaa && d[ofs + 1] == 0xaa && d[ofs + 2] == 0x03))
            {
                return ParseFlags.Truncated;
            }

            if (d.Length >= ofs + 8 && d[ofs] == 0xaa && d[ofs + 1] == 0xaa && d[ofs + 2] == 0x03
                && d[ofs + 3] == 0 && d[ofs + 4] == 0 && d[ofs + 5] == 0)
            {
                type = BinaryPrimitives.ReadUInt16BigEndian(d[(ofs + 6)..]);
                ofs += 8;
            }
            else
            {
                key.EthType = EtherTypes.None8023;
                return ParseFlags.None;
            }
        }

        key.EthType = type;
        return type switch
        {
            EtherTypes.Ipv4 => ParseIpv4(d, ofs, ref packet, ref key),
            EtherTypes.Ipv6 => ParseIpv6(d, ofs, ref packet, ref key),
            EtherTypes.Arp => ParseArp(d, ofs, ref packet, ref key),
            _ => ParseFlags.None,
        };
    }

    private static ParseFlags ParseIpv4(ReadOnlySpan<byte> d, int ofs, ref Packet packet, ref FlowKey key)
    {
        if (d.Length < ofs + 20)
        {
            return ParseFlags.Truncated;
        }

        ReadOnlySpan<byte> ip = d[ofs..];
        int ihl = (ip[0] & 0x0f) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if ((ip[0] >> 4) != 4 || ihl < 20 || totalLength < ihl)
        {
            return ParseFlags.Malformed;
        }

        ref byte k = ref Unsafe.As<FlowKey, byte>(ref key);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.NwSrc), MemoryMarshal.Read<uint>(ip[12..]));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref k, FlowKey.Offsets.NwDst), MemoryMarshal.Read<uint>(ip[16..]));
        key.nwProto = ip[9];
        key.nwTos = ip[1];
        key.nwTtl = ip[8];
        if (ip.Length < ihl)
        {
            return ParseFlags.Truncated;
        }

        packet.L3Offset = (ushort)ofs;
        ushort frag = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        if ((frag & 0x3fff) != 0)
        {
            key.nwFrag = (byte)FragFlags.Any;
            if ((frag & 0x1fff) != 0)
            {
                key.nwFrag |= (byte)FragFlags.Later;
                return totalLength > ip.Length ? ParseFlags.Truncated : ParseFlags.None;
            }
        }

        // Ethernet padding beyond the IP total length is not L4 payload.
        ParseFlags flags = ParseFlags.None;
        int end = ofs + totalLength;
        if (end > d.Length)
        {
            flags = ParseFlags.Truncated;
            end = d.Length;
        }

        return flags | ParseL4(d[..end], ofs + ihl, key.nwProto, ref packet, ref key);
    }

    private static ParseFlags ParseIpv6(ReadOnlySpan<byte> d, int ofs, ref Packet packet, ref FlowKey key)
    {
        if (d.Length < ofs + 40)
        {
            return ParseFlags.Truncated;
        }

        ReadOnlySpan<byte> ip = d[ofs..];
        if ((ip[0] >> 4) != 6)
        {
            return ParseFlags.Malformed;
        }

        ref byte k = ref Unsafe.As<FlowKey, byte>(ref key);
        uint vtcfl = BinaryPrimitives.ReadUInt32BigEndian(ip);
        key.nwTos = (byte)(vtcfl >> 20);
        key.ipv6Label = ToNetwork(vtcfl & 0xfffff);
        key.nwTtl = ip[7];
        ip.Slice(8, 32).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref k, FlowKey.Offsets.NwSrc), 32));
        packet.L3Offset = (ushort)ofs;

        ParseFlags flags = ParseFlags.None;
        int end = ofs + 40 + BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        if (end > d.Length)
        {
            flags = ParseFlags.Truncated;
            end = d.Length;
        }

        d = d[..end];
        byte next = ip[6];
        ofs += 40;
        while (true)
        {
            switch (next)
            {
                case IpProtocols.HopByHop:
                case IpProtocols.Routing:
                case IpProtocols.DestOpts:
                case IpProtocols.Ah:
                    if (d.Length < ofs + 8)
                    {
                        return flags | ParseFlags.Truncated;
                    }

                    int len = next == IpProtocols.Ah ? (d[ofs + 1] + 2) * 4 : (d[ofs + 1] + 1) * 8;
                    next = d[ofs];
                    ofs += len;
                    continue;
                case IpProtocols.Fragment:
                    if (d.Length < ofs + 8)
                    {
                        return flags | ParseFlags.Truncated;
                    }

                    ushort offM = BinaryPrimitives.ReadUInt16BigEndian(d[(ofs + 2)..]);
                    next = d[ofs];
                    ofs += 8;
                    if ((offM & 0xfff9) != 0)
                    {
                        key.nwFrag = (byte)FragFlags.Any;
                        if ((offM & 0xfff8) != 0)
                        {
                            key.nwFrag |= (byte)FragFlags.Later;
                            key.nwProto = next;
                            return flags;
                        }
                    }

                    continue;
                default:
                    key.nwProto = next;
                    return flags | ParseL4(d, ofs, next, ref packet, ref key);
            }
        }
    }

    private static ParseFlags ParseArp(ReadOnlySpan<byte> d, int ofs, ref Packet packet, ref FlowKey key)
    {
        if (d.Length < ofs + 8)
        {
            return ParseFlags.Truncated;
        }

        ReadOnlySpan<byte> arp = d[ofs..];
        ushort op = BinaryPrimitives.ReadUInt16BigEndian(arp[6..]);

        // Only Ethernet/IPv4 ARP has the fields the key holds; others match on dl_type alone.
        if (BinaryPrimitives.ReadUInt16BigEndian(arp) != 1 || BinaryPrimitives.ReadUInt16BigEndian(arp[2..]) != EtherTypes.Ipv4
            || arp[4] != 6 || arp[5] != 4)
        {
            return ParseFlags.None;
        }

        if (op <= 0xff)
        {
            key.nwProto = (byte)op;
        }

        if (arp.Length < 28)
        {
            return ParseFlags.Truncated;
        }

        packet.L3Offset = (ushort)ofs;
        arp.Slice(8, 6).CopyTo(key.ArpSha);
        arp.Slice(14, 4).CopyTo(key.Bytes.Slice(FlowKey.Offsets.NwSrc, 4));
        arp.Slice(18, 6).CopyTo(key.ArpTha);
        arp.Slice(24, 4).CopyTo(key.Bytes.Slice(FlowKey.Offsets.NwDst, 4));
        return ParseFlags.None;
    }

    private static ParseFlags ParseL4(ReadOnlySpan<byte> d, int ofs, byte proto, ref Packet packet, ref FlowKey key)
    {
        ref byte k = ref Unsafe.As<FlowKey, byte>(ref key);
        int avail = d.Length - ofs;
        if (avail < 0)
        {
            // Extension headers claimed more bytes than the packet has.
            return ParseFlags.Truncated;
        }

        switch (proto)
        {
            case IpProtocols.Tcp:
                if (avail < 20)
                {
                    return ParseFlags.Truncated;
                }

                if ((d[ofs + 12] >> 4) < 5)
                {
                    return ParseFlags.Malformed;
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
                if (avail < 8)
                {
                    return ParseFlags.Truncated;
                }

                SetIcmpTypeCode(ref key, d[ofs], d[ofs + 1]);
                break;
            case IpProtocols.IcmpV6:
                if (avail < 4)
                {
                    return ParseFlags.Truncated;
                }

                SetIcmpTypeCode(ref key, d[ofs], d[ofs + 1]);
                if ((d[ofs] == 135 || d[ofs] == 136) && d[ofs + 1] == 0)
                {
                    ParseFlags nd = ParseNeighborDiscovery(d, ofs, ref key);
                    if (nd != ParseFlags.None)
                    {
                        return nd;
                    }
                }

                break;
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

    // Neighbor solicitation (135) and advertisement (136): target address, then options of which the
    // source (1) and target (2) link-layer address options go into the key.
    private static ParseFlags ParseNeighborDiscovery(ReadOnlySpan<byte> d, int ofs, ref FlowKey key)
    {
        if (d.Length < ofs + 24)
        {
            return ParseFlags.Truncated;
        }

        d.Slice(ofs + 8, 16).CopyTo(key.NdTarget);
        int opt = ofs + 24;
        while (d.Length - opt >= 8)
        {
            byte type = d[opt];
            int len = d[opt + 1] * 8;
            if (len == 0 || d.Length - opt < len)
            {
                // A zero-length option would loop forever; a long one runs off the end. Forget what it claimed.
                key.ArpSha.Clear();
                key.ArpTha.Clear();
                return len == 0 ? ParseFlags.Malformed : ParseFlags.Truncated;
            }

            if (len == 8)
            {
                if (type == 1 && d[ofs] == 135)
                {
                    d.Slice(opt + 2, 6).CopyTo(key.ArpSha);
                }
                else if (type == 2 && d[ofs] == 136)
                {
                    d.Slice(opt + 2, 6).CopyTo(key.ArpTha);
                }
            }

            opt += len;
        }

        return ParseFlags.None;
    }
}
