using System.Collections.Concurrent;
using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Bridge;

/// <summary>
/// A bridge's slow path assembled over a real datapath: rules time out by themselves, their megaflows go with
/// them, and rules that asked for it are reported removed with the reason and their final counters.
/// </summary>
public sealed class OfBridgeTests : IDisposable, IFlowRemovedSink, IPacketInSink
{
    private readonly NetdevDatapath dp = new([-1]);
    private readonly MemoryNetdev p1 = new("p1");
    private readonly MemoryNetdev p2 = new("p2");
    private readonly OfBridge bridge;
    private readonly ConcurrentQueue<FlowRemoved> removed = new();
    private readonly ConcurrentQueue<PacketIn> packetIns = new();
    private readonly ITestOutputHelper output;

    public OfBridgeTests(ITestOutputHelper output)
    {
        this.output = output;
        dp.Start();
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        bridge = new OfBridge("br0", dp.Pmds, packetIns: this, flowRemoved: this);
        bridge.Ports.Set(1);
        bridge.Ports.Set(2);
        bridge.Start();
    }

    void IFlowRemovedSink.Deliver(FlowRemoved notice) => removed.Enqueue(notice);

    void IPacketInSink.Deliver(PacketIn packetIn) => packetIns.Enqueue(packetIn);

    public void Dispose()
    {
        bridge.Dispose();
        dp.Dispose();
    }

    private static byte[] Udp(ushort sport) => Upcalls.UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", sport, 53);

    private int RuleCount() => bridge.Invoke(() => bridge.Pipeline.Count);

    [Fact]
    public void AHardTimeoutRemovesTheRuleAndItsMegaflowAndReportsIt()
    {
        var sw = Stopwatch.StartNew();
        bridge.AddFlows(["in_port=1,hard_timeout=1,send_flow_rem,actions=output:2"]);
        p1.Inject(Udp(1));
        Eventually.Until(() => p2.Sent.Count == 1, "the first packet");
        Assert.Single(dp.Pmds[0].DumpFlows());

        Eventually.Until(() => RuleCount() == 0, "the rule to expire");
        output.WriteLine($"expired after {sw.Elapsed}");

        // Revalidation makes the megaflow drop (the table now misses) or deletes it.
        Eventually.Until(() => dp.Pmds[0].DumpFlows().All(f => f.Actions.Length == 0), "no megaflow to forward any more");
        FlowRemoved notice = Assert.Single(removed);
        Assert.Equal(FlowRemovedReason.HardTimeout, notice.Reason);
        Assert.True(notice.Duration >= TimeSpan.FromSeconds(1), $"removed after {notice.Duration}");

        // The next packet is dropped: nothing forwards by the expired rule.
        p1.Inject(Udp(2));
        Eventually.Until(() => dp.GetPmdStats()[0].Packets >= 2, "the second packet");
        Thread.Sleep(50);
        Assert.Single(p2.Sent);
        output.WriteLine($"done after {sw.Elapsed}");
    }

    [Fact]
    public void AnIdleTimeoutWaitsWhileTrafficFlowsAndCountsItWhenTheRuleGoes()
    {
        bridge.AddFlows(["in_port=1,idle_timeout=2,send_flow_rem,actions=output:2"]);

        // Traffic for 3 s, longer than the idle timeout: the megaflow's use reaches the rule through revalidation.
        var sw = Stopwatch.StartNew();
        ushort sent = 0;
        while (sw.Elapsed < TimeSpan.FromSeconds(3))
        {
            p1.Inject(Udp(++sent));
            Thread.Sleep(100);
        }

        Assert.Equal(1, RuleCount());
        Eventually.Until(() => p2.Sent.Count == sent, $"all {sent} packets");

        Eventually.Until(() => RuleCount() == 0, "the idle rule to expire");
        FlowRemoved notice = Assert.Single(removed);
        Assert.Equal(FlowRemovedReason.IdleTimeout, notice.Reason);
        Assert.Equal(sent, notice.Rule.Packets);
        Assert.True(notice.Duration >= TimeSpan.FromSeconds(3), $"removed after {notice.Duration}");
    }

    [Fact]
    public void DeletionIsReportedOnlyForRulesThatAskedForIt()
    {
        bridge.AddFlows(["priority=2,in_port=1,send_flow_rem,cookie=0x7,actions=output:2", "priority=1,in_port=2,actions=output:1"]);
        IReadOnlyList<RemovedRule> gone = bridge.Apply(new FlowMod(FlowModCommand.Delete, new FlowRule { Match = default }));
        Assert.Equal(2, gone.Count);
        FlowRemoved notice = Assert.Single(removed);
        Assert.Equal(FlowRemovedReason.Delete, notice.Reason);
        Assert.Equal(0x7ul, notice.Rule.Spec.Cookie);
    }

    [Fact]
    public void ARefusedFlowModChangesNothingAndSaysWhy()
    {
        bridge.AddFlows(["in_port=1,actions=output:2"]);
        FlowModException e = Assert.Throws<FlowModException>(() => bridge.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse("in_port=1,actions=group:5"))));
        Assert.Contains("group", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, RuleCount());
    }

    [Fact]
    public void NormalFloodsAnUnknownDestinationAndLearnsTheSource()
    {
        const ulong A = 0x0200_0000_000a, B = 0x0200_0000_000b;
        bridge.AddFlows(["actions=NORMAL"]);
        p1.Inject(Normal.NormalFrames.Udp(A, B));
        Eventually.Until(() => p2.Sent.Count == 1, "the flooded frame");
        uint learned = bridge.Invoke(() => bridge.Ports.Normal.Table.TryLookup(A, 0, bridge.Ports.Normal.Now, out uint port) ? port : 0);
        Assert.Equal(1u, learned);
    }

    [Fact]
    public void TraceSeesTheTablesAsTheyAreNow()
    {
        bridge.AddFlows(["in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2"]);
        PipelineMatch flow = MatchText.Parse("in_port=1,udp,nw_src=192.168.1.1,nw_dst=10.0.0.2,tp_src=1000,tp_dst=53");
        XlateTrace t = bridge.Trace(flow.PacketPart.Key);
        Assert.True(t.Succeeded, t.Error);
        Assert.Equal("set(ipv4(src=192.181.137.1)),2", Datapath.Actions.ActionFormatter.Format(t.Actions));
    }

    [Fact]
    public void APacketOutRunsItsActionsAndOutputTableRunsTheTables()
    {
        byte[] frame = Udp(7);
        bool ExecuteOut(uint inPort, params OpenFlow.Actions.OfAction[] actions) =>
            bridge.Invoke(() => bridge.ExecutePacketOut(frame, inPort, actions, out string? error) ? true : throw new InvalidOperationException(error));

        // Straight out of port 2, from the controller (no input port).
        Assert.True(ExecuteOut(OpenFlow.Fields.OfPorts.Controller, new OpenFlow.Actions.OutputAction(2)));
        Eventually.Until(() => p2.Sent.Count == 1, "the packet-out on port 2");
        Assert.Equal(frame, p2.Sent.First());

        // output:TABLE from port 1 goes where the tables send a packet from port 1, rewritten as they say.
        bridge.AddFlows(["in_port=1,udp,actions=mod_tp_dst:99,output:2"]);
        Assert.True(ExecuteOut(1, new OpenFlow.Actions.OutputAction(OpenFlow.Fields.OfPorts.Table)));
        Eventually.Until(() => p2.Sent.Count == 2, "the packet-out through the tables");
        Assert.Equal(99, (p2.Sent.Last()[36] << 8) | p2.Sent.Last()[37]);
        Assert.Empty(dp.Pmds[0].DumpFlows()); // a packet-out installs nothing

        // output:CONTROLLER comes back as a packet-in whose reason is the packet-out.
        Assert.True(ExecuteOut(OpenFlow.Fields.OfPorts.Controller, new OpenFlow.Actions.OutputAction(OpenFlow.Fields.OfPorts.Controller)));
        Eventually.Until(() => !packetIns.IsEmpty, "the packet-in");
        Assert.True(packetIns.TryDequeue(out PacketIn? pin));
        Assert.Equal(PacketInReason.PacketOut, pin.Reason);
        Assert.Equal(frame, pin.Data);

        // FLOOD from port 1 reaches every port but 1.
        Assert.True(ExecuteOut(1, new OpenFlow.Actions.OutputAction(OpenFlow.Fields.OfPorts.Flood)));
        Eventually.Until(() => p2.Sent.Count == 3, "the flood");
        Assert.Empty(p1.Sent);
    }

    [Fact]
    public void FailOpenSwitchesByNormalAboveTheRulesAndStopsWhenCleared()
    {
        bridge.AddFlows(["priority=100,actions=drop"]);
        bridge.Invoke(() => bridge.Xlate.FailOpen = true);
        p1.Inject(Udp(1));
        Eventually.Until(() => p2.Sent.Count == 1, "NORMAL's flood in fail-open");

        // Leaving fail-open revalidates the megaflow: the drop rule decides again.
        bridge.Invoke(() => bridge.Xlate.FailOpen = false);
        Eventually.Until(() => dp.Pmds[0].DumpFlows().All(f => f.Actions.Length == 0), "the megaflow to drop");
        p1.Inject(Udp(1));
        Eventually.Until(() => dp.GetPmdStats()[0].Packets >= 2, "the second packet");
        Thread.Sleep(50);
        Assert.Single(p2.Sent);
    }

    [Fact]
    public void TableMissesGoToTheControllerOnlyWhileAskedTo()
    {
        p1.Inject(Udp(1));
        Eventually.Until(() => dp.GetPmdStats()[0].Packets >= 1, "the first packet");
        Thread.Sleep(50);
        Assert.Empty(packetIns);

        bridge.Invoke(() => bridge.Xlate.TableMissToController = true);
        Eventually.Until(() => dp.Pmds[0].DumpFlows().All(f => f.Actions.Length > 0), "the megaflow to send to the controller");
        p1.Inject(Udp(1));
        Eventually.Until(() => !packetIns.IsEmpty, "the miss's packet-in");
        Assert.True(packetIns.TryDequeue(out PacketIn? pin));
        Assert.Equal(PacketInReason.NoMatch, pin.Reason);
        Assert.Equal(1u, pin.InPort);
    }
}
