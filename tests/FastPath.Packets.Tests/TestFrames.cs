using System.Buffers.Binary;
using System.Net;
using PacketDotNet;

namespace FastPath.Packets.Tests;

/// <summary>Builds the test packets: PacketDotNet where it has the protocol, bytes by hand where it does not.</summary>
internal static class TestFrames
{
    public static readonly byte[] MacA = [0x02, 0, 0, 0, 0, 0x01];
    public static readonly byte[] MacB = [0x02, 0, 0, 0, 0, 0x02];

    public static byte[] Eth(ushort type, params byte[][] payload)
    {
        var b = new List<byte>();
        b.AddRange(MacB);
        b.AddRange(MacA);
        b.Add((byte)(type >> 8));
        b.Add((byte)type);
        foreach (byte[] p in payload)
        {
            b.AddRange(p);
        }

        return [.. b];
    }

    /// <summary>Inserts a VLAN tag after the MAC addresses.</summary>
    public static byte[] Tag(byte[] frame, ushort tpid, ushort tci)
    {
        var b = new List<byte>(frame[..12]) { (byte)(tpid >> 8), (byte)tpid, (byte)(tci >> 8), (byte)tci };
        b.AddRange(frame[12..]);
        return [.. b];
    }

    public static byte[] Ipv4(byte proto, string src, string dst, byte[] l4, int ihlWords = 5, ushort frag = 0, byte tos = 0, byte ttl = 64)
    {
        int hl = ihlWords * 4;
        byte[] h = new byte[hl + l4.Length];
        h[0] = (byte)(0x40 | ihlWords);
        h[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), (ushort)h.Length);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), 0x1234);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(6), frag);
        h[8] = ttl;
        h[9] = proto;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(h, 12);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(h, 16);
        for (int i = 20; i < hl; i++)
        {
            h[i] = 1; // NOP options
        }

        ushort sum = InternetChecksum(h.AsSpan(0, hl));
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(10), sum);
        l4.CopyTo(h, hl);
        return h;
    }

    public static byte[] Ipv6(byte next, string src, string dst, byte[] payload, byte tc = 0, uint label = 0, byte hlim = 64)
    {
        byte[] h = new byte[40 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(h, (6u << 28) | ((uint)tc << 20) | (label & 0xfffff));
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), (ushort)payload.Length);
        h[6] = next;
        h[7] = hlim;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(h, 8);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(h, 24);
        payload.CopyTo(h, 40);
        return h;
    }

    /// <summary>An IPv6 extension header of 8 bytes (hop-by-hop, routing, destination options: padded with PadN).</summary>
    public static byte[] Ext8(byte next, params byte[] rest)
    {
        byte[] e = new byte[8];
        e[0] = next;
        e[1] = 0;
        e[2] = 1; // PadN
        e[3] = 4;
        rest.CopyTo(e, 4);
        return e;
    }

    public static byte[] FragHeader(byte next, ushort offsetUnits, bool more) =>
        [next, 0, (byte)(offsetUnits >> 5), (byte)((offsetUnits << 3) | (more ? 1 : 0)), 0, 0, 0, 42];

    public static byte[] Udp(ushort sport, ushort dport, int payload = 4)
    {
        byte[] u = new byte[8 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(u, sport);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(u.AsSpan(4), (ushort)u.Length);
        return u;
    }

    public static byte[] Tcp(ushort sport, ushort dport, ushort flags, int dataOffsetWords = 5)
    {
        byte[] t = new byte[dataOffsetWords * 4 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(t, sport);
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(12), (ushort)((dataOffsetWords << 12) | flags));
        return t;
    }

    public static byte[] Sctp(ushort sport, ushort dport)
    {
        byte[] s = new byte[12 + 16];
        BinaryPrimitives.WriteUInt16BigEndian(s, sport);
        BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(2), dport);
        s[12] = 0; // DATA chunk
        BinaryPrimitives.WriteUInt16BigEndian(s.AsSpan(14), 16);
        return s;
    }

    public static byte[] Icmp(byte type, byte code) => [type, code, 0, 0, 0, 1, 0, 1];

    public static byte[] NeighborSolicit(string target, byte[]? sll)
    {
        var b = new List<byte> { 135, 0, 0, 0, 0, 0, 0, 0 };
        b.AddRange(IPAddress.Parse(target).GetAddressBytes());
        if (sll != null)
        {
            b.Add(1);
            b.Add(1);
            b.AddRange(sll);
        }

        return [.. b];
    }

    public static byte[] NeighborAdvert(string target, byte[]? tll)
    {
        var b = new List<byte> { 136, 0, 0, 0, 0x60, 0, 0, 0 };
        b.AddRange(IPAddress.Parse(target).GetAddressBytes());
        if (tll != null)
        {
            b.Add(2);
            b.Add(1);
            b.AddRange(tll);
        }

        return [.. b];
    }

    /// <summary>A UDP/IPv4 frame built with PacketDotNet, checksums computed by it.</summary>
    public static byte[] PdnUdp4(string src, string dst, ushort sport, ushort dport, int payload = 18)
    {
        var udp = new UdpPacket(sport, dport) { PayloadData = new byte[payload] };
        var ip = new IPv4Packet(IPAddress.Parse(src), IPAddress.Parse(dst)) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new EthernetPacket(new System.Net.NetworkInformation.PhysicalAddress(MacA), new System.Net.NetworkInformation.PhysicalAddress(MacB), EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();
        eth.UpdateCalculatedValues();
        return eth.Bytes;
    }

    /// <summary>A TCP/IPv6 frame built with PacketDotNet.</summary>
    public static byte[] PdnTcp6(string src, string dst, ushort sport, ushort dport)
    {
        var tcp = new TcpPacket(sport, dport) { Synchronize = true, PayloadData = new byte[10] };
        var ip = new IPv6Packet(IPAddress.Parse(src), IPAddress.Parse(dst)) { PayloadPacket = tcp, HopLimit = 33 };
        var eth = new EthernetPacket(new System.Net.NetworkInformation.PhysicalAddress(MacA), new System.Net.NetworkInformation.PhysicalAddress(MacB), EthernetType.IPv6) { PayloadPacket = ip };
        eth.UpdateCalculatedValues();
        tcp.UpdateTcpChecksum();
        return eth.Bytes;
    }

    /// <summary>An ARP request built with PacketDotNet.</summary>
    public static byte[] PdnArp(string sender, string target)
    {
        var arp = new ArpPacket(ArpOperation.Request, new System.Net.NetworkInformation.PhysicalAddress(new byte[6]), IPAddress.Parse(target),
            new System.Net.NetworkInformation.PhysicalAddress(MacA), IPAddress.Parse(sender));
        var eth = new EthernetPacket(new System.Net.NetworkInformation.PhysicalAddress(MacA),
            new System.Net.NetworkInformation.PhysicalAddress([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), EthernetType.Arp)
        { PayloadPacket = arp };
        return eth.Bytes;
    }

    public static ushort InternetChecksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>Every named test frame, for the parse-every-prefix test.</summary>
    public static IEnumerable<(string Name, byte[] Frame)> All()
    {
        yield return ("udp4-pdn", PdnUdp4("10.0.0.1", "10.200.0.1", 1000, 5000));
        yield return ("tcp6-pdn", PdnTcp6("2001:db8::1", "2001:db8::2", 443, 51000));
        yield return ("arp-pdn", PdnArp("192.168.1.1", "192.168.1.2"));
        yield return ("tcp4-options", Eth(0x0800, Ipv4(6, "1.2.3.4", "5.6.7.8", Tcp(80, 1234, 0x012), ihlWords: 7)));
        yield return ("vlan-udp4", Tag(Eth(0x0800, Ipv4(17, "10.1.1.1", "10.2.2.2", Udp(53, 5353))), 0x8100, 0x2064));
        yield return ("qinq-tcp6", Tag(Tag(Eth(0x86dd, Ipv6(6, "fe80::1", "fe80::2", Tcp(22, 40000, 0x018))), 0x8100, 0x0005), 0x88a8, 0xe00a));
        yield return ("frag-first", Eth(0x0800, Ipv4(17, "10.0.0.1", "10.0.0.2", Udp(1, 2, 40), frag: 0x2000)));
        yield return ("frag-later", Eth(0x0800, Ipv4(17, "10.0.0.1", "10.0.0.2", new byte[40], frag: 185)));
        yield return ("ipv6-ext-udp", Eth(0x86dd, Ipv6(0, "2001:db8::a", "2001:db8::b",
            [.. Ext8(43), .. Ext8(60), .. Ext8(17), .. Udp(4789, 4790)], tc: 0xb8, label: 0x12345)));
        yield return ("ipv6-frag-first", Eth(0x86dd, Ipv6(44, "2001:db8::a", "2001:db8::b", [.. FragHeader(6, 0, true), .. Tcp(1, 2, 2)])));
        yield return ("ipv6-frag-later", Eth(0x86dd, Ipv6(44, "2001:db8::a", "2001:db8::b", [.. FragHeader(6, 100, false), .. new byte[24]])));
        yield return ("sctp4", Eth(0x0800, Ipv4(132, "10.3.3.3", "10.4.4.4", Sctp(2905, 2906))));
        yield return ("icmp4", Eth(0x0800, Ipv4(1, "10.0.0.1", "10.0.0.2", Icmp(8, 0))));
        yield return ("nd-ns", Eth(0x86dd, Ipv6(58, "fe80::1", "ff02::1:ff00:2", NeighborSolicit("fe80::2", MacA), hlim: 255)));
        yield return ("nd-na", Eth(0x86dd, Ipv6(58, "fe80::2", "fe80::1", NeighborAdvert("fe80::2", MacB), hlim: 255)));
        yield return ("llc-snap-ipv4", Eth(40, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00], Ipv4(17, "10.9.9.9", "10.8.8.8", Udp(7, 9))));
        yield return ("llc-802.3", Eth(38, [0x42, 0x42, 0x03], new byte[35]));
        yield return ("mpls2", Eth(EtherTypes.Mpls, [0, 0x64, 0x06, 64, 0, 0xc8, 0x01, 63], new byte[20]));
        yield return ("rarp", Eth(EtherTypes.Rarp, PdnArp("10.0.0.1", "10.0.0.2")[14..]));
        yield return ("igmp", Eth(0x0800, Ipv4(IpProtocols.Igmp, "10.0.0.1", "224.0.0.1", [0x16, 0, 0, 0, 224, 0, 0, 1], ttl: 1)));
    }
}
