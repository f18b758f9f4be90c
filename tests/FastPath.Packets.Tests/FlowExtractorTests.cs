using System.Net;

namespace FastPath.Packets.Tests;

public class FlowExtractorTests
{
    private static (FlowKey Key, Packet Packet) Parse(byte[] frame, uint inPort = 7)
    {
        var p = new Packet { InPort = inPort, Length = (ushort)frame.Length };
        FlowExtractor.Extract(frame, ref p, out FlowKey key);
        return (key, p);
    }

    private static byte[] Ip(string s) => IPAddress.Parse(s).GetAddressBytes();

    [Fact]
    public void UdpOverIpv4()
    {
        var (k, p) = Parse(TestFrames.PdnUdp4("10.0.0.1", "10.200.0.1", 1000, 5000));
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(7u, k.InPort);
        Assert.Equal(TestFrames.MacB, k.DlDst.ToArray());
        Assert.Equal(TestFrames.MacA, k.DlSrc.ToArray());
        Assert.Equal(EtherTypes.Ipv4, k.EthType);
        Assert.Equal(0x0a000001u, k.Ipv4Src);
        Assert.Equal(0x0ac80001u, k.Ipv4Dst);
        Assert.Equal(IpProtocols.Udp, k.NwProto);
        Assert.Equal(64, k.NwTtl);
        Assert.Equal(1000, k.TpSrc);
        Assert.Equal(5000, k.TpDst);
        Assert.Equal(0, k.Vlan0Tci);
        Assert.Equal(14, p.L3Offset);
        Assert.Equal(34, p.L4Offset);
        Assert.Equal(Packet.NoOffset, p.VlanOffset);
    }

    [Fact]
    public void TcpOverIpv4WithOptionsUsesIhl()
    {
        var (k, p) = Parse(TestFrames.Eth(0x0800, TestFrames.Ipv4(6, "1.2.3.4", "5.6.7.8", TestFrames.Tcp(80, 1234, 0x012), ihlWords: 7)));
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(14 + 28, p.L4Offset);
        Assert.Equal(80, k.TpSrc);
        Assert.Equal(1234, k.TpDst);
        Assert.Equal(0x012, k.TcpFlags);
    }

    [Fact]
    public void TcpOverIpv6()
    {
        var (k, p) = Parse(TestFrames.PdnTcp6("2001:db8::1", "2001:db8::2", 443, 51000));
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(EtherTypes.Ipv6, k.EthType);
        Assert.Equal(Ip("2001:db8::1"), k.Ipv6Src.ToArray());
        Assert.Equal(Ip("2001:db8::2"), k.Ipv6Dst.ToArray());
        Assert.Equal(IpProtocols.Tcp, k.NwProto);
        Assert.Equal(33, k.NwTtl);
        Assert.Equal(443, k.TpSrc);
        Assert.Equal(51000, k.TpDst);
        Assert.Equal(0x002, k.TcpFlags & 0x002);
        Assert.Equal(54, p.L4Offset);
    }

    [Fact]
    public void SingleVlanTag()
    {
        var (k, p) = Parse(TestFrames.Tag(TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.1.1.1", "10.2.2.2", TestFrames.Udp(53, 5353))), 0x8100, 0x2064));
        Assert.Equal(0x8100, k.Vlan0Tpid);
        Assert.Equal(0x2064 | FlowKey.VlanCfi, k.Vlan0Tci);
        Assert.Equal(0, k.Vlan1Tci);
        Assert.Equal(EtherTypes.Ipv4, k.EthType);
        Assert.Equal(12, p.VlanOffset);
        Assert.Equal(18, p.L3Offset);
        Assert.Equal(53, k.TpSrc);
    }

    [Fact]
    public void QinQTags()
    {
        byte[] f = TestFrames.Tag(TestFrames.Tag(TestFrames.Eth(0x86dd, TestFrames.Ipv6(6, "fe80::1", "fe80::2", TestFrames.Tcp(22, 40000, 0x018))), 0x8100, 0x0005), 0x88a8, 0xe00a);
        var (k, p) = Parse(f);
        Assert.Equal(0x88a8, k.Vlan0Tpid);
        Assert.Equal(0xe00a | FlowKey.VlanCfi, k.Vlan0Tci);
        Assert.Equal(0x8100, k.Vlan1Tpid);
        Assert.Equal(0x0005 | FlowKey.VlanCfi, k.Vlan1Tci);
        Assert.Equal(EtherTypes.Ipv6, k.EthType);
        Assert.Equal(22, p.L3Offset);
        Assert.Equal(22, k.TpSrc);
        Assert.Equal(0x018, k.TcpFlags);
    }

    [Fact]
    public void VlanIdZeroDiffersFromUntagged()
    {
        var (tagged, _) = Parse(TestFrames.Tag(TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.1.1.1", "10.2.2.2", TestFrames.Udp(1, 2))), 0x8100, 0));
        Assert.Equal(FlowKey.VlanCfi, tagged.Vlan0Tci);
    }

    [Fact]
    public void Arp()
    {
        var (k, p) = Parse(TestFrames.PdnArp("192.168.1.1", "192.168.1.2"));
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(EtherTypes.Arp, k.EthType);
        Assert.Equal(1, k.NwProto); // request
        Assert.Equal(0xc0a80101u, k.Ipv4Src);
        Assert.Equal(0xc0a80102u, k.Ipv4Dst);
        Assert.Equal(TestFrames.MacA, k.ArpSha.ToArray());
        Assert.Equal(new byte[6], k.ArpTha.ToArray());
        Assert.Equal(14, p.L3Offset);
    }

    [Fact]
    public void Ipv4FirstFragmentKeepsPorts()
    {
        var (k, p) = Parse(TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.0.0.1", "10.0.0.2", TestFrames.Udp(1, 2, 40), frag: 0x2000)));
        Assert.Equal(FragFlags.Any, k.NwFrag);
        Assert.Equal(1, k.TpSrc);
        Assert.Equal(34, p.L4Offset);
    }

    [Fact]
    public void Ipv4LaterFragmentHasNoL4()
    {
        var (k, p) = Parse(TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.0.0.1", "10.0.0.2", TestFrames.Udp(1, 2, 40), frag: 185)));
        Assert.Equal(FragFlags.Any | FragFlags.Later, k.NwFrag);
        Assert.Equal(IpProtocols.Udp, k.NwProto);
        Assert.Equal(0, k.TpSrc);
        Assert.Equal(Packet.NoOffset, p.L4Offset);
        Assert.Equal(14, p.L3Offset);
    }

    [Fact]
    public void Ipv6ExtensionHeadersAreSkipped()
    {
        var (k, p) = Parse(TestFrames.Eth(0x86dd, TestFrames.Ipv6(0, "2001:db8::a", "2001:db8::b",
            [.. TestFrames.Ext8(43), .. TestFrames.Ext8(60), .. TestFrames.Ext8(17), .. TestFrames.Udp(4789, 4790)], tc: 0xb8, label: 0x12345)));
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(IpProtocols.Udp, k.NwProto);
        Assert.Equal(0xb8, k.NwTos);
        Assert.Equal(0x12345u, k.Ipv6Label);
        Assert.Equal(4789, k.TpSrc);
        Assert.Equal(4790, k.TpDst);
        Assert.Equal(14 + 40 + 24, p.L4Offset);
    }

    [Fact]
    public void Ipv6Fragments()
    {
        var (first, p1) = Parse(TestFrames.Eth(0x86dd, TestFrames.Ipv6(44, "2001:db8::a", "2001:db8::b", [.. TestFrames.FragHeader(6, 0, true), .. TestFrames.Tcp(1, 2, 2)])));
        Assert.Equal(FragFlags.Any, first.NwFrag);
        Assert.Equal(IpProtocols.Tcp, first.NwProto);
        Assert.Equal(1, first.TpSrc);
        Assert.Equal(62, p1.L4Offset);

        var (later, p2) = Parse(TestFrames.Eth(0x86dd, TestFrames.Ipv6(44, "2001:db8::a", "2001:db8::b", [.. TestFrames.FragHeader(6, 100, false), .. new byte[24]])));
        Assert.Equal(FragFlags.Any | FragFlags.Later, later.NwFrag);

        // Was Tcp: Open vSwitch gives a later IPv6 fragment nw_proto 44 (the fragment header), since the
        // protocol it names is not in this packet; IPv4 later fragments keep their protocol field.
        Assert.Equal(IpProtocols.Fragment, later.NwProto);
        Assert.Equal(0, later.TpSrc);
        Assert.Equal(Packet.NoOffset, p2.L4Offset);
    }

    [Fact]
    public void Sctp()
    {
        var (k, p) = Parse(TestFrames.Eth(0x0800, TestFrames.Ipv4(132, "10.3.3.3", "10.4.4.4", TestFrames.Sctp(2905, 2906))));
        Assert.Equal(IpProtocols.Sctp, k.NwProto);
        Assert.Equal(2905, k.TpSrc);
        Assert.Equal(2906, k.TpDst);
        Assert.Equal(34, p.L4Offset);
    }

    [Fact]
    public void Icmpv4TypeAndCodeGoToPorts()
    {
        var (k, _) = Parse(TestFrames.Eth(0x0800, TestFrames.Ipv4(1, "10.0.0.1", "10.0.0.2", TestFrames.Icmp(3, 13))));
        Assert.Equal(IpProtocols.Icmp, k.NwProto);
        Assert.Equal(3, k.TpSrc);
        Assert.Equal(13, k.TpDst);
    }

    [Fact]
    public void NeighborSolicitation()
    {
        var (k, _) = Parse(TestFrames.Eth(0x86dd, TestFrames.Ipv6(58, "fe80::1", "ff02::1:ff00:2", TestFrames.NeighborSolicit("fe80::2", TestFrames.MacA), hlim: 255)));
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(135, k.TpSrc);
        Assert.Equal(Ip("fe80::2"), k.NdTarget.ToArray());
        Assert.Equal(TestFrames.MacA, k.ArpSha.ToArray());
        Assert.Equal(new byte[6], k.ArpTha.ToArray());
    }

    [Fact]
    public void NeighborAdvertisement()
    {
        var (k, _) = Parse(TestFrames.Eth(0x86dd, TestFrames.Ipv6(58, "fe80::2", "fe80::1", TestFrames.NeighborAdvert("fe80::2", TestFrames.MacB), hlim: 255)));
        Assert.Equal(136, k.TpSrc);
        Assert.Equal(Ip("fe80::2"), k.NdTarget.ToArray());
        Assert.Equal(TestFrames.MacB, k.ArpTha.ToArray());
        Assert.Equal(new byte[6], k.ArpSha.ToArray());
    }

    [Fact]
    public void NeighborDiscoveryZeroLengthOptionIsMalformed()
    {
        byte[] ns = TestFrames.NeighborSolicit("fe80::2", TestFrames.MacA);
        ns[25] = 0; // option length 0 would never advance
        var (k, _) = Parse(TestFrames.Eth(0x86dd, TestFrames.Ipv6(58, "fe80::1", "fe80::2", ns, hlim: 255)));
        Assert.Equal(ParseFlags.Malformed, k.Flags);
        Assert.Equal(new byte[6], k.ArpSha.ToArray());
    }

    [Fact]
    public void LlcSnapCarriesEthernetType()
    {
        var (k, p) = Parse(TestFrames.Eth(40, [0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00], TestFrames.Ipv4(17, "10.9.9.9", "10.8.8.8", TestFrames.Udp(7, 9))));
        Assert.Equal(EtherTypes.Ipv4, k.EthType);
        Assert.Equal(22, p.L3Offset);
        Assert.Equal(7, k.TpSrc);
    }

    [Fact]
    public void Plain8023FrameHasNoneType()
    {
        var (k, _) = Parse(TestFrames.Eth(38, [0x42, 0x42, 0x03], new byte[35]));
        Assert.Equal(EtherTypes.None8023, k.EthType);
        Assert.Equal(ParseFlags.None, k.Flags);
    }

    [Fact]
    public void Ipv4IhlBelowFiveIsMalformed()
    {
        byte[] f = TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.0.0.1", "10.0.0.2", TestFrames.Udp(1, 2)));
        f[14] = 0x44;
        var (k, p) = Parse(f);
        Assert.Equal(ParseFlags.Malformed, k.Flags);
        Assert.Equal(Packet.NoOffset, p.L3Offset);
        Assert.Equal(0u, k.Ipv4Src);
        Assert.Equal(EtherTypes.Ipv4, k.EthType);
    }

    [Fact]
    public void TcpDataOffsetBelowFiveIsMalformed()
    {
        var (k, p) = Parse(TestFrames.Eth(0x0800, TestFrames.Ipv4(6, "1.2.3.4", "5.6.7.8", TestFrames.Tcp(80, 1234, 0x002, dataOffsetWords: 4))));
        Assert.Equal(ParseFlags.Malformed, k.Flags);
        Assert.Equal(Packet.NoOffset, p.L4Offset);
        Assert.Equal(0x01020304u, k.Ipv4Src);
    }

    [Fact]
    public void EthernetPaddingIsNotL4()
    {
        // A 60-byte minimum frame: the UDP header ends well before the padding, which must not confuse anything.
        byte[] f = TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.0.0.1", "10.0.0.2", TestFrames.Udp(1, 2, 0)));
        Array.Resize(ref f, 60);
        var (k, p) = Parse(f);
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(34, p.L4Offset);
    }

    [Fact]
    public void IpTotalLengthBeyondFrameIsTruncated()
    {
        byte[] f = TestFrames.PdnUdp4("10.0.0.1", "10.0.0.2", 1, 2, payload: 100);
        Array.Resize(ref f, 60);
        var (k, p) = Parse(f);
        Assert.True(k.Flags.HasFlag(ParseFlags.Truncated));

        // This test used to expect the (whole) UDP header's ports. Open vSwitch's flow_extract() takes nothing
        // from an IPv4 header whose total length runs past the frame, and issue 12 asks for its behaviour: no
        // L3 fields, no L4 fields; the Ethernet type stays. The IPv4 header itself is whole, so its offset
        // is kept for actions (Open vSwitch's l3_ofs is set too); there is no L4 offset.
        Assert.Equal(EtherTypes.Ipv4, k.EthType);
        Assert.Equal(0u, k.Ipv4Src);
        Assert.Equal(0, k.NwProto);
        Assert.Equal(0, k.NwTtl);
        Assert.Equal(0, k.TpSrc);
        Assert.Equal(14, p.L3Offset);
        Assert.Equal(Packet.NoOffset, p.L4Offset);
    }

    [Fact]
    public void TcpDataOffsetPastThePacketGivesNoL4()
    {
        // Data offset 15 (60 bytes) but the segment has 24: the header does not fit.
        byte[] f = TestFrames.Eth(0x0800, TestFrames.Ipv4(6, "1.2.3.4", "5.6.7.8", TestFrames.Tcp(80, 1234, 0x012)));
        f[14 + 20 + 12] = 0xf0;
        var (k, p) = Parse(f);
        Assert.Equal(ParseFlags.Truncated, k.Flags);
        Assert.Equal(0, k.TpSrc);
        Assert.Equal(0, k.TpDst);
        Assert.Equal(0, k.TcpFlags);
        Assert.Equal(Packet.NoOffset, p.L4Offset);
        Assert.Equal(IpProtocols.Tcp, k.NwProto);
        Assert.Equal(0x01020304u, k.Ipv4Src);
    }

    [Fact]
    public void TcpDataOffsetThatFitsIsAccepted()
    {
        var (k, p) = Parse(TestFrames.Eth(0x0800, TestFrames.Ipv4(6, "1.2.3.4", "5.6.7.8", TestFrames.Tcp(80, 1234, 0x012, dataOffsetWords: 15))));
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(80, k.TpSrc);
        Assert.Equal(34, p.L4Offset);
    }

    [Fact]
    public void Ipv6ExtensionHeaderRunningPastThePacketIsNotSteppedOver()
    {
        // A hop-by-hop header that claims 24 bytes in a 16-byte payload, naming UDP as the next header.
        byte[] payload = [IpProtocols.Udp, 2, 1, 4, 0, 0, 0, 0, .. TestFrames.Udp(1, 2, 0)];
        var (k, p) = Parse(TestFrames.Eth(0x86dd, TestFrames.Ipv6(0, "2001:db8::1", "2001:db8::2", payload, tc: 0x20, label: 7)));
        Assert.Equal(ParseFlags.Truncated, k.Flags);
        Assert.Equal(0, k.NwProto);
        Assert.Equal(0, k.TpSrc);
        Assert.Equal(Packet.NoOffset, p.L4Offset);

        // Open vSwitch keeps the fixed header's addresses, and nothing else of it.
        Assert.Equal(Ip("2001:db8::1"), k.Ipv6Src.ToArray());
        Assert.Equal(0u, k.Ipv6Label);
        Assert.Equal(0, k.NwTos);
        Assert.Equal(0, k.NwTtl);
    }

    [Fact]
    public void CutIpv4HeaderGivesNoL3()
    {
        // IHL 7 (28 bytes) but only 24 bytes of IP header in the frame.
        byte[] f = TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.0.0.1", "10.0.0.2", [], ihlWords: 7))[..(14 + 24)];
        var (k, p) = Parse(f);
        Assert.Equal(ParseFlags.Truncated, k.Flags);
        Assert.Equal(EtherTypes.Ipv4, k.EthType);
        Assert.Equal(0u, k.Ipv4Src);
        Assert.Equal(0, k.NwProto);
        Assert.Equal(Packet.NoOffset, p.L3Offset);
    }

    [Fact]
    public void Ipv4TotalLengthBelowHeaderLengthGivesNoL3()
    {
        byte[] f = TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.0.0.1", "10.0.0.2", TestFrames.Udp(1, 2)));
        f[16] = 0;
        f[17] = 19;
        var (k, _) = Parse(f);
        Assert.Equal(ParseFlags.Malformed, k.Flags);
        Assert.Equal(0u, k.Ipv4Src);
        Assert.Equal(0, k.TpSrc);
    }

    [Fact]
    public void Ipv6PayloadLengthPastTheFrameGivesNoL3()
    {
        byte[] f = TestFrames.PdnTcp6("2001:db8::1", "2001:db8::2", 443, 51000);
        f[18] = 0x10; // payload length 4096 + ...
        var (k, p) = Parse(f);
        Assert.Equal(ParseFlags.Truncated, k.Flags);
        Assert.Equal(EtherTypes.Ipv6, k.EthType);
        Assert.Equal(new byte[16], k.Ipv6Src.ToArray());
        Assert.Equal(0, k.NwProto);
        Assert.Equal(0, k.TpSrc);
        Assert.Equal(14, p.L3Offset);
        Assert.Equal(Packet.NoOffset, p.L4Offset);
    }

    [Fact]
    public void Ipv4VersionNibbleIsNotChecked()
    {
        // Open vSwitch trusts the Ethernet type; so does FastPath, so both match the same rules.
        byte[] f = TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.0.0.1", "10.0.0.2", TestFrames.Udp(1, 2)));
        f[14] = 0x65;
        var (k, _) = Parse(f);
        Assert.Equal(0x0a000001u, k.Ipv4Src);
        Assert.Equal(1, k.TpSrc);
    }

    private static byte[] Lse(uint label, int tc, byte ttl, bool bos) =>
        [(byte)(label >> 12), (byte)(label >> 4), (byte)((label << 4) | ((uint)tc << 1) | (bos ? 1u : 0)), ttl];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void MplsKeepsTheFirstThreeLabelStackEntries(int labels)
    {
        var stack = new List<byte>();
        for (int i = 0; i < labels; i++)
        {
            stack.AddRange(Lse((uint)(1000 * (i + 1)), i, (byte)(64 - i), i == labels - 1));
        }

        byte[] udp4 = TestFrames.Eth(0x0800, TestFrames.Ipv4(17, "10.0.0.1", "10.0.0.2", TestFrames.Udp(1, 2)));
        var (k, p) = Parse(TestFrames.Eth(EtherTypes.Mpls, [.. stack], udp4[14..]));
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(EtherTypes.Mpls, k.EthType);
        Assert.Equal(1000u, k.MplsLabel);
        Assert.Equal(0, k.MplsTc);
        Assert.Equal(64, k.MplsTtl);
        Assert.Equal(labels == 1, k.MplsBos);
        for (int i = 0; i < FlowKey.MaxMplsLabels; i++)
        {
            uint expected = i < labels ? ((uint)(1000 * (i + 1)) << 12) | ((uint)i << 9) | (i == labels - 1 ? 0x100u : 0) | (uint)(64 - i) : 0;
            Assert.Equal(expected, k.MplsLse(i));
        }

        // Like Open vSwitch, nothing past the stack: the IPv4 packet inside is not parsed.
        Assert.Equal(0, k.NwProto);
        Assert.Equal(0, k.TpSrc);
        Assert.Equal(Packet.NoOffset, p.L3Offset);
        Assert.Equal(Packet.NoOffset, p.L4Offset);
    }

    [Fact]
    public void MplsMulticastAndAStackWithoutBottom()
    {
        var (m, _) = Parse(TestFrames.Eth(EtherTypes.MplsMulticast, Lse(5, 7, 9, true), new byte[20]));
        Assert.Equal(EtherTypes.MplsMulticast, m.EthType);
        Assert.Equal(5u, m.MplsLabel);
        Assert.Equal(7, m.MplsTc);
        Assert.True(m.MplsBos);

        var (cut, _) = Parse(TestFrames.Eth(EtherTypes.Mpls, Lse(5, 0, 9, false), [1, 2]));
        Assert.Equal(ParseFlags.Truncated, cut.Flags);
        Assert.Equal(5u, cut.MplsLabel);
        Assert.Equal(0u, cut.MplsLse(1));
    }

    [Fact]
    public void RarpCarriesTheArpFields()
    {
        byte[] arp = TestFrames.PdnArp("192.168.1.1", "192.168.1.2")[14..];
        arp[7] = 3; // reverse request
        var (k, p) = Parse(TestFrames.Eth(EtherTypes.Rarp, arp));
        Assert.Equal(ParseFlags.None, k.Flags);
        Assert.Equal(EtherTypes.Rarp, k.EthType);
        Assert.Equal(3, k.NwProto);
        Assert.Equal(0xc0a80101u, k.Ipv4Src);
        Assert.Equal(0xc0a80102u, k.Ipv4Dst);
        Assert.Equal(TestFrames.MacA, k.ArpSha.ToArray());
        Assert.Equal(14, p.L3Offset);
    }

    [Fact]
    public void ShortArpHasNoFields()
    {
        byte[] f = TestFrames.PdnArp("192.168.1.1", "192.168.1.2")[..(14 + 27)];
        var (k, p) = Parse(f);
        Assert.Equal(ParseFlags.Truncated, k.Flags);
        Assert.Equal(0, k.NwProto);
        Assert.Equal(Packet.NoOffset, p.L3Offset);
    }

    [Fact]
    public void IgmpTypeAndCodeGoToPorts()
    {
        var (k, p) = Parse(TestFrames.Eth(0x0800, TestFrames.Ipv4(IpProtocols.Igmp, "10.0.0.1", "224.0.0.1", [0x11, 100, 0, 0, 0, 0, 0, 0], ttl: 1)));
        Assert.Equal(IpProtocols.Igmp, k.NwProto);
        Assert.Equal(0x11, k.TpSrc);
        Assert.Equal(100, k.TpDst);
        Assert.Equal(34, p.L4Offset);

        var (cut, _) = Parse(TestFrames.Eth(0x0800, TestFrames.Ipv4(IpProtocols.Igmp, "10.0.0.1", "224.0.0.1", [0x11, 100, 0, 0, 0, 0, 0])));
        Assert.Equal(ParseFlags.Truncated, cut.Flags);
        Assert.Equal(0, cut.TpSrc);
    }

    [Fact]
    public void TruncatedVlanTagLeavesItsTpidAsTheType()
    {
        byte[] f = TestFrames.Tag(TestFrames.Eth(0x0800, new byte[20]), 0x8100, 5)[..16];
        var (k, p) = Parse(f);
        Assert.Equal(ParseFlags.Truncated, k.Flags);
        Assert.Equal(EtherTypes.Vlan8021Q, k.EthType);
        Assert.Equal(0, k.Vlan0Tci);
        Assert.Equal(Packet.NoOffset, p.VlanOffset);
    }

    [Fact]
    public void NeighborDiscoveryDuplicateOptionVoidsTheAddresses()
    {
        byte[] ns = [.. TestFrames.NeighborSolicit("fe80::2", TestFrames.MacA), 1, 1, .. TestFrames.MacB];
        var (k, _) = Parse(TestFrames.Eth(0x86dd, TestFrames.Ipv6(58, "fe80::1", "fe80::2", ns, hlim: 255)));
        Assert.Equal(ParseFlags.Malformed, k.Flags);
        Assert.Equal(new byte[16], k.NdTarget.ToArray());
        Assert.Equal(new byte[6], k.ArpSha.ToArray());
    }

    public static TheoryData<string> FrameNames()
    {
        var d = new TheoryData<string>();
        foreach (var (name, _) in TestFrames.All())
        {
            d.Add(name);
        }

        return d;
    }

    /// <summary>
    /// Cuts the frame at every length. Each cut must parse without throwing, flag the damage, set only
    /// offsets whose headers are whole, and yield only fields that the whole frame has too.
    /// </summary>
    [Theory]
    [MemberData(nameof(FrameNames))]
    public void EveryPrefixParsesSafely(string name)
    {
        byte[] full = TestFrames.All().Single(f => f.Name == name).Frame;
        var (fullKey, fullPacket) = Parse(full);
        Assert.Equal(ParseFlags.None, fullKey.Flags);

        for (int len = 0; len < full.Length; len++)
        {
            // A fresh array of exactly len bytes: any read past it would throw.
            byte[] cut = full[..len];
            var (k, p) = Parse(cut);
            byte[] kb = k.Bytes.ToArray();
            byte[] fb = fullKey.Bytes.ToArray();
            for (int i = 0; i < FlowKey.Size; i++)
            {
                if (i is FlowKey.Offsets.Flags or FlowKey.Offsets.Flags + 1)
                {
                    continue;
                }

                // The one field a cut may change rather than lose, as in Open vSwitch: a VLAN tag without
                // its TCI and next type leaves its TPID as the Ethernet type, and an LLC header too short
                // for SNAP makes it 0x05ff (802.3 without a type).
                if (i is FlowKey.Offsets.DlType or FlowKey.Offsets.DlType + 1
                    && k.EthType is EtherTypes.Vlan8021Q or EtherTypes.Vlan8021AD or EtherTypes.None8023)
                {
                    continue;
                }

                Assert.True(kb[i] == fb[i] || kb[i] == 0, $"{name} cut at {len}: key byte {i} is {kb[i]:x2}, whole frame has {fb[i]:x2}");
            }

            bool lostSomething = !kb.AsSpan(16).SequenceEqual(fb.AsSpan(16)) || p.L4Offset != fullPacket.L4Offset || p.L3Offset != fullPacket.L3Offset;
            if (lostSomething)
            {
                Assert.True(k.Flags != ParseFlags.None, $"{name} cut at {len}: fields lost but no flag");
            }

            Assert.True(p.L3Offset == Packet.NoOffset || p.L3Offset < len, $"{name} cut at {len}: L3 offset {p.L3Offset}");
            Assert.True(p.L4Offset == Packet.NoOffset || p.L4Offset + MinL4(fullKey.NwProto) <= len, $"{name} cut at {len}: L4 offset {p.L4Offset}");
        }
    }

    private static int MinL4(byte proto) => proto switch
    {
        IpProtocols.Tcp => 20,
        IpProtocols.Udp => 8,
        IpProtocols.Sctp => 12,
        IpProtocols.Icmp => 8,
        _ => 4,
    };

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var rng = new Random(1234);
        foreach (var (_, frame) in TestFrames.All())
        {
            for (int i = 0; i < 2000; i++)
            {
                byte[] f = (byte[])frame.Clone();
                int flips = rng.Next(1, 6);
                for (int j = 0; j < flips; j++)
                {
                    f[rng.Next(12, f.Length)] = (byte)rng.Next(256);
                }

                Array.Resize(ref f, rng.Next(0, f.Length + 1));
                var (k, p) = Parse(f);
                Assert.True(p.L4Offset == Packet.NoOffset || p.L4Offset < f.Length);
                Assert.True(p.L3Offset == Packet.NoOffset || p.L3Offset < f.Length);
                Assert.Equal(7u, k.InPort);
            }
        }
    }

    [Fact]
    public void ExtractAllocatesNothing()
    {
        byte[] f = TestFrames.PdnTcp6("2001:db8::1", "2001:db8::2", 443, 51000);
        var p = new Packet { Length = (ushort)f.Length };
        ulong sum = 0;
        int runs = 0;
        Action extract = () =>
        {
            for (int i = 0; i < 10000; i++)
            {
                FlowExtractor.Extract(f, ref p, out FlowKey k);
                sum += k.TpSrc;
            }

            runs++;
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(extract));
        Assert.Equal(443UL * 10000 * (ulong)runs, sum);
    }
}
