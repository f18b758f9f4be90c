using System.Buffers.Binary;
using FastPath.Packets;
using FastPath.Traffic;

namespace FastPath.Benchmarks;

/// <summary>
/// The frames the parser and action benchmarks run on, and the batch setup both share. Setup-time
/// only: everything here allocates freely.
/// </summary>
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

    // PSH|ACK: a data segment, the common case on a busy link.
    private const byte PshAck = 0x18;

    /// <summary>IPv6 source of the TCP/IPv6 frame: 2001:db8::1.</summary>
    public static ReadOnlySpan<byte> Ipv6Src => [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01];

    /// <summary>IPv6 destination of the TCP/IPv6 frame: 2001:db8::2.</summary>
    public static ReadOnlySpan<byte> Ipv6Dst => [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02];

    /// <summary>A minimum-size UDP/IPv4 frame: 60 bytes, 64 on the wire with the FCS the NIC strips.</summary>
    public static byte[] Udp4() => TrafficGenerator.Udp4(Ipv4Src, Ipv4Dst, 1000, UdpDstPort, 60, InitialTtl);

    /// <summary>A TCP/IPv4 PSH|ACK segment with 6 bytes of payload: 60 bytes, like <see cref="Udp4"/>.</summary>
    public static byte[] Tcp4() => TrafficGenerator.Tcp4(Ipv4Src, Ipv4Dst, 40000, TcpDstPort, PshAck, 6, InitialTtl);

    /// <summary>A TCP/IPv6 PSH|ACK segment with 6 bytes of payload, no extension headers: 80 bytes.</summary>
    public static byte[] Tcp6() => TrafficGenerator.Tcp6(Ipv6Src, Ipv6Dst, 40000, TcpDstPort, PshAck, 6, InitialTtl);

    /// <summary><see cref="Udp4"/> with one 802.1Q tag (VID <see cref="InnerVid"/>): 64 bytes.</summary>
    public static byte[] VlanUdp4() => TrafficGenerator.WithOuterTag(Udp4(), EtherTypes.Vlan8021Q, InnerVid);

    /// <summary><see cref="Udp4"/> with an 802.1ad outer tag and an 802.1Q inner tag: 68 bytes.</summary>
    public static byte[] QinQUdp4() => TrafficGenerator.WithOuterTag(VlanUdp4(), EtherTypes.Vlan8021AD, OuterVid);

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

        return Checksum.Compute(l4, Checksum.PseudoHeaderSum(addresses, proto, l4.Length)) == 0;
    }
}
