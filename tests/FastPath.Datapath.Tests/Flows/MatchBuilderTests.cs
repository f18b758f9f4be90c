using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Flows;

public class MatchBuilderTests
{
    private static FlowKey KeyOf(byte[] frame, uint inPort)
    {
        var p = new Packet { InPort = inPort, Length = (ushort)frame.Length };
        FlowExtractor.Extract(frame, ref p, out FlowKey k);
        return k;
    }

    [Fact]
    public void PrefixAndPortMatching()
    {
        FlowMatch m = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.0.1.0/24").Ipv4Dst("10.200.0.1").Build();
        Assert.True(m.Matches(KeyOf(TestPackets.Udp4("10.0.1.77", "10.200.0.1", 1, 2), 1)));
        Assert.False(m.Matches(KeyOf(TestPackets.Udp4("10.0.2.77", "10.200.0.1", 1, 2), 1)));
        Assert.False(m.Matches(KeyOf(TestPackets.Udp4("10.0.1.77", "10.200.0.2", 1, 2), 1)));
        Assert.False(m.Matches(KeyOf(TestPackets.Udp4("10.0.1.77", "10.200.0.1", 1, 2), 2)));

        FlowMatch ports = new MatchBuilder().NwProto(IpProtocols.Udp).TpDst(0x1000, 0xf000).Build();
        Assert.True(ports.Matches(KeyOf(TestPackets.Udp4("1.1.1.1", "2.2.2.2", 9, 0x1234), 3)));
        Assert.False(ports.Matches(KeyOf(TestPackets.Udp4("1.1.1.1", "2.2.2.2", 9, 0x2234), 3)));
    }

    [Fact]
    public void KeyIsPreMasked()
    {
        FlowMatch m = new MatchBuilder().Ipv4Src("10.0.1.99/24").Build();
        Assert.Equal(0x0a000100u, m.Key.Ipv4Src);
    }

    [Fact]
    public void EmptyMatchMatchesEverything()
    {
        Assert.True(new MatchBuilder().Build().Matches(KeyOf(TestPackets.Udp4("1.1.1.1", "2.2.2.2", 9, 9), 8)));
    }

    [Theory]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.0/24")]
    [InlineData("2001:db8::1")]
    [InlineData("10.0.0.1/x")]
    public void BadPrefixIsRefused(string cidr) =>
        Assert.Throws<FormatException>(() => new MatchBuilder().Ipv4Src(cidr));

    [Fact]
    public void LinearTableReturnsFirstMatch()
    {
        var t = new LinearFlowTable();
        t.Add(new MatchBuilder().Ipv4Src("10.0.0.0/8").Build(), [1]);
        t.Add(new MatchBuilder().Build(), [2]);
        Assert.Equal(0, t.Lookup(KeyOf(TestPackets.Udp4("10.1.1.1", "2.2.2.2", 9, 9), 1)));
        Assert.Equal(1, t.Lookup(KeyOf(TestPackets.Udp4("11.1.1.1", "2.2.2.2", 9, 9), 1)));
        Assert.Equal(new byte[] { 2 }, t.ActionsOf(1));
    }
}
