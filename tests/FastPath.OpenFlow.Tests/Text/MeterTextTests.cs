using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Text;

namespace FastPath.OpenFlow.Tests.Text;

/// <summary>ovs-ofctl's meter syntax (the cases Open vSwitch itself decides are in FastPath.Ofproto.Tests' OvsMeterTests).</summary>
public class MeterTextTests
{
    [Fact]
    public void AnAddMeterLineParsesIntoItsFlagsAndBands()
    {
        OfMeterConfig m = MeterText.Parse("meter=1,kbps,burst,stats,bands=type=drop,rate=1000,burst_size=100,type=drop,rate=2000,burst_size=50");
        Assert.Equal(1u, m.MeterId);
        Assert.Equal(OfMeterFlags.Kbps | OfMeterFlags.Burst | OfMeterFlags.Stats, m.Flags);
        Assert.Equal([new OfMeterBand(OfMeterBandType.Drop, 1000, 100), new OfMeterBand(OfMeterBandType.Drop, 2000, 50)], m.Bands);
        Assert.Equal("meter=1 kbps burst stats bands=\ntype=drop rate=1000 burst_size=100\ntype=drop rate=2000 burst_size=50", MeterText.Format(m));
    }

    [Theory]
    [InlineData(null, OfMeterIds.All)]
    [InlineData("", OfMeterIds.All)]
    [InlineData("meter=all", OfMeterIds.All)]
    [InlineData("meter=7", 7u)]
    [InlineData("meter=0x10", 16u)]
    [InlineData("meter=controller", OfMeterIds.Controller)]
    [InlineData("meter=slowpath", OfMeterIds.SlowPath)]
    public void ADeleteOrDumpArgumentNamesOneMeterOrAll(string? text, uint id) => Assert.Equal(id, MeterText.ParseMeterId(text));

    [Theory]
    [InlineData("meter=1,kbps")]
    [InlineData("kbps")]
    [InlineData("meter=0")]
    [InlineData("meter")]
    public void ADeleteOrDumpArgumentOtherThanAMeterIsRefused(string text) =>
        Assert.Throws<FlowSyntaxException>(() => MeterText.ParseMeterId(text));

    [Fact]
    public void AValueOver32BitsIsRefusedNotTruncated()
    {
        FlowSyntaxException e = Assert.Throws<FlowSyntaxException>(() => MeterText.Parse("meter=1,pktps,band=type=drop,rate=4294967296"));
        Assert.Contains("rate", e.Message, StringComparison.Ordinal);
    }
}
