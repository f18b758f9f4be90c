using System.Buffers.Binary;
using FastPath.Packets;

namespace FastPath.Traffic;

/// <summary>Builds the workloads FastPath is measured and demonstrated with, as raw Ethernet frames with valid checksums.</summary>
public static class TrafficGenerator
{
    private const int EthHeader = 14;

    private static readonly byte[] SrcMac = [0x02, 0, 0, 0, 0, 0x01];
    private static readonly byte[] DstMac = [0x02, 0, 0, 0, 0, 0x02];

    /// <summary>
    /// <paramref name="flows"/> distinct 64-byte (60 without FCS) UDP/IPv4 flows: source 10.x.y.z counts up,
    /// destination 10.200.0.1, source port 1000 + (i mod 50000), destination port 5000 — the same traffic
    /// as the Open vSwitch reference's generator, so both switches forward identical packets.
    /// </summary>
    public static List<byte[]> UdpFlows(int flows) => UdpFlows(flows, 60);

    /// <summary>
    /// The same flows as <see cref="UdpFlows(int)"/> in frames of <paramref name="frameLength"/> bytes without FCS
    /// (1514 for the 1518-byte frames of a large-packet benchmark), the rest of the UDP payload zero.
    /// </summary>
    public static List<byte[]> UdpFlows(int flows, int frameLength)
    {
        if (flows <= 0 || flows > 1 << 24)
        {
            throw new ArgumentOutOfRangeException(nameof(flows), "between 1 and 16777216 flows");
        }

        if (frameLength < 42 || frameLength > 1514)
        {
            throw new ArgumentOutOfRangeException(nameof(frameLength), "between 42 and 1514 bytes (an untagged frame of MTU 1500, without FCS)");
        }

        var list = new List<byte[]>(flows);
        for (int i = 0; i < flows; i++)
        {
            uint src = (10u << 24) | (uint)(i & 0xffffff);
            list.Add(Udp4(src, 0x0ac80001, (ushort)(1000 + (i % 50000)), 5000, frameLength));
        }

        return list;
    }

    /// <summary>A UDP/IPv4 frame of <paramref name="frameLength"/> bytes (at least 42).</summary>
    public static byte[] Udp4(uint src, uint dst, ushort sport, ushort dport, int frameLength, byte ttl = 64)
    {
        if (frameLength < 42)
        {
            throw new ArgumentOutOfRangeException(nameof(frameLength), "a UDP/IPv4 frame has at least 42 bytes");
        }

        byte[] f = new byte[frameLength];
        Span<byte> ip = WriteEthernet(f, EtherTypes.Ipv4);
        WriteIpv4Header(ip, IpProtocols.Udp, src, dst, ttl);
        WriteUdp(ip[12..20], ip[20..], sport, dport);
        return f;
    }

    /// <summary>A TCP/IPv4 segment with the given flags and <paramref name="payload"/> bytes of data.</summary>
    public static byte[] Tcp4(uint src, uint dst, ushort sport, ushort dport, byte flags, int payload = 6, byte ttl = 64)
    {
        byte[] f = new byte[EthHeader + 20 + 20 + payload];
        Span<byte> ip = WriteEthernet(f, EtherTypes.Ipv4);
        WriteIpv4Header(ip, IpProtocols.Tcp, src, dst, ttl);
        WriteTcp(ip[12..20], ip[20..], sport, dport, flags);
        return f;
    }

    /// <summary>A TCP/IPv6 segment (no extension headers) with the given flags and <paramref name="payload"/> bytes of data.</summary>
    public static byte[] Tcp6(ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst, ushort sport, ushort dport, byte flags, int payload = 6, byte hopLimit = 64)
    {
        byte[] f = new byte[EthHeader + 40 + 20 + payload];
        Span<byte> ip = WriteEthernet(f, EtherTypes.Ipv6);
        WriteIpv6Header(ip, IpProtocols.Tcp, src, dst, hopLimit);
        WriteTcp(ip[8..40], ip[40..], sport, dport, flags);
        return f;
    }

    /// <summary>A UDP/IPv6 frame with <paramref name="payload"/> bytes of data.</summary>
    public static byte[] Udp6(ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst, ushort sport, ushort dport, int payload = 8)
    {
        byte[] f = new byte[EthHeader + 40 + 8 + payload];
        Span<byte> ip = WriteEthernet(f, EtherTypes.Ipv6);
        WriteIpv6Header(ip, IpProtocols.Udp, src, dst, 64);
        WriteUdp(ip[8..40], ip[40..], sport, dport);
        return f;
    }

    /// <summary>An ARP request from <paramref name="sender"/> for <paramref name="target"/>, broadcast.</summary>
    public static byte[] ArpRequest(uint sender, uint target)
    {
        byte[] f = new byte[60];
        Span<byte> a = WriteEthernet(f, EtherTypes.Arp);
        f.AsSpan(0, 6).Fill(0xff);
        BinaryPrimitives.WriteUInt16BigEndian(a, 1);
        BinaryPrimitives.WriteUInt16BigEndian(a[2..], EtherTypes.Ipv4);
        a[4] = 6;
        a[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(a[6..], 1);
        SrcMac.CopyTo(a[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(a[14..], sender);
        BinaryPrimitives.WriteUInt32BigEndian(a[24..], target);
        return f;
    }

    /// <summary>A copy of <paramref name="frame"/> with a VLAN tag inserted after the MACs, outside any it already has.</summary>
    public static byte[] WithOuterTag(byte[] frame, ushort tpid, ushort tci)
    {
        byte[] f = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(f);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), tpid);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14), tci);
        frame.AsSpan(12).CopyTo(f.AsSpan(16));
        return f;
    }

    /// <summary>Writes the Ethernet header; returns the rest of the frame.</summary>
    private static Span<byte> WriteEthernet(Span<byte> frame, ushort etherType)
    {
        DstMac.CopyTo(frame);
        SrcMac.CopyTo(frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], etherType);
        return frame[EthHeader..];
    }

    /// <summary>Writes a 20-byte IPv4 header whose total length is the rest of <paramref name="ip"/>.</summary>
    private static void WriteIpv4Header(Span<byte> ip, byte proto, uint src, uint dst, byte ttl)
    {
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ip.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 1);
        ip[8] = ttl;
        ip[9] = proto;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], src);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dst);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum.Compute(ip[..20]));
    }

    /// <summary>Writes a 40-byte IPv6 header whose payload is the rest of <paramref name="ip"/>.</summary>
    private static void WriteIpv6Header(Span<byte> ip, byte next, ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst, byte hopLimit)
    {
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(ip.Length - 40));
        ip[6] = next;
        ip[7] = hopLimit;
        src.CopyTo(ip[8..]);
        dst.CopyTo(ip[24..]);
    }

    /// <summary>Writes the UDP header and its checksum over the rest of <paramref name="udp"/>.</summary>
    private static void WriteUdp(ReadOnlySpan<byte> addresses, Span<byte> udp, ushort sport, ushort dport)
    {
        BinaryPrimitives.WriteUInt16BigEndian(udp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
        WriteL4Checksum(addresses, IpProtocols.Udp, udp, 6);
    }

    /// <summary>Writes a 20-byte TCP header (window 65535) and its checksum over the rest of <paramref name="tcp"/>.</summary>
    private static void WriteTcp(ReadOnlySpan<byte> addresses, Span<byte> tcp, ushort sport, ushort dport, byte flags)
    {
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], dport);
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        WriteL4Checksum(addresses, IpProtocols.Tcp, tcp, 16);
    }

    private static void WriteL4Checksum(ReadOnlySpan<byte> addresses, byte proto, Span<byte> l4, int checksumOffset)
    {
        ushort c = Checksum.Compute(l4, Checksum.PseudoHeaderSum(addresses, proto, l4.Length));

        // UDP reserves 0 for "no checksum"; a computed 0 goes on the wire as its other form.
        if (c == 0 && proto == IpProtocols.Udp)
        {
            c = 0xffff;
        }

        BinaryPrimitives.WriteUInt16BigEndian(l4[checksumOffset..], c);
    }
}
