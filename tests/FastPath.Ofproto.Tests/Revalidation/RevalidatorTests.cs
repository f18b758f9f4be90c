using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Revalidation;
using FastPath.Ofproto.Tests.Upcalls;
using FastPath.Ofproto.Upcalls;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Revalidation;

/// <summary>Megaflows follow the tables: stats reach the rules, changes reach the PMDs, idle megaflows go.</summary>
public sealed class RevalidatorTests : IDisposable
{
    private static readonly byte[] Output2 = new ActionProgramBuilder().Output(2).ToArray();
    private static readonly byte[] Output3 = new ActionProgramBuilder().Output(3).ToArray();
    private static readonly FlowMatch RuleA = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.0.0.1").Build();
    private static readonly FlowMatch RuleB = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.0.0.2").Build();

    private readonly NetdevDatapath dp = new([-1]);
    private readonly MemoryNetdev p1 = new("p1");
    private readonly MemoryNetdev p2 = new("p2");
    private readonly MemoryNetdev p3 = new("p3");
    private readonly RuleListTranslator xlate = new([(RuleA, Output2), (RuleB, Output2)]);
    private readonly UpcallHandler handler;
    private readonly Revalidator revalidator;
    private readonly Xunit.Abstractions.ITestOutputHelper output;

    public RevalidatorTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        this.output = output;
        dp.Start();
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        dp.AddPort(p3, 3);
        handler = new UpcallHandler(dp.Pmds, xlate);
        revalidator = new Revalidator(handler, xlate);
    }

    public void Dispose() => dp.Dispose();

    private static byte[] From(string src, ushort sport = 1) => UpcallTestPackets.Udp4(src, "10.9.9.9", sport, 53);

    // Sends n packets of a flow and waits until port `outPort` has received `expected` in all.
    private void SendAndWait(string src, int n, MemoryNetdev outPort, int expected)
    {
        for (int i = 0; i < n; i++)
        {
            p1.Inject(From(src, (ushort)(100 + i)));
        }

        Eventually.Until(() => outPort.Sent.Count >= expected, $"{expected} packets out", () => handler.Poll(Stopwatch.GetTimestamp()));
    }

    // A pass runs every half second whether or not anything changed: it allocates nothing (before, a closure and
    // its delegate per PMD per pass, an enumerator for the ukey count, and a new 544-byte dump command per chunk).
    [Fact]
    public void APassOverUnchangedMegaflowsAllocatesNothing()
    {
        SendAndWait("10.0.0.1", 1, p2, 1);
        SendAndWait("10.0.0.2", 1, p2, 2);
        Assert.Equal(2, handler.Ukeys.Count);
        long passes = revalidator.Passes;
        Action pass = () => revalidator.Run(Stopwatch.GetTimestamp());
        long bytes = SteadyState.AllocatedBytes(pass);
        output.WriteLine($"{bytes} bytes per pass");
        Assert.Equal(0, bytes);
        Assert.True(revalidator.Passes > passes + 2);
        Assert.Equal(2, handler.Ukeys.Count);
    }

    [Fact]
    public void APmdThatDoesNotAnswerIsSkippedAndItsMegaflowsKept()
    {
        SendAndWait("10.0.0.1", 1, p2, 1);
        Assert.Equal(1, handler.Ukeys.Count);

        // A second PMD that never runs: its walk times out, the pass goes on, and the first PMD's ukey stays.
        using var idle = new PmdThread(-1);
        var ukeys = new UkeyTable(2);
        foreach (Ukey u in handler.Ukeys.Of(0))
        {
            ukeys.Set(0, u);
        }

        var both = new UpcallHandler(new PmdCommandPool([dp.Pmds[0], idle]), ukeys, xlate);
        var r = new Revalidator(both, xlate, new RevalidatorOptions { PmdTimeout = TimeSpan.FromMilliseconds(50) });
        r.Run(Stopwatch.GetTimestamp());
        Assert.Equal(1, r.UnansweredWalks);
        Assert.Equal(1, ukeys.Count);
        Assert.Equal(1, r.Passes);
    }

    [Fact]
    public void AMissWaitingDuringAPassIsServedBetweenItsChunksAndItsUkeyOutlivesThePass()
    {
        SendAndWait("10.0.0.1", 1, p2, 1);

        // One megaflow per chunk, so the pass makes round trips to the PMD; a new flow's miss waits on the ring.
        var r = new Revalidator(handler, xlate, new RevalidatorOptions { DumpChunk = 1 });
        p1.Inject(From("10.0.0.2"));
        Eventually.Until(() => dp.Pmds[0].Call(PmdCommand.StatsRequest()).Stats.Upcalls == 2, "the second miss on the upcall ring");
        long misses = handler.Misses;

        r.Run(Stopwatch.GetTimestamp());

        // The pass itself served it (nothing else polled the handler), and RemoveUnseen kept the ukey put during
        // the pass although the dump had not found its megaflow.
        Assert.Equal(misses + 1, handler.Misses);
        Assert.Equal(1, r.UpcallsServedInPass);
        Assert.Equal(2, handler.Ukeys.Count);
        Assert.Equal(0, r.Vanished);
        Eventually.Until(() => p2.Sent.Count == 2, "the second flow's packet out", () => handler.Poll(Stopwatch.GetTimestamp()));
    }

    [Fact]
    public void TrafficOfAMegaflowIsCreditedToItsRule()
    {
        SendAndWait("10.0.0.1", 10, p2, 10);
        SendAndWait("10.0.0.2", 4, p2, 14);
        revalidator.Run(Stopwatch.GetTimestamp());
        Assert.Equal(10, xlate.Rules[0].Packets);
        Assert.Equal(4, xlate.Rules[1].Packets);

        // Only new traffic is credited the next time.
        SendAndWait("10.0.0.1", 5, p2, 19);
        revalidator.Run(Stopwatch.GetTimestamp());
        Assert.Equal(15, xlate.Rules[0].Packets);
        Assert.Equal(4, xlate.Rules[1].Packets);
        Assert.Equal(15 * From("10.0.0.1").Length, xlate.Rules[0].Bytes);
    }

    [Fact]
    public void ARuleWhoseActionsChangeHasItsMegaflowModifiedInPlace()
    {
        SendAndWait("10.0.0.1", 3, p2, 3);
        xlate.Replace(0, Output3);
        revalidator.Run(Stopwatch.GetTimestamp());
        Assert.Equal(1, revalidator.Modified);
        Eventually.Until(() => dp.Pmds[0].DumpFlows()[0].Actions.SequenceEqual(Output3), "the modify to apply", () => handler.Poll(Stopwatch.GetTimestamp()));

        int translations = xlate.Translations;
        p1.Inject(From("10.0.0.1", 999));
        Eventually.Until(() => p3.Sent.Count == 1, "the packet on the new port", () => handler.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(3, p2.Sent.Count);
        Assert.Equal(translations, xlate.Translations);
        Assert.Equal(Output3, Assert.Single(dp.Pmds[0].DumpFlows()).Actions);
    }

    [Fact]
    public void ARuleThatGoesTakesItsMegaflowWithIt()
    {
        SendAndWait("10.0.0.2", 2, p2, 2);
        xlate.RemoveAt(1);
        revalidator.Run(Stopwatch.GetTimestamp());
        Assert.Equal(1, revalidator.ChangedDeleted);
        Eventually.Until(() => dp.Pmds[0].DumpFlows().Count == 0, "the megaflow to go", () => handler.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(0, handler.Ukeys.Count);

        // The next packet comes up, finds no rule, and is dropped.
        p1.Inject(From("10.0.0.2", 7));
        Eventually.Until(() => handler.TranslationDrops == 1, "the dropped miss", () => handler.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(2, p2.Sent.Count);
    }

    [Fact]
    public void AMegaflowIdleForTenSecondsIsRemovedAndABusyOneIsNot()
    {
        SendAndWait("10.0.0.1", 1, p2, 1);
        SendAndWait("10.0.0.2", 1, p2, 2);
        long t0 = Stopwatch.GetTimestamp();
        revalidator.Run(t0);

        // Flow B keeps sending; nine seconds later neither is idle long enough.
        SendAndWait("10.0.0.2", 1, p2, 3);
        revalidator.Run(t0 + (9 * Stopwatch.Frequency));
        Assert.Equal(0, revalidator.IdleDeleted);

        // At 10.5 s flow A has been idle 10.5 s, B only 1.5 s.
        revalidator.Run(t0 + (long)(10.5 * Stopwatch.Frequency));
        Assert.Equal(1, revalidator.IdleDeleted);
        Eventually.Until(() => dp.Pmds[0].DumpFlows().Count == 1, "the idle megaflow to go", () => handler.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(RuleB.Key, Assert.Single(dp.Pmds[0].DumpFlows()).Match.Key);
    }

    [Fact]
    public void MegaflowsTheSlowPathDidNotMakeAreDeletedAndVanishedOnesForgotten()
    {
        FlowMatch stray = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.7.7.7").Build();
        dp.PutFlow(stray, Output2);
        SendAndWait("10.0.0.1", 1, p2, 1);
        revalidator.Run(Stopwatch.GetTimestamp());
        Assert.Equal(1, revalidator.UnknownDeleted);
        Eventually.Until(() => dp.Pmds[0].DumpFlows().Count == 1, "the stray megaflow to go", () => handler.Poll(Stopwatch.GetTimestamp()));

        dp.FlushFlows();
        revalidator.Run(Stopwatch.GetTimestamp());
        Assert.Equal(1, revalidator.Vanished);
        Assert.Equal(0, handler.Ukeys.Count);
    }
}
