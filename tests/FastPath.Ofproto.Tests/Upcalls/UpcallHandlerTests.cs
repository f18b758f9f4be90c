using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Upcalls;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Upcalls;

/// <summary>Misses go up, megaflows come down to the PMD that missed, and the packet is executed, on a real datapath.</summary>
public class UpcallHandlerTests
{
    private static readonly byte[] Output2 = new ActionProgramBuilder().Output(2).ToArray();

    private static (NetdevDatapath Dp, MemoryNetdev In, MemoryNetdev Out, MemoryNetdev In3) Start()
    {
        var dp = new NetdevDatapath([-1]);
        dp.Start();
        var p1 = new MemoryNetdev("p1");
        var p2 = new MemoryNetdev("p2");
        var p3 = new MemoryNetdev("p3");
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        dp.AddPort(p3, 3);
        return (dp, p1, p2, p3);
    }

    [Fact]
    public void AMissInstallsItsMegaflowAndTheFirstPacketIsExecutedToo()
    {
        var (dp, p1, p2, _) = Start();
        using var _d = dp;
        FlowMatch rule = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.0.0.1").Build();
        var xlate = new RuleListTranslator([(rule, Output2)]);
        var h = new UpcallHandler(dp.Pmds, xlate);

        byte[] pkt = UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", 1000, 53);
        p1.Inject(pkt);
        Eventually.Until(() => !p2.Sent.IsEmpty, "the executed first packet", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.True(p2.Sent.TryDequeue(out byte[]? first));
        Assert.Equal(pkt, first);
        Assert.Equal(1, h.MegaflowsPut);
        Assert.Equal(1, h.Executed);

        // The following packets of the flow, and others the megaflow covers, never come up.
        for (int i = 0; i < 20; i++)
        {
            p1.Inject(UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", (ushort)(2000 + i), 53));
        }

        Eventually.Until(() => p2.Sent.Count == 20, "20 forwarded packets", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(1, xlate.Translations);
        Assert.Equal(1, dp.GetPmdStats()[0].Upcalls);
        DatapathFlow flow = Assert.Single(dp.Pmds[0].DumpFlows());
        Assert.Equal(rule.Key, flow.Match.Key);
        Assert.Equal(20, flow.Packets);

        // The first packet, executed rather than forwarded by the megaflow, was credited to the rule already.
        Assert.Equal(1, xlate.Rules[0].Packets);
        Assert.Equal(pkt.Length, xlate.Rules[0].Bytes);
        Assert.Equal(1, h.Ukeys.Count);
    }

    [Fact]
    public void MissesQueuedBeforeTheirMegaflowIsInPlaceAreExecutedAndInstallItOnce()
    {
        var (dp, p1, p2, _) = Start();
        using var _d = dp;
        FlowMatch rule = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.0.0.1").Build();
        var xlate = new RuleListTranslator([(rule, Output2)]);
        var h = new UpcallHandler(dp.Pmds, xlate);

        // Five packets of the flow miss before the slow path has looked at any of them.
        for (int i = 0; i < 5; i++)
        {
            p1.Inject(UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", (ushort)(1000 + i), 53));
        }

        Eventually.Until(() => dp.GetPmdStats()[0].Upcalls == 5, "five misses");
        Eventually.Until(() => p2.Sent.Count == 5, "all five executed", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(5, h.Misses);
        Assert.Equal(1, h.MegaflowsPut);
        Assert.Equal(4, h.AlreadyInstalled);
        Assert.Equal(5, h.Executed);
        Assert.Single(dp.Pmds[0].DumpFlows());
    }

    [Fact]
    public void AMissTheTranslatorDropsIsNeitherInstalledNorExecuted()
    {
        var (dp, p1, p2, _) = Start();
        using var _d = dp;
        var xlate = new RuleListTranslator([]);
        var h = new UpcallHandler(dp.Pmds, xlate);
        p1.Inject(UpcallTestPackets.Udp4("10.0.0.9", "10.0.0.2", 1, 2));
        Eventually.Until(() => h.TranslationDrops == 1, "the dropped miss", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(0, h.MegaflowsPut);
        Assert.Empty(dp.Pmds[0].DumpFlows());
        Assert.True(p2.Sent.IsEmpty);
    }

    [Fact]
    public void AFloodOfNewFlowsOnOnePortIsRateLimitedWithoutStarvingAnother()
    {
        var (dp, p1, p2, p3) = Start();
        using var _d = dp;
        FlowMatch any1 = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.1.0.0/16").Build();
        FlowMatch any3 = new MatchBuilder().InPort(3).EthType(EtherTypes.Ipv4).Build();

        // Every packet of port 1 is a new megaflow (exact source); port 3's flow is one megaflow.
        var xlate = new ExactSourceTranslator(any1, any3, Output2);
        var h = new UpcallHandler(dp.Pmds, xlate, new UpcallHandlerOptions { RateLimit = true, UpcallsPerSecondPerPort = 0.001, UpcallBurstPerPort = 10 });
        for (int i = 0; i < 50; i++)
        {
            p1.Inject(UpcallTestPackets.Udp4($"10.1.0.{i + 1}", "10.0.0.2", 1, 2));
        }

        Eventually.Until(() => h.Misses == 50, "50 misses from port 1", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(10, h.MegaflowsPut);
        Assert.Equal(40, h.RateLimited);

        p3.Inject(UpcallTestPackets.Udp4("10.3.0.1", "10.0.0.2", 1, 2));
        Eventually.Until(() => h.MegaflowsPut == 11, "port 3's megaflow", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(40, h.RateLimited);
    }

    [Fact]
    public void NewFlowsAreNotRateLimitedByDefaultAsInOpenVSwitch()
    {
        var (dp, p1, _, _) = Start();
        using var _d = dp;
        FlowMatch any1 = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.1.0.0/16").Build();
        var xlate = new ExactSourceTranslator(any1, any1, Output2);
        var h = new UpcallHandler(dp.Pmds, xlate);
        Assert.False(h.Options.RateLimit);

        // Far above the burst a limited port would get at once (2000): every new flow is set up.
        const int Flows = 2500;
        for (int i = 0; i < Flows; i++)
        {
            p1.Inject(UpcallTestPackets.Udp4($"10.1.{i >> 8}.{i & 0xff}", "10.0.0.2", 1, 2));
            if (i % 250 == 249)
            {
                // In steps the upcall ring holds (a full ring would drop misses, which is another bound).
                Eventually.Until(() => h.Misses == i + 1, $"{i + 1} misses", () => h.Poll(Stopwatch.GetTimestamp()));
            }
        }

        Assert.Equal(0, h.RateLimited);
        Assert.Equal(Flows, h.MegaflowsPut);
    }

    [Fact]
    public void TheRateLimitCanBeTurnedOnAndOffWhileRunning()
    {
        var (dp, p1, _, _) = Start();
        using var _d = dp;
        FlowMatch any1 = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.1.0.0/16").Build();
        var xlate = new ExactSourceTranslator(any1, any1, Output2);
        var h = new UpcallHandler(dp.Pmds, xlate);
        h.Options = h.Options with { RateLimit = true, UpcallsPerSecondPerPort = 0.001, UpcallBurstPerPort = 5 };
        for (int i = 0; i < 20; i++)
        {
            p1.Inject(UpcallTestPackets.Udp4($"10.1.0.{i + 1}", "10.0.0.2", 1, 2));
        }

        Eventually.Until(() => h.Misses == 20, "20 misses", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(5, h.MegaflowsPut);
        Assert.Equal(15, h.RateLimited);

        h.Options = h.Options with { RateLimit = false };
        for (int i = 0; i < 20; i++)
        {
            p1.Inject(UpcallTestPackets.Udp4($"10.1.1.{i + 1}", "10.0.0.2", 1, 2));
        }

        Eventually.Until(() => h.Misses == 40, "20 more misses", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(25, h.MegaflowsPut);
        Assert.Equal(15, h.RateLimited);
    }

    [Fact]
    public void ExecutesAreRecycledButACommandSomeoneElseSentIsNot()
    {
        var (dp, p1, p2, _) = Start();
        using var _d = dp;
        var pool = new PmdCommandPool(dp.Pmds);
        byte[] packet = UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2);
        for (int i = 0; i < 100; i++)
        {
            Assert.True(pool.TryExecute(0, packet, 1, Output2));
            Eventually.Until(() => p2.Sent.Count == i + 1 && pool.InFlight(0) == 0, $"execute {i} answered", () => pool.DrainReplies(0));
        }

        // One command (and its packet buffer) served all 100, the packet copied each time.
        Assert.Equal(1, pool.Allocated);
        Assert.All(p2.Sent, sent => Assert.Equal(packet, sent));

        // A packet-out's execute comes back on the same reply ring; its sender still watches it, so the pool
        // must leave it alone: the next execute is made new rather than rearming that one.
        var foreign = PmdCommand.Execute(packet, 1, Output2);
        Assert.True(pool.TryExecute(0, packet, 1, Output2));
        Assert.True(dp.Pmds[0].TrySubmit(foreign));
        Eventually.Until(() => p2.Sent.Count == 102 && pool.InFlight(0) == 0 && dp.Pmds[0].Replies.Count == 0 && foreign.IsCompleted, "both executes answered", () => pool.DrainReplies(0));
        Assert.True(pool.TryExecute(0, packet, 1, Output2));
        Assert.True(pool.TryExecute(0, packet, 1, Output2));
        Assert.Equal(2, pool.Allocated);
        Assert.True(foreign.IsCompleted);
        Assert.Same(packet, foreign.Packet);
        Eventually.Until(() => p2.Sent.Count == 104, "the last two", () => pool.DrainReplies(0));
        _ = p1;
    }

    [Fact]
    public void AFloodOfMissesLeavesNoMoreThanTheBoundOfCommandsUnansweredOnAPmd()
    {
        var (dp, p1, p2, _) = Start();
        using var _d = dp;
        FlowMatch any1 = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.1.0.0/16").Build();
        var xlate = new ExactSourceTranslator(any1, any1, Output2);
        var h = new UpcallHandler(dp.Pmds, xlate, new UpcallHandlerOptions { MaxCommandsInFlightPerPmd = 4 });
        for (int i = 0; i < 50; i++)
        {
            p1.Inject(UpcallTestPackets.Udp4($"10.1.0.{i + 1}", "10.0.0.2", 1, 2));
        }

        Eventually.Until(() => dp.GetPmdStats()[0].Upcalls == 50, "50 misses on the upcall ring");

        // One poll: each miss queues a put and an execute, so two misses fill the bound; the rest wait.
        h.Poll(Stopwatch.GetTimestamp());
        Assert.Equal(2, h.Misses);
        Assert.Equal(4, h.Commands.InFlight(0));
        Assert.True(h.Backlogged);

        // As the PMD answers, the rest follow, none lost.
        Eventually.Until(() => h.Misses == 50 && p2.Sent.Count == 50, "every miss served", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.Equal(50, h.MegaflowsPut);
        Eventually.Until(() => h.Commands.InFlight(0) == 0, "every answer drained", () => h.Poll(Stopwatch.GetTimestamp()));
        Assert.False(h.Backlogged);

        // The PMD counts its megaflows itself (memory/show and dpctl/show read it in one round trip).
        Assert.Equal(50, dp.Pmds[0].Call(PmdCommand.StatsRequest()).Stats.Megaflows);
        Assert.Equal(50, dp.Pmds[0].DumpFlows().Count);
    }

    [Fact]
    public void FlowPutCommandsAreRecycled()
    {
        var (dp, p1, _, _) = Start();
        using var _d = dp;
        FlowMatch any1 = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("10.1.0.0/16").Build();
        var xlate = new ExactSourceTranslator(any1, any1, Output2);
        var h = new UpcallHandler(dp.Pmds, xlate);
        for (int round = 0; round < 10; round++)
        {
            for (int i = 0; i < 30; i++)
            {
                p1.Inject(UpcallTestPackets.Udp4($"10.1.{round}.{i + 1}", "10.0.0.2", 1, 2));
            }

            // Every command of the round back from the PMD, not only its reply queue empty for a moment: a put still
            // in the PMD's command ring would make the next round take new ones, whatever the recycling does.
            long target = (round + 1) * 30;
            Eventually.Until(() => h.MegaflowsPut == target && h.Commands.InFlight(0) == 0, $"round {round}", () => h.Poll(Stopwatch.GetTimestamp()));
        }

        Assert.Equal(300, h.MegaflowsPut);
        Assert.True(h.Commands.Allocated <= 60, $"{h.Commands.Allocated} put commands made for 300 puts");
        Assert.Equal(300, dp.Pmds[0].DumpFlows().Count);
    }

    // Installs an exact-source megaflow per packet for the first match, and the second match as it is.
    private sealed class ExactSourceTranslator(FlowMatch perSource, FlowMatch whole, byte[] actions) : IFlowTranslator
    {
        public long Version => 1;

        public bool Translate(in FlowKey key, ReadOnlySpan<byte> packet, out FlowTranslation translation)
        {
            FlowMatch m = whole;
            if (perSource.Matches(key))
            {
                FlowKey mask = perSource.Mask;
                mask.Bytes.Slice(FlowKey.Offsets.NwSrc, 4).Fill(0xff);
                m = new FlowMatch(key, mask);
            }
            else if (!whole.Matches(key))
            {
                translation = default;
                return false;
            }

            translation = new FlowTranslation { Megaflow = m, Actions = actions, Install = true };
            return true;
        }

        public void OnActionUpcall(in Upcall upcall)
        {
        }
    }
}
