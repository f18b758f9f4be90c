using FastPath.Datapath.Meters;
using FastPath.Ofproto.Meters;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Upcalls;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;
using FastPath.Packets;
using static FastPath.Ofproto.Tests.Xlate.XlateHarness;

namespace FastPath.Ofproto.Tests.Meters;

/// <summary>The meter instruction in xlate: a datapath meter action where OpenFlow runs the meter, and nothing else changed.</summary>
public class MeterXlateTests
{
    private readonly OfPipeline pipeline = new();
    private readonly BridgePorts ports = new();
    private readonly OfMeterTable meters;
    private readonly OfXlate xlate;

    public MeterXlateTests()
    {
        for (uint p = 1; p <= 4; p++)
        {
            ports.Set(p);
        }

        meters = new OfMeterTable(pipeline, new MeterTableMeters(new MeterTable(1_000_000, () => 0)));
        xlate = new OfXlate(pipeline, ports) { Meters = meters };
    }

    private void AddMeter(string text) => meters.Apply(MeterMod.Add(MeterText.Parse(text)), 0);

    private void AddFlow(string text) => pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(text)), 0);

    private FlowTranslation Translate(in FlowKey key)
    {
        Assert.True(xlate.Translate(key, default, out FlowTranslation t), xlate.LastFailure);
        return t;
    }

    private uint DatapathId(uint meter)
    {
        Assert.True(meters.TryGetDatapathId(meter, out uint dp));
        return dp;
    }

    [Fact]
    public void TheMeterActionComesBeforeTheRulesApplyActionsAndKeepsTheMegaflowAsWide()
    {
        // Two meters so the datapath id of the one used is not 0 by chance.
        AddMeter("meter=3,pktps,band=type=drop,rate=10");
        AddMeter("meter=9,pktps,band=type=drop,rate=10");
        AddFlow("priority=10,in_port=1,ip,actions=meter:9,mod_nw_src:192.181.137.1,dec_ttl,output:2");
        AddFlow("priority=5,in_port=1,ip,actions=mod_nw_src:192.181.137.1,dec_ttl,output:2");
        FlowKey key = Udp("192.168.1.1", "10.0.0.2");
        FlowTranslation metered = Translate(key);

        pipeline.Apply(new FlowMod(FlowModCommand.DeleteStrict, FlowText.Parse("priority=10,in_port=1,ip", requireActions: false)), 0);
        FlowTranslation plain = Translate(key);

        uint dp = DatapathId(9);
        Assert.Equal($"meter({dp})," + Format(plain.Actions), Format(metered.Actions));
        Assert.Equal(MaskBytes(plain.Megaflow.Mask), MaskBytes(metered.Megaflow.Mask));
    }

    [Fact]
    public void AMeterInALaterTableRunsAfterTheEarlierTablesActions()
    {
        AddMeter("meter=1,kbps,band=type=drop,rate=1000");
        AddFlow("table=0,in_port=1,actions=push_vlan:0x8100,set_field:0x1005->vlan_vid,goto_table:1");
        AddFlow("table=1,actions=meter:1,output:3");
        string actions = Format(Translate(Udp("10.0.0.1", "10.0.0.2")).Actions);
        int push = actions.IndexOf("push_vlan", StringComparison.Ordinal);
        int meter = actions.IndexOf($"meter({DatapathId(1)})", StringComparison.Ordinal);
        Assert.True(push >= 0 && meter > push, actions);
        Assert.EndsWith(",3", actions, StringComparison.Ordinal);
    }

    [Fact]
    public void AMeterAloneMetersThenDrops()
    {
        AddMeter("meter=1,kbps,band=type=drop,rate=1000");
        AddFlow("in_port=1,actions=meter:1");
        Assert.Equal($"meter({DatapathId(1)})", Format(Translate(Udp("10.0.0.1", "10.0.0.2")).Actions));
    }

    [Fact]
    public void ModifyingAMeterKeepsTheTranslationAndItsVersionDeletingItChangesBoth()
    {
        AddMeter("meter=1,kbps,band=type=drop,rate=1000");
        AddFlow("in_port=1,actions=meter:1,output:2");
        FlowKey key = Udp("10.0.0.1", "10.0.0.2");
        byte[] before = Translate(key).Actions;
        long version = xlate.Version;

        meters.Apply(MeterMod.Modify(MeterText.Parse("meter=1,pktps,burst,band=type=drop,rate=5,burst_size=5")), 0);
        Assert.Equal(version, xlate.Version);
        Assert.Equal(before, Translate(key).Actions);

        meters.Apply(MeterMod.Delete(1), 0);
        Assert.NotEqual(version, xlate.Version);
        Assert.Empty(Translate(key).Actions);
    }

    [Fact]
    public void WithoutAMeterTableAMeteredRuleIsRefusedNotRunUnmetered()
    {
        AddMeter("meter=1,kbps,band=type=drop,rate=1000");
        AddFlow("in_port=1,actions=meter:1,output:2");
        var bare = new OfXlate(pipeline, ports);
        Assert.False(bare.Translate(Udp("10.0.0.1", "10.0.0.2"), default, out _));
        Assert.Contains("meter:1", bare.LastFailure, StringComparison.Ordinal);
    }
}
