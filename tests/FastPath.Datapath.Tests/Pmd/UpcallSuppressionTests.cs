using System.Diagnostics;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>
/// A flow that keeps missing while its upcall is in flight is upcalled a burst of times per window, not once per
/// packet; the rest are counted as suppressed.
/// </summary>
public class UpcallSuppressionTests
{
    private static (NetdevDatapath Dp, MemoryNetdev Port) Start(TimeSpan window, int burst = 1)
    {
        var dp = new NetdevDatapath([-1], new PmdOptions { UpcallSuppressWindow = window, UpcallSuppressBurst = burst });
        dp.Start();
        var p = new MemoryNetdev("p1");
        dp.AddPort(p, 1);
        return (dp, p);
    }

    private static PmdStatsSnapshot WaitForMisses(NetdevDatapath dp, long misses)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            PmdStatsSnapshot s = dp.GetPmdStats()[0];
            if (s.Misses >= misses)
            {
                return s;
            }

            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"only {s.Misses} misses");
            Thread.Sleep(2);
        }
    }

    [Fact]
    public void RepeatedMissesOfOneFlowGoUpOnce()
    {
        var (dp, p) = Start(TimeSpan.FromHours(1));
        using var _ = dp;
        byte[] pkt = TestPackets.Udp4("10.1.2.3", "10.200.0.1", 7, 9);
        for (int i = 0; i < 10; i++)
        {
            p.Inject(pkt);
        }

        PmdStatsSnapshot s = WaitForMisses(dp, 10);
        Assert.Equal(1, s.Upcalls);
        Assert.Equal(9, s.UpcallsSuppressed);

        // Another flow is not held back by the first.
        p.Inject(TestPackets.Udp4("10.1.2.4", "10.200.0.1", 7, 9));
        s = WaitForMisses(dp, 11);
        Assert.Equal(2, s.Upcalls);

        // A flush forgets: the slow path must see the flow again.
        dp.FlushFlows();
        p.Inject(pkt);
        s = WaitForMisses(dp, 12);
        Assert.Equal(3, s.Upcalls);
        Assert.Equal(9, s.UpcallsSuppressed);
        int drained = 0;
        while (dp.Pmds[0].Upcalls.TryDequeue(out Upcall u) && u.InPort == 1)
        {
            drained++;
        }

        Assert.Equal(3, drained);
    }

    // The packets a host queued while it resolved the next hop arrive together, before their megaflow can be
    // installed: the slow path must see every one (a ping through a controller lost them before).
    [Fact]
    public void TheFirstBurstOfAFlowGoesUpWhole()
    {
        int burst = new PmdOptions().UpcallSuppressBurst;
        var (dp, p) = Start(TimeSpan.FromHours(1), burst);
        using var _ = dp;
        byte[] pkt = TestPackets.Udp4("10.1.2.3", "10.200.0.1", 7, 9);
        for (int i = 0; i < burst + 5; i++)
        {
            p.Inject(pkt);
        }

        PmdStatsSnapshot s = WaitForMisses(dp, burst + 5);
        Assert.True(burst >= 3, "the default burst must at least cover a few queued packets");
        Assert.Equal(burst, s.Upcalls);
        Assert.Equal(5, s.UpcallsSuppressed);
    }

    [Fact]
    public void AfterTheWindowTheFlowGoesUpAgain()
    {
        var (dp, p) = Start(TimeSpan.FromMilliseconds(20));
        using var _ = dp;
        byte[] pkt = TestPackets.Udp4("10.1.2.3", "10.200.0.1", 7, 9);
        p.Inject(pkt);
        WaitForMisses(dp, 1);
        Thread.Sleep(100);
        p.Inject(pkt);
        PmdStatsSnapshot s = WaitForMisses(dp, 2);
        Assert.Equal(2, s.Upcalls);
        Assert.Equal(0, s.UpcallsSuppressed);
    }

    [Fact]
    public void AZeroWindowUpcallsEveryMiss()
    {
        var (dp, p) = Start(TimeSpan.Zero);
        using var _ = dp;
        for (int i = 0; i < 10; i++)
        {
            p.Inject(TestPackets.Udp4("10.1.2.3", "10.200.0.1", 7, 9));
        }

        PmdStatsSnapshot s = WaitForMisses(dp, 10);
        Assert.Equal(10, s.Upcalls);
        Assert.Equal(0, s.UpcallsSuppressed);
    }
}
