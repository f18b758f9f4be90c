using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Tests.Upcalls;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests;

/// <summary>The ofproto thread serves upcalls by itself, revalidates on a table change, and runs posted work on itself.</summary>
public sealed class OfprotoThreadTests : IDisposable
{
    private static readonly byte[] Output2 = new ActionProgramBuilder().Output(2).ToArray();
    private static readonly byte[] Output3 = new ActionProgramBuilder().Output(3).ToArray();
    private static readonly FlowMatch RuleA = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.0.0.1").Build();

    private readonly NetdevDatapath dp = new([-1]);
    private readonly MemoryNetdev p1 = new("p1");
    private readonly MemoryNetdev p2 = new("p2");
    private readonly MemoryNetdev p3 = new("p3");
    private readonly RuleListTranslator xlate = new([(RuleA, Output2)]);
    private readonly OfprotoThread ofproto;

    public OfprotoThreadTests()
    {
        dp.Start();
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        dp.AddPort(p3, 3);
        ofproto = new OfprotoThread(dp.Pmds, xlate, new OfprotoOptions { RevalidateInterval = TimeSpan.FromHours(1) });
    }

    public void Dispose()
    {
        ofproto.Dispose();
        dp.Dispose();
    }

    [Fact]
    public void BeforeStartInvokedWorkRunsOnTheCallerAndAfterOnTheThread()
    {
        int caller = Environment.CurrentManagedThreadId;
        Assert.Equal(caller, ofproto.Invoke(() => Environment.CurrentManagedThreadId));
        ofproto.Start();
        Assert.NotEqual(caller, ofproto.Invoke(() => Environment.CurrentManagedThreadId));
        Assert.True(ofproto.Invoke(() => ofproto.IsCurrentThread));
    }

    [Fact]
    public void TheThreadRunsOnTheCoreItIsGiven()
    {
        using var pinned = new OfprotoThread(dp.Pmds, xlate, new OfprotoOptions { Core = 0 });
        pinned.Start();
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(0, pinned.Invoke(Native.Cpu.CurrentCpu));
        }
    }

    [Fact]
    public void PacketsAreForwardedByTheMegaflowTheThreadInstalledAndFollowATableChange()
    {
        ofproto.Start();
        for (int i = 0; i < 5; i++)
        {
            p1.Inject(UpcallTestPackets.Udp4("10.0.0.1", "10.9.9.9", (ushort)(100 + i), 53));
        }

        Eventually.Until(() => p2.Sent.Count == 5, "5 packets on port 2");
        // Packets that missed before the megaflow was in all came up; they made one megaflow.
        Assert.Equal(1, ofproto.Invoke(() => ofproto.Upcalls.Ukeys.Count));
        Assert.Single(dp.Pmds[0].DumpFlows());

        // The table changes on the ofproto thread, as OpenFlow handlers will change it; the megaflow follows without a timer.
        ofproto.Invoke(() =>
        {
            xlate.Replace(0, Output3);
            return 0;
        });
        Eventually.Until(() => dp.Pmds[0].DumpFlows().Single().Actions.SequenceEqual(Output3), "the megaflow to follow the change");
        p1.Inject(UpcallTestPackets.Udp4("10.0.0.1", "10.9.9.9", 999, 53));
        Eventually.Until(() => p3.Sent.Count == 1, "the packet on port 3");
        Assert.Equal(5, p2.Sent.Count);
        Assert.Null(ofproto.Fault);
    }

    [Fact]
    public void TableChangesWithoutAnyMegaflowCostNoRevalidationPass()
    {
        // ovs-ofctl add-flows sends each flow-mod with a barrier and waits for the reply: one change per round trip.
        // Each used to be followed by a pass, which asks every PMD for its flow dump and waits for the answer, so
        // 10 000 rules loaded at about 170 a second. With no megaflow there is nothing a pass could re-translate.
        ofproto.Start();
        for (int i = 0; i < 1000; i++)
        {
            ofproto.Invoke(() =>
            {
                xlate.Replace(0, i % 2 == 0 ? Output3 : Output2);
                return 0;
            });
        }

        Assert.Equal(0, ofproto.Invoke(() => ofproto.Revalidator.Passes));
        Assert.InRange(ofproto.Invoke(() => ofproto.ChangesWithoutMegaflows), 1, 1000);

        // The first packet after them is translated by the latest table.
        p1.Inject(UpcallTestPackets.Udp4("10.0.0.1", "10.9.9.9", 100, 53));
        Eventually.Until(() => p2.Sent.Count == 1, "the packet on port 2 (the last change's output)");
        Assert.Empty(p3.Sent);
    }

    [Fact]
    public void ABurstOfTableChangesIsRevalidatedByOnePassAfterIt()
    {
        ofproto.Start();
        p1.Inject(UpcallTestPackets.Udp4("10.0.0.1", "10.9.9.9", 100, 53));
        Eventually.Until(() => p2.Sent.Count == 1, "the packet on port 2");
        Assert.Equal(1, ofproto.Invoke(() => ofproto.Upcalls.Ukeys.Count));
        long before = ofproto.Invoke(() => ofproto.Revalidator.Passes);

        // 1000 flow-mods queued while the thread is busy, as a controller pipelines them: the thread serves 256
        // requests per round, and used to revalidate after each round; the megaflow needs one pass, after the last.
        using var gate = new ManualResetEventSlim();
        Assert.True(ofproto.EnqueueAsync(gate.Wait, _ => { }).IsCompletedSuccessfully);
        for (int i = 0; i < 1000; i++)
        {
            byte[] actions = i % 2 == 0 ? Output2 : Output3;
            Assert.True(ofproto.EnqueueAsync(() => xlate.Replace(0, actions), _ => { }).IsCompletedSuccessfully);
        }

        gate.Set();
        Eventually.Until(() => dp.Pmds[0].DumpFlows().Single().Actions.SequenceEqual(Output3), "the megaflow to follow the last change");
        Assert.Equal(before + 1, ofproto.Invoke(() => ofproto.Revalidator.Passes));
        Assert.Null(ofproto.Fault);
    }

    [Fact]
    public void PostedWorkRunsOnTheOfprotoThreadAndFailsCleanlyAfterStop()
    {
        ofproto.Start();
        Assert.True(ofproto.Invoke(() => ofproto.IsCurrentThread));
        Assert.False(ofproto.IsCurrentThread);

        Task<int> failing = ofproto.InvokeAsync<int>(() => throw new ArgumentException("bad request"));
        Assert.Throws<ArgumentException>(() => failing.GetAwaiter().GetResult());

        // A failing request does not stop the thread.
        Assert.Equal(42, ofproto.Invoke(() => 42));
        Assert.Null(ofproto.Fault);

        ofproto.Dispose();
        Task<int> late = ofproto.InvokeAsync(() => 1);
        Assert.True(late.IsFaulted);
    }

    [Fact]
    public void TimersRunOnTheThreadAndCannotBeAddedOnceItRuns()
    {
        int ticks = 0;
        bool onThread = true;
        ofproto.AddTimer(_ =>
        {
            onThread &= ofproto.IsCurrentThread;
            Interlocked.Increment(ref ticks);
        });
        ofproto.Start();
        Eventually.Until(() => Volatile.Read(ref ticks) >= 3, "three timer ticks");
        Assert.True(Volatile.Read(ref onThread));
        Assert.Throws<InvalidOperationException>(() => ofproto.AddTimer(_ => { }));
    }
}
