using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;

namespace FastPath.Ofproto.Tests;

/// <summary>
/// A real datapath forwarding by an OpenFlow table: the ofproto thread translates each miss through the rules,
/// installs the megaflow, and the PMD forwards the rest; the bytes that leave are those Open vSwitch would send.
/// </summary>
public sealed class OpenFlowForwardingTests : IDisposable
{
    private readonly NetdevDatapath dp = new([-1]);
    private readonly MemoryNetdev p1 = new("p1");
    private readonly MemoryNetdev p2 = new("p2");
    private readonly OfPipeline pipeline = new();
    private readonly BridgePorts ports = new();
    private readonly OfprotoThread ofproto;

    public OpenFlowForwardingTests()
    {
        dp.Start();
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        ports.Set(1);
        ports.Set(2);
        ofproto = new OfprotoThread(dp.Pmds, new OfXlate(pipeline, ports));
        ofproto.Start();
    }

    public void Dispose()
    {
        ofproto.Dispose();
        dp.Dispose();
    }

    private static byte[] Udp(string src, ushort sport) => Upcalls.UpcallTestPackets.Udp4(src, "10.0.0.2", sport, 53);

    private void AddFlow(string text) =>
        ofproto.Invoke(() => pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(text)), Stopwatch.GetTimestamp()));

    [Fact]
    public void TheSeedRuleRewritesEveryPacketOfTheFlowAndCountsThem()
    {
        AddFlow("in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2");
        for (ushort i = 0; i < 50; i++)
        {
            p1.Inject(Udp("192.168.1.1", (ushort)(1000 + i)));
        }

        Eventually.Until(() => p2.Sent.Count == 50, "50 packets on port 2");
        var expected = Enumerable.Range(0, 50).Select(i => Convert.ToHexString(Udp("192.181.137.1", (ushort)(1000 + i)))).ToHashSet();
        Assert.True(expected.SetEquals(p2.Sent.Select(Convert.ToHexString)), "the rewritten packets differ from the expected bytes");

        // One megaflow, without the L4 ports; and the rule counted every packet once the revalidator ran.
        DatapathFlow mf = Assert.Single(dp.Pmds[0].DumpFlows());
        string printed = Datapath.Flows.MatchFormatter.Format(mf.Match);
        Assert.DoesNotContain("udp(", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("eth(", printed, StringComparison.Ordinal);
        Assert.Contains("192.168.1.1", printed, StringComparison.Ordinal);
        Eventually.Until(() => ofproto.Invoke(() => pipeline.Rules.Single().Packets) == 50, "the rule's counter to reach 50");
    }

    [Fact]
    public void DeletingTheRuleStopsTheFlowAtOnce()
    {
        AddFlow("in_port=1,ip,actions=output:2");
        p1.Inject(Udp("10.0.0.1", 1));
        Eventually.Until(() => p2.Sent.Count == 1, "the first packet");
        ofproto.Invoke(() => pipeline.Apply(new FlowMod(FlowModCommand.Delete, new FlowRule { Match = default }), Stopwatch.GetTimestamp()));
        Eventually.Until(() => dp.Pmds[0].DumpFlows().Count == 0, "the megaflow to go with its rule");
        p1.Inject(Udp("10.0.0.1", 2));
        Eventually.Until(() => ofproto.Invoke(() => ofproto.Upcalls.Misses) == 2, "the second miss");
        Thread.Sleep(50);
        Assert.Single(p2.Sent);
    }
}
