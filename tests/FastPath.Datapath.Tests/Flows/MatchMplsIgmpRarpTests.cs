using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Flows;

/// <summary>Megaflows on the fields the parser gained for issue 12: MPLS, RARP, IGMP; matched against parsed packets.</summary>
public class MatchMplsIgmpRarpTests
{
    private static FlowKey KeyOf(byte[] frame)
    {
        var p = new Packet { InPort = 1, Length = (ushort)frame.Length };
        FlowExtractor.Extract(frame, ref p, out FlowKey k);
        return k;
    }

    private static byte[] Lse(uint label, int tc, byte ttl, bool bos) =>
        [(byte)(label >> 12), (byte)(label >> 4), (byte)((label << 4) | ((uint)tc << 1) | (bos ? 1u : 0)), ttl];

    /// <summary>An Ethernet frame of type <paramref name="type"/> with the given label stack in front of a UDP/IPv4 packet.</summary>
    private static byte[] Mpls(ushort type, params byte[][] stack)
    {
        byte[] udp4 = TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2);
        var f = new List<byte>(udp4[..12]) { (byte)(type >> 8), (byte)type };
        foreach (byte[] lse in stack)
        {
            f.AddRange(lse);
        }

        f.AddRange(udp4[14..]);
        return [.. f];
    }

    private static byte[] Arp(ushort type, ushort op)
    {
        byte[] f = new byte[14 + 28];
        TestPackets.MacB.GetAddressBytes().CopyTo(f, 0);
        TestPackets.MacA.GetAddressBytes().CopyTo(f, 6);
        f[12] = (byte)(type >> 8);
        f[13] = (byte)type;
        byte[] body = [0, 1, 8, 0, 6, 4, (byte)(op >> 8), (byte)op, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2];
        body.CopyTo(f, 14);
        return f;
    }

    [Fact]
    public void MatchesMplsLabelTcTtlAndBos()
    {
        FlowMatch m = new MatchBuilder().EthType(EtherTypes.Mpls).MplsLabel(1000).MplsTc(5).MplsBos(false).Build();
        Assert.True(m.Matches(KeyOf(Mpls(EtherTypes.Mpls, Lse(1000, 5, 64, false), Lse(7, 0, 1, true)))));
        Assert.False(m.Matches(KeyOf(Mpls(EtherTypes.Mpls, Lse(1001, 5, 64, false), Lse(7, 0, 1, true)))));
        Assert.False(m.Matches(KeyOf(Mpls(EtherTypes.Mpls, Lse(1000, 4, 64, false), Lse(7, 0, 1, true)))));
        Assert.False(m.Matches(KeyOf(Mpls(EtherTypes.Mpls, Lse(1000, 5, 64, true)))));
        Assert.False(m.Matches(KeyOf(Mpls(EtherTypes.MplsMulticast, Lse(1000, 5, 64, false), Lse(7, 0, 1, true)))));

        FlowMatch ttl = new MatchBuilder().EthType(EtherTypes.Mpls).MplsTtl(1).Build();
        Assert.True(ttl.Matches(KeyOf(Mpls(EtherTypes.Mpls, Lse(9, 0, 1, true)))));
        Assert.False(ttl.Matches(KeyOf(Mpls(EtherTypes.Mpls, Lse(9, 0, 2, true)))));
    }

    [Fact]
    public void MatchesInnerLabelStackEntries()
    {
        FlowMatch m = new MatchBuilder().EthType(EtherTypes.Mpls).MplsLabel(30, index: 2).MplsBos(true, index: 2).Build();
        Assert.True(m.Matches(KeyOf(Mpls(EtherTypes.Mpls, Lse(10, 0, 9, false), Lse(20, 0, 9, false), Lse(30, 0, 9, true)))));
        Assert.False(m.Matches(KeyOf(Mpls(EtherTypes.Mpls, Lse(10, 0, 9, false), Lse(20, 0, 9, false), Lse(31, 0, 9, true)))));
        Assert.False(m.Matches(KeyOf(Mpls(EtherTypes.Mpls, Lse(10, 0, 9, false), Lse(30, 0, 9, true)))));
    }

    [Fact]
    public void MplsFieldsMergeWithinOneEntry()
    {
        FlowMatch m = new MatchBuilder().EthType(EtherTypes.Mpls).MplsLabel(0xfffff).MplsTtl(0x7f).Build();
        Assert.Equal(0xfffff07fu, m.Key.MplsLse(0));
        Assert.Equal(0xfffff0ffu, m.Mask.MplsLse(0));
    }

    [Fact]
    public void MplsMatchNeedsAnMplsEthType()
    {
        // Without dl_type the label stack would also match IPv4 packets whose source has the same bits.
        Assert.Throws<InvalidOperationException>(() => new MatchBuilder().MplsLabel(5).Build());
        Assert.Throws<InvalidOperationException>(() => new MatchBuilder().EthType(EtherTypes.Ipv4).MplsLabel(5).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatchBuilder().MplsLabel(0x100000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatchBuilder().MplsTc(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatchBuilder().MplsLabel(1, index: 3));
    }

    [Fact]
    public void MatchesRarpLikeArp()
    {
        FlowMatch m = new MatchBuilder().EthType(EtherTypes.Rarp).NwProto(3).Build();
        Assert.True(m.Matches(KeyOf(Arp(EtherTypes.Rarp, 3))));
        Assert.False(m.Matches(KeyOf(Arp(EtherTypes.Rarp, 4))));
        Assert.False(m.Matches(KeyOf(Arp(EtherTypes.Arp, 3))));
    }

    [Fact]
    public void MatchesIgmpTypeAndCode()
    {
        byte[] frame = TestPackets.Udp4("10.0.0.1", "224.0.0.1", 1, 2);
        frame[14 + 9] = IpProtocols.Igmp;
        frame[34] = 0x11;
        frame[35] = 100;
        FlowMatch m = new MatchBuilder().EthType(EtherTypes.Ipv4).NwProto(IpProtocols.Igmp).IgmpType(0x11).IgmpCode(100).Build();
        Assert.True(m.Matches(KeyOf(frame)));
        frame[34] = 0x16;
        Assert.False(m.Matches(KeyOf(frame)));
    }

    [Fact]
    public void FormatsMplsInDatapathSyntax()
    {
        FlowMatch exact = new MatchBuilder().InPort(1).EthType(EtherTypes.Mpls).MplsLse(0, (100u << 12) | (3 << 9) | 0x100 | 64).Build();
        Assert.Equal("in_port(1),eth_type(0x8847),mpls(label=100,tc=3,ttl=64,bos=1)", MatchFormatter.Format(exact));

        FlowMatch partial = new MatchBuilder().EthType(EtherTypes.MplsMulticast).MplsLabel(16).MplsBos(false)
            .MplsLse(1, (17u << 12) | 0x100 | 63).Build();
        Assert.Equal("eth_type(0x8848),mpls(label=16/0xfffff,tc=0/0,ttl=0/0x0,bos=0/1,label=17,tc=0,ttl=63,bos=1)", MatchFormatter.Format(partial));
    }

    [Fact]
    public void FormatsRarpAndIgmp()
    {
        FlowMatch rarp = new MatchBuilder().EthType(EtherTypes.Rarp).NwProto(4).Build();
        Assert.Equal("eth_type(0x8035),arp(op=4)", MatchFormatter.Format(rarp));

        FlowMatch igmp = new MatchBuilder().EthType(EtherTypes.Ipv4).NwProto(IpProtocols.Igmp).IgmpType(0x16).IgmpCode(0).Build();
        Assert.Equal("eth_type(0x0800),ipv4(proto=2),igmp(type=22,code=0)", MatchFormatter.Format(igmp));
    }

    [Fact]
    public void ParsedMplsKeyFormatsAsAnExactMatch()
    {
        FlowKey k = KeyOf(Mpls(EtherTypes.Mpls, Lse(1000, 5, 64, false), Lse(7, 0, 1, true)));
        var all = new FlowKey();
        all.Bytes.Fill(0xff);
        string s = MatchFormatter.Format(new FlowMatch(k, all));
        Assert.Contains("eth_type(0x8847),mpls(label=1000,tc=5,ttl=64,bos=0,label=7,tc=0,ttl=1,bos=1,label=0,tc=0,ttl=0,bos=0)", s);
        Assert.DoesNotContain("ipv4", s);
    }
}
