using FastPath.Ofproto.Tests.Xlate;
using FastPath.Ofproto.Trace;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Trace;

/// <summary>The report's layout and lines, from a real pipeline and xlate.</summary>
public class TraceReportTests
{
    private const string Seed = "in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2";

    private static string Report(string flow, params string[] rules)
    {
        var h = new XlateHarness(null, rules);
        FlowKey key = TraceInput.Parse(flow);
        return TraceReport.Format(h.Xlate.Trace(key), key);
    }

    [Fact]
    public void TheSeedExampleTracesInOpenVSwitchsLayoutWithAMegaflowWithoutPortsOrMacs()
    {
        string report = Report("in_port=1,udp,nw_src=192.168.1.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=53", Seed);
        Assert.Equal(
            """
            Flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=192.168.1.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=1000,tp_dst=53

            bridge("br0")
            -------------
             0. ip,in_port=1,nw_src=192.168.1.1, priority 32768
                set_field:192.181.137.1->ip_src
                output:2

            Final flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=192.181.137.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=1000,tp_dst=53
            Megaflow: recirc_id=0,eth,ip,in_port=1,nw_src=192.168.1.1
            Datapath actions: set(ipv4(src=192.181.137.1)),2

            """.Replace("\r", ""),
            report);
        string megaflow = report.Split('\n').Single(l => l.StartsWith("Megaflow: ", StringComparison.Ordinal));
        Assert.DoesNotContain("tp_", megaflow);
        Assert.DoesNotContain("dl_", megaflow);
    }

    [Fact]
    public void AMissSaysNoMatchAndDropsAndTheFlowIsUnchanged()
    {
        string report = Report("in_port=3,udp,nw_src=192.168.1.1,udp_src=1,udp_dst=2", Seed);
        Assert.Contains("\n 0. No match.\n    drop\n", report);
        Assert.Contains("\nFinal flow: unchanged\n", report);
        Assert.Contains("\nDatapath actions: drop\n", report);
    }

    [Fact]
    public void OutputsThatGoNowhereAreNotedAsOpenVSwitchNotesThem()
    {
        string report = Report("in_port=1,tcp,nw_ttl=64,tcp_flags=0x012", "in_port=1,actions=output:1,output:9,output:2");
        Assert.Contains("    output:1\n     >> skipping output to input port\n    output:9\n     >> Nonexistent output port\n    output:2\n", report);
        Assert.Contains("tp_src=0,tp_dst=0,tcp_flags=syn|ack\n", report);
    }

    [Fact]
    public void GotoWriteActionsAndMetadataPrintAsOpenVSwitchDoes()
    {
        string report = Report(
            "in_port=3,icmp,nw_ttl=64,icmp_type=8",
            "table=0,cookie=0x12,in_port=3,actions=write_actions(output:2),write_metadata:0x5/0xff,goto_table:2",
            "table=2,priority=0,actions=output:1");
        // ovs-vswitchd 3.1 prints these very lines: the goto's table nests under the first, as the action set follows it.
        Assert.Contains(" 0. in_port=3, priority 32768, cookie 0x12\n    write_actions(output:2)\n     -> action set is: output:2\n    write_metadata:0x5/0xff\n    goto_table:2\n     2. priority 0\n            output:1\n--. Executing action set:\n    output:2\n", report);
        Assert.Contains("Final flow: icmp,metadata=0x5,in_port=3,", report);
        Assert.Contains("icmp_type=8,icmp_code=0\n", report);
        Assert.Contains("Datapath actions: 1,2\n", report);
    }

    [Fact]
    public void TaggedFlowsShowBothTagsAsOpenVSwitchDoes()
    {
        string report = Report(
            "in_port=2,dl_vlan=9,dl_vlan_pcp=3,udp,nw_ttl=64",
            "in_port=2,actions=push_vlan:0x8100,mod_vlan_vid:7,output:4");
        Assert.StartsWith("Flow: udp,in_port=2,dl_vlan=9,dl_vlan_pcp=3,vlan_tci1=0x0000,dl_src=", report);
        // Open vSwitch's push_vlan starts the new tag at VID 0, PCP 0 (VlanPushVersusOvsTests).
        Assert.Contains("Final flow: udp,in_port=2,dl_vlan=7,dl_vlan_pcp=0,dl_vlan1=9,dl_vlan_pcp1=3,dl_src=", report);
        Assert.Contains("Datapath actions: push_vlan(vid=7,pcp=0),4\n", report);
    }

    [Fact]
    public void TheMegaflowShowsEveryBitFastPathMatchesTheTagPresenceAndPartialTtlIncluded()
    {
        // strip_vlan depends on whether the packet has a tag: the megaflow says it has none.
        string report = Report("in_port=1,udp,nw_ttl=64", "in_port=1,ip,actions=dec_ttl,strip_vlan,output:2");
        string megaflow = report.Split('\n').Single(l => l.StartsWith("Megaflow: ", StringComparison.Ordinal));
        Assert.Equal("Megaflow: recirc_id=0,eth,ip,in_port=1,vlan_tci=0x0000/0x1000,nw_ttl=64/0x40", megaflow);
    }

    [Fact]
    public void ARefusedTranslationSaysWhyInstallsNothingAndDrops()
    {
        // FastPath's xlate does not yet parse a packet again after pop_mpls for a later table.
        string report = Report(
            "in_port=1,mpls,mpls_label=5,mpls_bos=1,mpls_ttl=9",
            "table=0,mpls,actions=pop_mpls:0x0800,goto_table:1",
            "table=1,actions=output:2");
        Assert.Contains("\n     >> translation refused: a table lookup after pop_mpls", report);
        Assert.EndsWith("\nMegaflow: none\nDatapath actions: drop\n", report);
    }

    [Fact]
    public void APacketInHexIsParsedByFastPathsParser()
    {
        byte[] frame = Upcalls.UpcallTestPackets.Udp4("192.168.1.1", "10.0.0.2", 1000, 53);
        FlowKey key = TraceInput.Parse("in_port=1", Convert.ToHexString(frame));
        Assert.Equal(1u, key.InPort);
        Assert.Equal(EtherTypes.Ipv4, key.EthType);
        Assert.Equal(53, key.TpDst);
        var h = new XlateHarness(null, Seed);
        Assert.Contains("Datapath actions: set(ipv4(src=192.181.137.1)),2\n", TraceReport.Format(h.Xlate.Trace(key), key));
    }

    [Theory]
    [InlineData("in_port=1,udp,frobnicate=3", null, "bad flow: frobnicate: unknown field")]
    [InlineData("in_port=1,tp_dst=80", null, "bad flow: tp_dst=80: prerequisites not met")]
    [InlineData("in_port=1,reg0=5", null, "only packet fields and in_port")]
    [InlineData("in_port=1,udp", "00112233", "with a packet, the flow gives only in_port")]
    [InlineData("in_port=1", "0011zz", "bad packet: not an even number of hex digits")]
    [InlineData("in_port=1", "001", "bad packet: not an even number of hex digits")]
    public void BadInputIsOneClearLine(string flow, string? packet, string expected)
    {
        var e = Assert.ThrowsAny<FormatException>(() => TraceInput.Parse(flow, packet));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}
