using System.Buffers.Binary;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// The frames the parser and action benchmarks run on, and the batch setup both share. Setup-time
/// only: everything here allocates freely.
/// </summary>
/// <remarks>
/// The builders live here rather than in the product's traffic generator so the benchmarks depend only
/// on the packet library and the executor, and because the generator has no TCP/IPv6 or tagged frames.
/// </remarks>
public static class BenchmarkPackets
{
    /// <summary>Source of every IPv4 frame: 10.0.0.1.</summary>
    public const uint Ipv4Src = 0x0a000001;

    /// <summary>Destination of every IPv4 frame: 10.200.0.1.</summary>
    public const uint Ipv4Dst = 0x0ac80001;

    /// <summary>UDP destination port of the UDP frames.</summary>
    public const ushort UdpDstPort = 5000;

    /// <summary>TCP destination port of the TCP frames.</summary>
    public const ushort TcpDstPort = 80;

    /// <summary>TTL / hop limit every frame starts with.</summary>
    public const byte InitialTtl = 64;

    /// <summary>VID of the single tag and of QinQ's inner tag.</summary>
    public const ushort InnerVid = 100;

    /// <summary>VID of QinQ's outer (802.1ad) tag.</summary>
    public const ushort OuterVid = 10;

    private const int EthHeader = 14;

    private static readonly byte[] SrcMac = [0x02, 0, 0, 0, 0, 0x01];
    private static readonly byte[] DstMac = [0x02, 0, 0, 0, 0, 0x02];

    /// <summary>IPv6 source of the TCP/IPv6 frame: 2001:db8::1.</summary>
    public static ReadOnlySpan<byte> Ipv6Src => [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01];

    /// <summary>IPv6 destination of the TCP/IPv6 frame: 2001:db8::2.</summary>
    public static ReadOnlySpan<byte> Ipv6Dst => [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02];

    /// <summary>A minimum-size UDP/IPv4 frame: 60 bytes, 64 on the wire with the FCS the NIC strips.</summary>
    public static byte[] Udp4()
    {
        const int length = 60;
        byte[] f = new byte[length];
        Span<byte> ip = WriteEthernet(f, EtherTypes.Ipv4);
        WriteIpv4Header(ip, IpProtocols.Udp, length - EthHeader);
        Span<byte> udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 1000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], UdpDstPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
        WriteL4Checksum(ip.Slice(12, 8), IpProtocols.Udp, udp, 6);
        return f;
    }

    /// <summary>A TCP/IPv4 ACK segment with 6 bytes of payload: 60 bytes, like <see cref="Udp4"/>.</summary>
    public static byte[] Tcp4()
    {
        byte[] f = new byte[EthHeader + 20 + 20 + 6];
        Span<byte> ip = WriteEthernet(f, EtherTypes.Ipv4);
        WriteIpv4Header(ip, IpProtocols.Tcp, ip.Length);
        WriteTcpHeader(ip[20..]);
        WriteL4Checksum(ip.Slice(12, 8), IpProtocols.Tcp, ip[20..], 16);
        return f;
    }

    /// <summary>A TCP/IPv6 ACK segment with 6 bytes of payload, no extension headers: 80 bytes.</summary>
    public static byte[] Tcp6()
    {
        byte[] f = new byte[EthHeader + 40 + 20 + 6];
        Span<byte> ip = WriteEthernet(f, EtherTypes.Ipv6);
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(ip.Length - 40));
        ip[6] = IpProtocols.Tcp;
        ip[7] = InitialTtl;
        Ipv6Src.CopyTo(ip[8..]);
        Ipv6Dst.CopyTo(ip[24..]);
        WriteTcpHeader(ip[40..]);
        WriteL4Checksum(ip.Slice(8, 32), IpProtocols.Tcp, ip[40..], 16);
        return f;
    }

    /// <summary><see cref="Udp4"/> with one 802.1Q tag (VID <see cref="InnerVid"/>): 64 bytes.</summary>
    public static byte[] VlanUdp4() => WithOuterTag(Udp4(), EtherTypes.Vlan8021Q, InnerVid);

    /// <summary><see cref="Udp4"/> with an 802.1ad outer tag and an 802.1Q inner tag: 68 bytes.</summary>
    public static byte[] QinQUdp4() => WithOuterTag(VlanUdp4(), EtherTypes.Vlan8021AD, OuterVid);

    /// <summary>A copy of <paramref name="frame"/> with a tag inserted after the MACs, outside any it already has.</summary>
    public static byte[] WithOuterTag(byte[] frame, ushort tpid, ushort tci)
    {
        byte[] f = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(f);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), tpid);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14), tci);
        frame.AsSpan(12).CopyTo(f.AsSpan(16));
        return f;
    }

    /// <summary>
    /// Copies <paramref name="frame"/> into <paramref name="count"/> frames of <paramref name="pool"/>, as a
    /// receive burst would, and parses each once so the header offsets the executor relies on are set.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pool ran out or the frame does not parse cleanly down to L4.</exception>
    public static Packet[] FillBatch(PacketPool pool, byte[] frame, int count)
    {
        var batch = new Packet[count];
        for (int i = 0; i < count; i++)
        {
            if (!pool.TryCopyIn(frame, 1, out batch[i]))
            {
                throw new InvalidOperationException($"pool has no frame left for packet {i} of {count}");
            }

            FlowExtractor.Extract(pool.GetData(batch[i]), ref batch[i], out FlowKey key);

            // A frame that stops parsing early would make both benchmarks measure a shortcut.
            if (key.Flags != ParseFlags.None || batch[i].L4Offset == Packet.NoOffset)
            {
                throw new InvalidOperationException($"benchmark frame parsed with flags {key.Flags}, L4 offset {batch[i].L4Offset}");
            }
        }

        return batch;
    }

    /// <summary>
    /// True when the IPv4 header checksum (if any) and the TCP or UDP checksum of <paramref name="frame"/>
    /// verify; VLAN tags are skipped. Used to prove a benchmarked rewrite left a valid packet.
    /// </summary>
    public static bool ChecksumsValid(ReadOnlySpan<byte> frame)
    {
        int ofs = 12;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[ofs..]);
        while (type is EtherTypes.Vlan8021Q or EtherTypes.Vlan8021AD)
        {
            ofs += 4;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[ofs..]);
        }

        ReadOnlySpan<byte> ip = frame[(ofs + 2)..];
        ReadOnlySpan<byte> addresses;
        ReadOnlySpan<byte> l4;
        byte proto;
        if (type == EtherTypes.Ipv4)
        {
            int ihl = (ip[0] & 0x0f) * 4;
            if (Checksum.Compute(ip[..ihl]) != 0)
            {
                return false;
            }

            addresses = ip.Slice(12, 8);
            proto = ip[9];
            l4 = ip[ihl..BinaryPrimitives.ReadUInt16BigEndian(ip[2..])];
        }
        else if (type == EtherTypes.Ipv6)
        {
            addresses = ip.Slice(8, 32);
            proto = ip[6];
            l4 = ip.Slice(40, BinaryPrimitives.ReadUInt16BigEndian(ip[4..]));
        }
        else
        {
            return false;
        }

        if (proto is not (IpProtocols.Tcp or IpProtocols.Udp))
        {
            return false;
        }

        return Checksum.Compute(l4, PseudoHeaderSum(addresses, proto, l4.Length)) == 0;
    }

    private static Span<byte> WriteEthernet(Span<byte> f, ushort etherType)
    {
        DstMac.CopyTo(f);
        SrcMac.CopyTo(f[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], etherType);
        return f[EthHeader..];
    }

    private static void WriteIpv4Header(Span<byte> ip, byte proto, int totalLength)
    {
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)totalLength);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 1);
        ip[8] = InitialTtl;
        ip[9] = proto;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], Ipv4Src);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], Ipv4Dst);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum.Compute(ip[..20]));
    }

    private static void WriteTcpHeader(Span<byte> tcp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], TcpDstPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], 1);
        tcp[12] = 5 << 4;
        tcp[13] = 0x18; // PSH|ACK: a data segment, the common case on a busy link
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
    }

    private static void WriteL4Checksum(ReadOnlySpan<byte> addresses, byte proto, Span<byte> l4, int checksumOffset)
    {
        ushort c = Checksum.Compute(l4, PseudoHeaderSum(addresses, proto, l4.Length));

        // UDP reserves 0 for "no checksum"; a computed 0 goes on the wire as its other form.
        if (c == 0 && proto == IpProtocols.Udp)
        {
            c = 0xffff;
        }

        BinaryPrimitives.WriteUInt16BigEndian(l4[checksumOffset..], c);
    }

    // The pseudo-header is the address pair, a zero byte, the protocol and the L4 length.
    private static ushort PseudoHeaderSum(ReadOnlySpan<byte> addresses, byte proto, int l4Length)
    {
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(tail, proto);
        BinaryPrimitives.WriteUInt16BigEndian(tail[2..], (ushort)l4Length);
        return Checksum.Sum(tail, Checksum.Sum(addresses));
    }
}
