using System.Buffers.Binary;
using FastPath.Packets;

namespace FastPath.Datapath.Pcap;

/// <summary>Builds the workloads FastPath is measured and demonstrated with, as raw Ethernet frames.</summary>
public static class TrafficGenerator
{
    private static readonly byte[] SrcMac = [0x02, 0, 0, 0, 0, 0x01];
    private static readonly byte[] DstMac = [0x02, 0, 0, 0, 0, 0x02];

    /// <summary>
    /// <paramref name="flows"/> distinct 64-byte (60 without FCS) UDP/IPv4 flows: source 10.x.y.z counts up,
    /// destination 10.200.0.1, source port 1000 + (i mod 50000), destination port 5000 — the same traffic
    /// as the Open vSwitch reference's generator, so both switches forward identical packets.
    /// </summary>
    public static List<byte[]> UdpFlows(int flows)
    {
        if (flows <= 0 || flows > 1 << 24)
        {
            throw new ArgumentOutOfRangeException(nameof(flows), "between 1 and 16777216 flows");
        }

        var list = new List<byte[]>(flows);
        for (int i = 0; i < flows; i++)
        {
            uint src = (10u << 24) | (uint)(i & 0xffffff);
            list.Add(Udp4(src, 0x0ac80001, (ushort)(1000 + (i % 50000)), 5000, 60));
        }

        return list;
    }

    /// <summary>A UDP/IPv4 frame of <paramref name="frameLength"/> bytes (at least 42) with valid checksums.</summary>
    public static byte[] Udp4(uint src, uint dst, ushort sport, ushort dport, int frameLength, byte ttl = 64)
    {
        if (frameLength < 42)
        {
            throw new ArgumentOutOfRangeException(nameof(frameLength), "a UDP/IPv4 frame has at least 42 bytes");
        }

        byte[] f = new byte[frameLength];
        Span<byte> s = f;
        DstMac.CopyTo(s);
        SrcMac.CopyTo(s[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(s[12..], EtherTypes.Ipv4);
        Span<byte> ip = s[14..];
        int ipLen = frameLength - 14;
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLen);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 1);
        ip[8] = ttl;
        ip[9] = IpProtocols.Udp;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], src);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dst);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum.Compute(ip[..20]));
        Span<byte> udp = ip[20..ipLen];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
        WriteL4Checksum(ip[12..20], IpProtocols.Udp, udp, 6);
        return f;
    }

    /// <summary>A TCP/IPv4 frame with the given flags and valid checksums.</summary>
    public static byte[] Tcp4(uint src, uint dst, ushort sport, ushort dport, byte flags, int payload = 6)
    {
        byte[] f = new byte[14 + 20 + 20 + payload];
        Span<byte> s = f;
        DstMac.CopyTo(s);
        SrcMac.CopyTo(s[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(s[12..], EtherTypes.Ipv4);
        Span<byte> ip = s[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(ip.Length));
        ip[8] = 64;
        ip[9] = IpProtocols.Tcp;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], src);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dst);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum.Compute(ip[..20]));
        Span<byte> tcp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], dport);
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        WriteL4Checksum(ip[12..20], IpProtocols.Tcp, tcp, 16);
        return f;
    }

    /// <summary>A UDP/IPv6 frame with a valid checksum.</summary>
    public static byte[] Udp6(ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst, ushort sport, ushort dport, int payload = 8)
    {
        byte[] f = new byte[14 + 40 + 8 + payload];
        Span<byte> s = f;
        DstMac.CopyTo(s);
        SrcMac.CopyTo(s[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(s[12..], EtherTypes.Ipv6);
        Span<byte> ip = s[14..];
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(8 + payload));
        ip[6] = IpProtocols.Udp;
        ip[7] = 64;
        src.CopyTo(ip[8..]);
        dst.CopyTo(ip[24..]);
        Span<byte> udp = ip[40..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
        WriteL4Checksum(ip[8..40], IpProtocols.Udp, udp, 6);
        return f;
    }

    /// <summary>An ARP request from <paramref name="sender"/> for <paramref name="target"/>.</summary>
    public static byte[] ArpRequest(uint sender, uint target)
    {
        byte[] f = new byte[60];
        Span<byte> s = f;
        s[..6].Fill(0xff);
        SrcMac.CopyTo(s[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(s[12..], EtherTypes.Arp);
        Span<byte> a = s[14..];
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

    // The pseudo-header is the address pair, zero, protocol and L4 length; it is summed first.
    private static void WriteL4Checksum(ReadOnlySpan<byte> addresses, byte proto, Span<byte> l4, int checksumOffset)
    {
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(tail, proto);
        BinaryPrimitives.WriteUInt16BigEndian(tail[2..], (ushort)l4.Length);
        ushort sum = Checksum.Sum(addresses);
        sum = Checksum.Sum(tail, sum);
        ushort c = Checksum.Compute(l4, sum);
        if (c == 0 && proto == IpProtocols.Udp)
        {
            c = 0xffff;
        }

        BinaryPrimitives.WriteUInt16BigEndian(l4[checksumOffset..], c);
    }
}
