namespace FastPath.Packets.Tests;

/// <summary>
/// <see cref="FlowExtractor.TcpFlags"/> is what a port-only megaflow's statistics get instead of a parsed key: it
/// must answer exactly what <see cref="FlowExtractor.Extract"/> puts in the key, for every frame and every cut of it.
/// </summary>
public class TcpFlagsOnlyTests
{
    private const ushort SynAck = 0x012;
    private const ushort FinPshAckNs = 0x119;

    public static TheoryData<string> Frames => [.. Corpus().Keys];

    [Theory]
    [MemberData(nameof(Frames))]
    public void EveryCutOfAFrameGivesTheFlagsOfAFullParse(string name)
    {
        byte[] frame = Corpus()[name];
        for (int length = 0; length <= frame.Length; length++)
        {
            ReadOnlySpan<byte> cut = frame.AsSpan(0, length);
            var p = new Packet { Length = (ushort)length };
            FlowExtractor.Extract(cut, ref p, out FlowKey key);
            Assert.True(key.TcpFlags == FlowExtractor.TcpFlags(cut), $"{name} cut at {length}: extract {key.TcpFlags:x3}, flags-only {FlowExtractor.TcpFlags(cut):x3}");
        }
    }

    [Fact]
    public void TcpFramesGiveTheirFlagsAndOthersNone()
    {
        Dictionary<string, byte[]> c = Corpus();
        Assert.Equal(SynAck, FlowExtractor.TcpFlags(c["tcp4"]));
        Assert.Equal(FinPshAckNs, FlowExtractor.TcpFlags(c["tcp6-ext"]));
        Assert.Equal(SynAck, FlowExtractor.TcpFlags(c["tcp4-qinq"]));
        Assert.Equal(SynAck, FlowExtractor.TcpFlags(c["tcp4-llc-snap"]));
        Assert.Equal(0, FlowExtractor.TcpFlags(c["udp4"]));
        Assert.Equal(0, FlowExtractor.TcpFlags(c["tcp4-later-fragment"]));
    }

    private static Dictionary<string, byte[]> Corpus()
    {
        byte[] tcp4 = TestFrames.Eth(EtherTypes.Ipv4, TestFrames.Ipv4(IpProtocols.Tcp, "10.0.0.1", "10.0.0.2", TestFrames.Tcp(1, 2, SynAck)));
        byte[] ipTcp = tcp4[14..];
        return new Dictionary<string, byte[]>
        {
            ["tcp4"] = tcp4,
            ["tcp4-options"] = TestFrames.Eth(EtherTypes.Ipv4, TestFrames.Ipv4(IpProtocols.Tcp, "10.0.0.1", "10.0.0.2", TestFrames.Tcp(1, 2, SynAck, dataOffsetWords: 8), ihlWords: 6)),
            ["tcp4-bad-offset"] = TestFrames.Eth(EtherTypes.Ipv4, TestFrames.Ipv4(IpProtocols.Tcp, "10.0.0.1", "10.0.0.2", TestFrames.Tcp(1, 2, SynAck, dataOffsetWords: 3))),
            ["tcp4-first-fragment"] = TestFrames.Eth(EtherTypes.Ipv4, TestFrames.Ipv4(IpProtocols.Tcp, "10.0.0.1", "10.0.0.2", TestFrames.Tcp(1, 2, SynAck), frag: 0x2000)),
            ["tcp4-later-fragment"] = TestFrames.Eth(EtherTypes.Ipv4, TestFrames.Ipv4(IpProtocols.Tcp, "10.0.0.1", "10.0.0.2", TestFrames.Tcp(1, 2, SynAck), frag: 0x0010)),
            ["tcp4-vlan"] = TestFrames.Tag(tcp4, EtherTypes.Vlan8021Q, 10),
            ["tcp4-qinq"] = TestFrames.Tag(TestFrames.Tag(tcp4, EtherTypes.Vlan8021Q, 10), EtherTypes.Vlan8021AD, 20),
            ["tcp4-three-tags"] = TestFrames.Tag(TestFrames.Tag(TestFrames.Tag(tcp4, EtherTypes.Vlan8021Q, 1), EtherTypes.Vlan8021Q, 2), EtherTypes.Vlan8021AD, 3),
            ["tcp4-llc-snap"] = [.. tcp4[..12], 0, (byte)(8 + ipTcp.Length), 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00, .. ipTcp],
            ["tcp4-llc-other-oui"] = [.. tcp4[..12], 0, (byte)(8 + ipTcp.Length), 0xaa, 0xaa, 0x03, 0, 0, 1, 0x08, 0x00, .. ipTcp],
            ["udp4"] = TestFrames.Eth(EtherTypes.Ipv4, TestFrames.Ipv4(IpProtocols.Udp, "10.0.0.1", "10.0.0.2", TestFrames.Udp(1, 2))),
            ["icmp4"] = TestFrames.Eth(EtherTypes.Ipv4, TestFrames.Ipv4(IpProtocols.Icmp, "10.0.0.1", "10.0.0.2", TestFrames.Icmp(8, 0))),
            ["tcp6"] = TestFrames.Eth(EtherTypes.Ipv6, TestFrames.Ipv6(IpProtocols.Tcp, "2001:db8::1", "2001:db8::2", TestFrames.Tcp(1, 2, SynAck))),
            ["tcp6-ext"] = TestFrames.Eth(EtherTypes.Ipv6, TestFrames.Ipv6(IpProtocols.HopByHop, "2001:db8::1", "2001:db8::2",
                [.. TestFrames.Ext8(IpProtocols.Routing), .. TestFrames.Ext8(IpProtocols.Tcp), .. TestFrames.Tcp(1, 2, FinPshAckNs)])),
            ["tcp6-fragment"] = TestFrames.Eth(EtherTypes.Ipv6, TestFrames.Ipv6(IpProtocols.Fragment, "2001:db8::1", "2001:db8::2",
                [.. TestFrames.FragHeader(IpProtocols.Tcp, 0, more: true), .. TestFrames.Tcp(1, 2, SynAck)])),
            ["udp6"] = TestFrames.Eth(EtherTypes.Ipv6, TestFrames.Ipv6(IpProtocols.Udp, "2001:db8::1", "2001:db8::2", TestFrames.Udp(1, 2))),
            ["icmp6"] = TestFrames.Eth(EtherTypes.Ipv6, TestFrames.Ipv6(IpProtocols.IcmpV6, "2001:db8::1", "2001:db8::2", TestFrames.Icmp(128, 0))),
            ["arp"] = TestFrames.PdnArp("10.0.0.1", "10.0.0.2"),
            ["mpls"] = TestFrames.Eth(EtherTypes.Mpls, [0, 0, 0x11, 64], ipTcp),
        };
    }
}
