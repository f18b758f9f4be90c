using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;
using PacketDotNet.Utils;

namespace FastPath.Datapath.Tests;

/// <summary>Builds the frames the action tests rewrite: PacketDotNet where it has the protocol, bytes by hand for SCTP.</summary>
internal static class ActionTestPackets
{
    public static readonly PhysicalAddress SrcMac = PhysicalAddress.Parse("02-00-00-00-00-01");
    public static readonly PhysicalAddress DstMac = PhysicalAddress.Parse("02-00-00-00-00-02");

    public static byte[] Payload(int length, int seed = 1)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    public static byte[] Ipv4Tcp(string src = "10.0.0.1", string dst = "10.0.0.2", ushort sport = 40000, ushort dport = 80,
        int ttl = 64, int tos = 0, int payload = 23)
    {
        var tcp = new TcpPacket(sport, dport)
        {
            SequenceNumber = 0x01020304,
            AcknowledgmentNumber = 0x0a0b0c0d,
            Flags = 0x18,
            WindowSize = 4096,
            PayloadData = Payload(payload),
        };
        var ip = new IPv4Packet(IPAddress.Parse(src), IPAddress.Parse(dst))
        {
            TimeToLive = ttl,
            TypeOfService = tos,
            Id = 0x4321,
            PayloadPacket = tcp,
        };
        var eth = new EthernetPacket(SrcMac, DstMac, EthernetType.IPv4) { PayloadPacket = ip };
        eth.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();
        tcp.UpdateTcpChecksum();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }

    public static byte[] Ipv4Udp(string src = "10.0.0.1", string dst = "10.0.0.2", ushort sport = 5353, ushort dport = 53,
        int payload = 31, bool zeroChecksum = false)
    {
        var udp = new UdpPacket(sport, dport) { PayloadData = Payload(payload, 2) };
        var ip = new IPv4Packet(IPAddress.Parse(src), IPAddress.Parse(dst)) { TimeToLive = 64, PayloadPacket = udp };
        var eth = new EthernetPacket(SrcMac, DstMac, EthernetType.IPv4) { PayloadPacket = ip };
        eth.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();
        udp.UpdateCalculatedValues();
        udp.UpdateUdpChecksum();
        if (zeroChecksum)
        {
            udp.Checksum = 0;
        }

        ip.UpdateIPChecksum();
        return eth.Bytes;
    }

    public static byte[] Ipv6Tcp(string src = "2001:db8::1", string dst = "2001:db8::2", ushort sport = 40000, ushort dport = 443,
        int hopLimit = 64, int payload = 17)
    {
        var tcp = new TcpPacket(sport, dport)
        {
            SequenceNumber = 7,
            Flags = 0x02,
            WindowSize = 65535,
            PayloadData = Payload(payload, 3),
        };
        var ip = new IPv6Packet(IPAddress.Parse(src), IPAddress.Parse(dst)) { HopLimit = hopLimit, PayloadPacket = tcp };
        var eth = new EthernetPacket(SrcMac, DstMac, EthernetType.IPv6) { PayloadPacket = ip };
        eth.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();
        tcp.UpdateTcpChecksum();
        return eth.Bytes;
    }

    public static byte[] Ipv6Udp(string src = "2001:db8::1", string dst = "2001:db8::2", ushort sport = 5353, ushort dport = 53, int payload = 29)
    {
        var udp = new UdpPacket(sport, dport) { PayloadData = Payload(payload, 4) };
        var ip = new IPv6Packet(IPAddress.Parse(src), IPAddress.Parse(dst)) { HopLimit = 64, PayloadPacket = udp };
        var eth = new EthernetPacket(SrcMac, DstMac, EthernetType.IPv6) { PayloadPacket = ip };
        eth.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();
        udp.UpdateCalculatedValues();
        udp.UpdateUdpChecksum();
        return eth.Bytes;
    }

    /// <summary>ICMPv6 echo request; PacketDotNet has no ICMPv6 builder, so the message starts as bytes.</summary>
    public static byte[] Ipv6IcmpEcho(string src = "2001:db8::1", string dst = "2001:db8::2", int payload = 20)
    {
        byte[] msg = new byte[8 + payload];
        msg[0] = 128;
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(4), 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(6), 1);
        Payload(payload, 5).CopyTo(msg, 8);
        var icmp = new IcmpV6Packet(new ByteArraySegment(msg));
        var ip = new IPv6Packet(IPAddress.Parse(src), IPAddress.Parse(dst)) { HopLimit = 64, PayloadPacket = icmp, NextHeader = ProtocolType.IcmpV6 };
        var eth = new EthernetPacket(SrcMac, DstMac, EthernetType.IPv6) { PayloadPacket = ip };
        eth.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();

        // On a freshly built packet PacketDotNet 1.4.8 leaves the IPv6 pseudo-header out of the ICMPv6
        // checksum; on a parsed one it includes it, so the checksum is computed after a re-parse.
        var parsed = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, eth.Bytes);
        parsed.Extract<IcmpV6Packet>().UpdateIcmpChecksum();
        return parsed.Bytes;
    }

    /// <summary>
    /// An SCTP packet (common header plus one DATA chunk of <paramref name="chunkData"/> bytes) over IPv4
    /// or IPv6, with the CRC32c from the reference implementation; <paramref name="padTo"/> adds
    /// non-zero Ethernet padding after the IP packet.
    /// </summary>
    public static byte[] Sctp(bool ipv6, ushort sport = 2905, ushort dport = 2906, int chunkData = 13, int padTo = 0, ushort ipv4Frag = 0)
    {
        int chunkLen = 16 + chunkData;
        int padded = (chunkLen + 3) & ~3;
        byte[] sctp = new byte[12 + padded];
        BinaryPrimitives.WriteUInt16BigEndian(sctp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(sctp.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt32BigEndian(sctp.AsSpan(4), 0xdeadbeef);
        sctp[12] = 0; // DATA
        sctp[13] = 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(sctp.AsSpan(14), (ushort)chunkLen);
        BinaryPrimitives.WriteUInt32BigEndian(sctp.AsSpan(16), 1);
        Payload(chunkData, 6).CopyTo(sctp, 28);
        BinaryPrimitives.WriteUInt32LittleEndian(sctp.AsSpan(8), ReferenceChecksum.Crc32c(sctp));

        byte[] ip;
        ushort type;
        if (ipv6)
        {
            type = 0x86dd;
            ip = new byte[40 + sctp.Length];
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(4), (ushort)sctp.Length);
            ip[6] = 132;
            ip[7] = 64;
            IPAddress.Parse("2001:db8::1").GetAddressBytes().CopyTo(ip, 8);
            IPAddress.Parse("2001:db8::2").GetAddressBytes().CopyTo(ip, 24);
            sctp.CopyTo(ip, 40);
        }
        else
        {
            type = 0x0800;
            ip = new byte[20 + sctp.Length];
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(2), (ushort)ip.Length);
            BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(6), ipv4Frag);
            ip[8] = 64;
            ip[9] = 132;
            IPAddress.Parse("10.0.0.1").GetAddressBytes().CopyTo(ip, 12);
            IPAddress.Parse("10.0.0.2").GetAddressBytes().CopyTo(ip, 16);
            BinaryPrimitives.WriteUInt16BigEndian(ip.AsSpan(10), (ushort)~ReferenceChecksum.OnesSum(ip.AsSpan(0, 20)));
            sctp.CopyTo(ip, 20);
        }

        var frame = new List<byte>();
        frame.AddRange(DstMac.GetAddressBytes());
        frame.AddRange(SrcMac.GetAddressBytes());
        frame.Add((byte)(type >> 8));
        frame.Add((byte)type);
        frame.AddRange(ip);
        while (frame.Count < padTo)
        {
            frame.Add(0xa5);
        }

        return [.. frame];
    }

    /// <summary>An Ethernet/IPv4 ARP request (no IP header, though the parser gives it an L3 offset).</summary>
    public static byte[] Arp()
    {
        var arp = new ArpPacket(ArpOperation.Request, PhysicalAddress.Parse("00-00-00-00-00-00"), IPAddress.Parse("10.0.0.2"),
            SrcMac, IPAddress.Parse("10.0.0.1"));
        var eth = new EthernetPacket(SrcMac, PhysicalAddress.Parse("FF-FF-FF-FF-FF-FF"), EthernetType.Arp) { PayloadPacket = arp };
        return eth.Bytes;
    }

    /// <summary>Inserts a VLAN tag right after the MAC addresses.</summary>
    public static byte[] Tag(byte[] frame, ushort tpid, ushort tci)
    {
        var b = new List<byte>(frame[..12]) { (byte)(tpid >> 8), (byte)tpid, (byte)(tci >> 8), (byte)tci };
        b.AddRange(frame[12..]);
        return [.. b];
    }

    /// <summary>Inserts an 8-byte IPv6 extension header (PadN-filled) right after the fixed IPv6 header.</summary>
    public static byte[] WithIpv6Extension(byte[] frame, byte extType, byte segmentsLeft = 0)
    {
        const int l3 = 14;
        byte next = frame[l3 + 6];
        byte[] ext = new byte[8];
        ext[0] = next;
        if (extType == 43)
        {
            // A routing header type 0 stub; only segments-left matters to the checksum rules.
            ext[2] = 0;
            ext[3] = segmentsLeft;
        }
        else
        {
            ext[2] = 1; // PadN
            ext[3] = 4;
        }

        var b = new List<byte>(frame[..(l3 + 40)]);
        b.AddRange(ext);
        b.AddRange(frame[(l3 + 40)..]);
        byte[] result = [.. b];
        result[l3 + 6] = extType;
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(l3 + 4), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(l3 + 4)) + 8));
        return result;
    }

    /// <summary>Turns an IPv4 frame into a fragment with the given flags/offset word and fixes the header checksum.</summary>
    public static byte[] AsIpv4Fragment(byte[] frame, ushort fragWord)
    {
        byte[] f = (byte[])frame.Clone();
        const int l3 = 14;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l3 + 6), fragWord);
        f[l3 + 10] = 0;
        f[l3 + 11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(l3 + 10), (ushort)~ReferenceChecksum.OnesSum(f.AsSpan(l3, 20)));
        return f;
    }
}
