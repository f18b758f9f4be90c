using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Datapath.CaptureFiles;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Replay;
using FastPath.Packets;
using FastPath.Traffic;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>Runs alone (no other test in parallel) so the process-wide GC count means something.</summary>
[CollectionDefinition(nameof(PmdAllocationTests), DisableParallelization = true)]
public class PmdAllocationCollection;

[Collection(nameof(PmdAllocationTests))]
public class PmdAllocationTests
{
    /// <summary>The steady-state forwarding loop allocates nothing and triggers no collection.</summary>
    [Fact]
    public void ForwardingAllocatesNothing()
    {
        using var pmd = new PmdThread(-1, new PmdOptions { EmcInsertInvProb = 1 });
        var replay = new ReplayNetdev("r", PcapFile.FromPackets(TrafficGenerator.UdpFlows(64)), loops: 0);
        var sink = new NullNetdev("n");
        pmd.TrySubmit(PmdCommand.PortAdd(2, sink.GetTxQueue(0)));
        pmd.TrySubmit(PmdCommand.RxqAdd(1, replay.GetRxQueue(0)));
        pmd.TrySubmit(PmdCommand.FlowPut(PmdTestFlows.Ipv4FromPort1, PmdTestFlows.RewriteAndOutput(2)));
        // Warm up for a second, not a count: tiered compilation promotes the loop's methods on a background
        // thread after its own delay, and code still at tier 0 allocates when it is patched over (OSR), which is
        // start-up cost, not what a PMD does in its steady state.
        int iterations = 0;
        long warmUntil = Environment.TickCount64 + 1000;
        Func<bool> warm = () => ++iterations > 2000 && Environment.TickCount64 > warmUntil;
        pmd.RunInline(warm);
        while (pmd.Replies.TryDequeue(out _))
        {
        }

        iterations = 0;
        Func<bool> measured = () => ++iterations > 20000;
        int gcs = GC.CollectionCount(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        pmd.RunInline(measured);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(gcs, GC.CollectionCount(0));
        PmdStatsSnapshot s = pmd.PeekStats();
        Assert.True(s.Packets > 100_000);
        Assert.Equal(0, s.Misses);
        Assert.Equal(s.Packets, sink.GetStats().TxPackets);
        replay.Dispose();
        sink.Dispose();
    }

}
