using FastPath.Datapath.CaptureFiles;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Replay;
using FastPath.Datapath.Tests.Pmd;
using FastPath.Traffic;

namespace FastPath.Datapath.Tests.Emc;

/// <summary><see cref="PmdOptions.EmcWays"/> reaches the PMD's EMC: a real PMD forwarding a replayed capture in either mode.</summary>
public class PmdEmcWaysTests
{
    [Fact]
    public void TwoWaysHitMoreThanOneOnFlowsThatCollideInASmallCache()
    {
        // 48 flows round-robin over 64 entries: direct-mapped, flows that share an entry evict each
        // other on every pass; two-way keeps nearly all of them.
        (double oneWay, long sent1, long packets1) = Forward(1);
        (double twoWay, long sent2, long packets2) = Forward(2);

        Assert.Equal(packets1, sent1);
        Assert.Equal(packets2, sent2);
        Assert.True(twoWay > oneWay + 0.1, $"EMC hit rate one-way {oneWay:P1}, two-way {twoWay:P1}");
        Assert.True(twoWay > 0.85, $"two-way EMC hit rate {twoWay:P1}");
    }

    [Fact]
    public void APmdsEmcIsTwoWayUnlessToldOtherwiseAsOpenVSwitchs()
    {
        // Open vSwitch's EMC is two-way (EM_FLOW_HASH_SEGS 2); a PMD made without EmcWays behaves as the two-way one.
        (double byDefault, _, _) = Forward(null);
        (double oneWay, _, _) = Forward(1);
        Assert.True(byDefault > oneWay + 0.1, $"EMC hit rate by default {byDefault:P1}, one-way {oneWay:P1}");
        Assert.True(byDefault > 0.85, $"default EMC hit rate {byDefault:P1}");
    }

    [Fact]
    public void AnEmcWaysOtherThanOneOrTwoIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PmdThread(-1, new PmdOptions { EmcWays = 4 }));
    }

    private static (double HitRate, long Sent, long Packets) Forward(int? ways)
    {
        var options = new PmdOptions { EmcEntries = 64, EmcInsertInvProb = 1 };
        using var pmd = new PmdThread(-1, ways is int w ? options with { EmcWays = w } : options);
        using var replay = new ReplayNetdev("r", PcapFile.FromPackets(TrafficGenerator.UdpFlows(48)), loops: 0);
        using var sink = new NullNetdev("n");
        Assert.True(pmd.TrySubmit(PmdCommand.PortAdd(2, sink.GetTxQueue(0))));
        Assert.True(pmd.TrySubmit(PmdCommand.RxqAdd(1, replay.GetRxQueue(0))));
        Assert.True(pmd.TrySubmit(PmdCommand.FlowPut(PmdTestFlows.Ipv4FromPort1, PmdTestFlows.RewriteAndOutput(2))));
        int iterations = 0;
        pmd.RunInline(() => ++iterations > 3000);
        while (pmd.Replies.TryDequeue(out PmdCommand reply))
        {
            Assert.True(reply.Ok, reply.Error);
        }

        PmdStatsSnapshot s = pmd.PeekStats();
        Assert.True(s.Packets > 10_000);
        Assert.Equal(0, s.Misses);
        return ((double)s.EmcHits / s.Packets, sink.GetStats().TxPackets, s.Packets);
    }
}
