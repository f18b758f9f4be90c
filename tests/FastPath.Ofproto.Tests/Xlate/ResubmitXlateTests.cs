using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Upcalls;
using FastPath.Packets;
using static FastPath.Ofproto.Tests.Xlate.XlateHarness;

namespace FastPath.Ofproto.Tests.Xlate;

/// <summary>resubmit, output:FIELD and exit in xlate: what runs, what the megaflow matches, which rules are credited.</summary>
public class ResubmitXlateTests
{
    [Fact]
    public void TheMegaflowMatchesWhatEveryResubmittedLookupExamined()
    {
        var h = new XlateHarness(
            null,
            "table=0,actions=resubmit(,1),resubmit(,2)",
            "table=1,priority=5,udp,tp_dst=53,actions=load:0x2->NXM_NX_REG0[0..15]",
            "table=2,priority=5,ip,nw_dst=10.0.0.2,actions=output:NXM_NX_REG0[0..15]");
        FlowTranslation t = h.Translate(Udp("192.168.1.1", "10.0.0.2"));
        Assert.Equal("2", Format(t.Actions));
        FlowKey m = t.Megaflow.Mask;
        Assert.True(Masks(m, FlowKey.Offsets.TpDst, 2), "table 1 looked at udp_dst");
        Assert.Equal(0xffffffffu, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(MaskBytes(m).AsSpan(FlowKey.Offsets.NwDst)));
        Assert.False(Masks(m, FlowKey.Offsets.NwSrc, 4), "nothing looked at nw_src");
        Assert.Equal(3, t.Credited!.OfType<OfRule>().Count());

        // Each resubmitted lookup is a table lookup as well: tables 0, 1 and 2 each count one match.
        Assert.Equal([h.Pipeline.Counters(0).Matched, h.Pipeline.Counters(1).Matched, h.Pipeline.Counters(2).Matched], t.Credited!.Where(c => c is not OfRule));

        // Another destination port misses table 1: reg0 stays 0 and output:reg0 goes nowhere.
        FlowTranslation miss = h.Translate(Udp("192.168.1.1", "10.0.0.2", dport: 54));
        Assert.Empty(miss.Actions);
    }

    [Fact]
    public void APortOnlyResubmitLooksUpWithThatPortButActionsSeeTheRealOne()
    {
        var h = new XlateHarness(
            null,
            "table=0,in_port=1,actions=resubmit:3,output:in_port",
            "table=0,in_port=3,actions=output:2,output:in_port");
        FlowTranslation t = h.Translate(Udp("192.168.1.1", "10.0.0.2"));
        Assert.Equal("2,1,1", Format(t.Actions));
    }

    [Fact]
    public void ExitStopsEveryLevelAndTheActionSet()
    {
        // ovs-vswitchd 3.1 outputs to 2 only: its action set (output:4) does not run after an exit either.
        var h = new XlateHarness(
            null,
            "table=0,actions=write_actions(output:4),goto_table:1",
            "table=1,actions=resubmit(,2),output:3",
            "table=2,actions=output:2,exit,output:1");
        FlowTranslation t = h.Translate(Udp("192.168.1.1", "10.0.0.2", inPort: 1));
        Assert.Equal("2", Format(t.Actions));
    }

    [Fact]
    public void OutputToAFieldReadsThePortFromThePacketAndMatchesIt()
    {
        var h = new XlateHarness(null, "table=0,udp,actions=output:NXM_OF_UDP_DST[0..2]");
        FlowTranslation t = h.Translate(Udp("192.168.1.1", "10.0.0.2", dport: 0x1004));
        Assert.Equal("4", Format(t.Actions));
        Assert.Equal(0x07, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.TpDst + 1]);
        Assert.Equal(0, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.TpDst]);
    }
}
