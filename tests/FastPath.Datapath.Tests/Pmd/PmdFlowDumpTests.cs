using System.Reflection;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>
/// What keeps a PMD's poll iterations short under control-plane load: chunked flow dumps, a bound on the
/// commands applied per iteration, rehash work in idle iterations, and the counter that measures the worst
/// iteration. The PMD is driven iteration by iteration (<c>PollOnce</c>) so each bound is checked exactly.
/// </summary>
public class PmdFlowDumpTests
{
    private static readonly byte[] Output2 = new ActionProgramBuilder().Output(2).ToArray();

    private static FlowMatch Flow(int i) =>
        new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src($"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}").Build();

    private static void Submit(PmdThread pmd, PmdCommand command) => Assert.True(pmd.TrySubmit(command));

    private static List<PmdCommand> Replies(PmdThread pmd)
    {
        var list = new List<PmdCommand>();
        while (pmd.Replies.TryDequeue(out PmdCommand r))
        {
            list.Add(r);
        }

        return list;
    }

    [Fact]
    public void ADumpComesInBoundedChunksThatTogetherListEveryFlowOnce()
    {
        using var dp = new NetdevDatapath([-1]);
        dp.Start();
        for (int i = 0; i < 100; i++)
        {
            dp.PutFlow(Flow(i), Output2);
        }

        PmdThread pmd = dp.Pmds[0];
        PmdCommand first = pmd.Call(PmdCommand.FlowDump(0, 30));
        Assert.True(first.Ok);
        Assert.Equal(30, first.Flows!.Count);
        Assert.True(first.NextCursor > 0);

        List<DatapathFlow> all = pmd.DumpFlows(chunk: 7);
        Assert.Equal(100, all.Count);
        var expected = Enumerable.Range(0, 100).Select(i => Flow(i).Key).ToHashSet();
        Assert.True(expected.SetEquals(all.Select(f => f.Match.Key)));
        Assert.All(all, f => Assert.Equal(Output2, f.Actions));
        Assert.Equal(100, pmd.EnumerateFlows().Count());
    }

    [Fact]
    public void ADumpChunkAllocatesNothingOnThePmdThread()
    {
        // An allocation on a PMD can start a collection that stops forwarding: the chunk goes into the caller's buffer.
        using var pmd = new PmdThread(-1, new PmdOptions { CommandRingSize = 256 });
        for (int i = 0; i < 100; i++)
        {
            Submit(pmd, PmdCommand.FlowPut(Flow(i), Output2));
            pmd.PollOnce();
        }

        Replies(pmd);
        var buffer = new FlowDumpBuffer(256);

        // A first dump runs the code once (a first call may allocate in the runtime); the second is measured.
        Submit(pmd, PmdCommand.FlowDump(0, buffer));
        pmd.PollOnce();
        Replies(pmd);
        PmdCommand dump = PmdCommand.FlowDump(0, buffer);
        Submit(pmd, dump);
        long before = GC.GetAllocatedBytesForCurrentThread();
        pmd.PollOnce();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Same(dump, Assert.Single(Replies(pmd)));
        Assert.Equal(100, buffer.Count);
        Assert.Equal(-1, dump.NextCursor);
        Assert.Equal(Output2, buffer[42].Actions);
    }

    [Fact]
    public void FlowPutsIntoAnExistingSubtableAllocateNothingOnThePmdThread()
    {
        using var pmd = new PmdThread(-1, new PmdOptions { CommandRingSize = 256 });
        Submit(pmd, PmdCommand.FlowPut(Flow(0), Output2));
        pmd.PollOnce();
        Replies(pmd);
        PmdCommand[] puts = [.. Enumerable.Range(1, 64).Select(i => PmdCommand.FlowPut(Flow(i), Output2))];
        foreach (PmdCommand put in puts)
        {
            Submit(pmd, put);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        pmd.PollOnce();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.All(Replies(pmd), r => Assert.True(r.Ok));
    }

    [Fact]
    public void FlowsWhoseActionsOverflowTheBufferAreStillDumpedWhole()
    {
        using var dp = new NetdevDatapath([-1]);
        dp.Start();
        var big = new ActionProgramBuilder();
        for (int k = 0; k < 12; k++)
        {
            big.SetEthSrc([2, 0, 0, 0, 0, (byte)k]);
        }

        byte[] bigActions = big.Output(2).ToArray();
        Assert.True(bigActions.Length > 64, "one flow's actions must exceed a one-flow buffer's room");
        for (int i = 0; i < 5; i++)
        {
            dp.PutFlow(Flow(i), i % 2 == 0 ? bigActions : Output2);
        }

        PmdThread pmd = dp.Pmds[0];
        var buffer = new FlowDumpBuffer(1);
        PmdCommand first = pmd.Call(PmdCommand.FlowDump(0, buffer));
        Assert.Empty(buffer);
        Assert.Equal(bigActions.Length, buffer.ActionBytesNeeded);
        Assert.Equal(0, first.NextCursor);

        List<DatapathFlow> all = pmd.DumpFlows(chunk: 1);
        Assert.Equal(5, all.Count);
        Assert.Equal(3, all.Count(f => f.Actions.SequenceEqual(bigActions)));
        Assert.Equal(2, all.Count(f => f.Actions.SequenceEqual(Output2)));
        Assert.Equal(5, pmd.DumpFlows(chunk: 4).Count);
    }

    [Fact]
    public void AFlushLeavesFreeingTheOldMegaflowsToAnotherThread()
    {
        // Freeing walks every record; with a million flows that is milliseconds the PMD must not spend.
        using var pmd = new PmdThread(-1, new PmdOptions { CommandRingSize = 256 });
        FieldInfo field = typeof(PmdThread).GetField("classifier", BindingFlags.NonPublic | BindingFlags.Instance)!;
        for (int i = 0; i < 1000; i++)
        {
            Submit(pmd, PmdCommand.FlowPut(Flow(i), Output2));
            if (i % 64 == 63)
            {
                pmd.PollOnce();
            }
        }

        pmd.PollOnce();
        Assert.All(Replies(pmd), r => Assert.True(r.Ok));
        var old = (MegaflowClassifier)field.GetValue(pmd)!;
        Assert.Equal(1000, old.Count);

        Submit(pmd, PmdCommand.Flush());
        pmd.PollOnce();
        Assert.True(Assert.Single(Replies(pmd)).Ok);
        var current = (MegaflowClassifier)field.GetValue(pmd)!;
        Assert.NotSame(old, current);
        Assert.Equal(0, current.Count);

        // The old classifier is disposed off the PMD thread, soon.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!old.IsDisposed && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Assert.True(old.IsDisposed, "the flushed classifier was never freed");

        // And the PMD goes on with the new one.
        Submit(pmd, PmdCommand.FlowPut(Flow(7), Output2));
        pmd.PollOnce();
        Assert.True(Assert.Single(Replies(pmd)).Ok);
        Assert.Equal(1, current.Count);
    }

    [Fact]
    public void FlowDumpArgumentsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PmdCommand.FlowDump(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PmdCommand.FlowDump(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PmdCommand.FlowDump(0, PmdCommand.MaxDumpChunk + 1));
        Assert.Equal(PmdCommand.DefaultDumpChunk, PmdCommand.FlowDump().MaxFlows);
    }

    [Fact]
    public void AnIterationAppliesAtMost64Commands()
    {
        using var pmd = new PmdThread(-1, new PmdOptions { CommandRingSize = 256 });
        for (int i = 0; i < 200; i++)
        {
            Submit(pmd, PmdCommand.FlowPut(Flow(i), Output2));
        }

        pmd.PollOnce();
        Assert.Equal(64, pmd.PeekStats().Commands);
        Assert.Equal(64, Replies(pmd).Count);
        pmd.PollOnce();
        pmd.PollOnce();
        pmd.PollOnce();
        Assert.Equal(200, pmd.PeekStats().Commands);
        Assert.All(Replies(pmd), r => Assert.True(r.Ok));
    }

    [Fact]
    public void IdleIterationsFinishARehashThatInsertsBegan()
    {
        using var pmd = new PmdThread(-1, new PmdOptions { CommandRingSize = 256 });
        var classifier = (MegaflowClassifier)typeof(PmdThread).GetField("classifier", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(pmd)!;

        // 8193 flows: the last insert doubles a 2048-bucket table, whose draining takes far more than the
        // last few inserts' share.
        int n = 0;
        while (n < 8193)
        {
            for (int k = 0; k < 64 && n < 8193; k++)
            {
                Submit(pmd, PmdCommand.FlowPut(Flow(n++), Output2));
            }

            pmd.PollOnce();
            Replies(pmd);
        }

        Assert.True(classifier.RehashPending);
        int iterations = 0;
        while (classifier.RehashPending)
        {
            pmd.PollOnce();
            Assert.True(++iterations <= 2048 / 32, "idle iterations drain 32 buckets each");
        }

        Assert.Equal(8193, classifier.Count);
    }

    [Fact]
    public void TheWorstIterationIsCountedAndClearedWithTheStats()
    {
        using var pmd = new PmdThread(-1);
        for (int i = 0; i < 10; i++)
        {
            pmd.PollOnce();
        }

        PmdStatsSnapshot s = pmd.PeekStats();
        Assert.True(s.MaxIterationCycles > 0);
        Assert.True(s.MaxIterationCycles <= s.BusyCycles + s.IdleCycles);

        // 64 flow puts in one iteration take longer than an empty iteration; the maximum is at least that one.
        for (int i = 0; i < 64; i++)
        {
            Submit(pmd, PmdCommand.FlowPut(Flow(i), Output2));
        }

        long idleBefore = pmd.PeekStats().IdleCycles;
        pmd.PollOnce();
        long busiest = pmd.PeekStats().IdleCycles - idleBefore;
        Assert.True(pmd.PeekStats().MaxIterationCycles >= busiest);

        Submit(pmd, PmdCommand.StatsClear());
        pmd.PollOnce();
        s = pmd.PeekStats();
        Assert.True(s.MaxIterationCycles <= s.BusyCycles + s.IdleCycles, "cleared with the other counters");
        Assert.True(s.MaxIterationCycles < busiest || s.Iterations <= 1);
    }
}
