using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Groups;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;

namespace FastPath.Ofproto.Tests.Groups;

/// <summary>
/// Groups on a real datapath: the ofproto thread translates misses through rules that send to groups, installs
/// the megaflows, and the PMD forwards; an all group copies every packet to two ports, and a fast-failover group
/// moves the traffic when its watched port goes down (the revalidator translates the megaflow again).
/// </summary>
public sealed class GroupForwardingTests : IDisposable
{
    private readonly NetdevDatapath dp = new([-1]);
    private readonly MemoryNetdev p1 = new("p1");
    private readonly MemoryNetdev p2 = new("p2");
    private readonly MemoryNetdev p3 = new("p3");
    private readonly OfPipeline pipeline = new();
    private readonly BridgePorts ports = new();
    private readonly OfprotoThread ofproto;

    public GroupForwardingTests()
    {
        dp.Start();
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        dp.AddPort(p3, 3);
        ports.Set(1);
        ports.Set(2);
        ports.Set(3);
        ofproto = new OfprotoThread(dp.Pmds, new OfXlate(pipeline, ports));
        ofproto.Start();
    }

    public void Dispose()
    {
        ofproto.Dispose();
        dp.Dispose();
    }

    private static byte[] Udp(string src, ushort sport) => Upcalls.UpcallTestPackets.Udp4(src, "10.0.0.2", sport, 53);

    private void AddGroup(string text) =>
        ofproto.Invoke(() => pipeline.ApplyGroupMod(new GroupMod(GroupModCommand.Add, GroupText.Parse(text)), Stopwatch.GetTimestamp()));

    private void AddFlow(string text) =>
        ofproto.Invoke(() => pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(text)), Stopwatch.GetTimestamp()));

    [Fact]
    public void AnAllGroupCopiesEveryPacketToBothPortsAndCountsThem()
    {
        AddGroup("group_id=1,type=all,bucket=mod_nw_src:192.0.2.9,output:2,bucket=output:3");
        AddFlow("in_port=1,ip,actions=group:1");
        for (ushort i = 0; i < 40; i++)
        {
            p1.Inject(Udp("10.0.0.1", (ushort)(1000 + i)));
        }

        Eventually.Until(() => p2.Sent.Count == 40 && p3.Sent.Count == 40, "40 packets on each of ports 2 and 3");
        var rewritten = Enumerable.Range(0, 40).Select(i => Convert.ToHexString(Udp("192.0.2.9", (ushort)(1000 + i)))).ToHashSet();
        var original = Enumerable.Range(0, 40).Select(i => Convert.ToHexString(Udp("10.0.0.1", (ushort)(1000 + i)))).ToHashSet();
        Assert.True(rewritten.SetEquals(p2.Sent.Select(Convert.ToHexString)), "port 2 must get the rewritten packets");
        Assert.True(original.SetEquals(p3.Sent.Select(Convert.ToHexString)), "port 3 must get the packets as they came in");

        // The group and both its buckets are credited with every packet once the revalidator has run.
        Eventually.Until(
            () => ofproto.Invoke(() => pipeline.Groups.Find(1)!.Packets == 40 && pipeline.Groups.Find(1)!.Buckets.All(b => b.Packets == 40)),
            "the group's and its buckets' counters to reach 40");
    }

    [Fact]
    public void AFastFailoverGroupMovesTheTrafficWhenItsPortGoesDown()
    {
        AddGroup("group_id=1,type=ff,bucket=watch_port:2,output:2,bucket=watch_port:3,output:3");
        AddFlow("in_port=1,ip,actions=group:1");
        p1.Inject(Udp("10.0.0.1", 1));
        Eventually.Until(() => p2.Sent.Count == 1, "the first packet on port 2");

        ofproto.Invoke(() =>
        {
            ports.SetLive(2, false);
            return 0;
        });

        // The megaflow sending to port 2 is translated again and now sends to port 3; the packets that follow go there.
        Eventually.Until(
            () => dp.Pmds[0].DumpFlows().Any(f => ActionFormatter.Format(f.Actions) == "3"),
            "the megaflow to be revalidated to port 3");
        for (ushort i = 0; i < 10; i++)
        {
            p1.Inject(Udp("10.0.0.1", 1));
        }

        Eventually.Until(() => p3.Sent.Count == 10, "10 packets on port 3");
        Assert.Single(p2.Sent);

        ofproto.Invoke(() =>
        {
            ports.SetLive(2, true);
            return 0;
        });
        Eventually.Until(
            () => dp.Pmds[0].DumpFlows().Any(f => ActionFormatter.Format(f.Actions) == "2"),
            "the megaflow to go back to port 2");
        p1.Inject(Udp("10.0.0.1", 1));
        Eventually.Until(() => p2.Sent.Count == 2, "the traffic back on port 2");
    }

    [Fact]
    public void DeletingTheGroupDeletesItsRuleAndStopsTheTraffic()
    {
        AddGroup("group_id=1,type=indirect,bucket=output:2");
        AddFlow("in_port=1,ip,actions=group:1");
        p1.Inject(Udp("10.0.0.1", 1));
        Eventually.Until(() => p2.Sent.Count == 1, "the first packet");
        List<RemovedRule> removed = ofproto.Invoke(() => pipeline.ApplyGroupMod(GroupMod.Delete(1), Stopwatch.GetTimestamp()));
        Assert.Equal(FlowRemovedReason.GroupDelete, Assert.Single(removed).Reason);
        Eventually.Until(() => dp.Pmds[0].DumpFlows().All(f => ActionFormatter.Format(f.Actions) != "2"), "the megaflow to stop sending to port 2");
        p1.Inject(Udp("10.0.0.1", 2));
        Eventually.Until(() => ofproto.Invoke(() => ofproto.Upcalls.Misses) >= 2 || dp.Pmds[0].DumpFlows().Count > 0, "the second packet to be handled");
        Thread.Sleep(50);
        Assert.Single(p2.Sent);
    }
}
