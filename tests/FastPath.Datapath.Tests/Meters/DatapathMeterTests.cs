using System.Diagnostics;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Meters;
using FastPath.Datapath.Ports.Memory;

namespace FastPath.Datapath.Tests.Meters;

/// <summary>Meters on a real <see cref="NetdevDatapath"/>: one table for all PMDs, set and deleted while packets flow.</summary>
public sealed class DatapathMeterTests
{
    private const int PerPort = 300;
    private const uint Burst = 100;

    [Fact]
    public void TwoPmdsShareOneMeterAndADeletedMeterLetsPacketsThrough()
    {
        using var dp = new NetdevDatapath([-1, -1]);
        dp.Start();
        var p1 = new MemoryNetdev("p1", frameCount: 512);
        var p2 = new MemoryNetdev("p2", frameCount: 512);
        var out3 = new MemoryNetdev("p3", frameCount: 512);
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        dp.AddPort(out3, 3);
        Assert.NotSame(dp.Placement[(1, 0)], dp.Placement[(2, 0)]);

        // 1 packet a second after a burst of 100: over the few seconds the test takes, about 100 pass in all.
        // Were the meter per PMD, each PMD would pass its own 100.
        var sw = Stopwatch.StartNew();
        dp.SetMeter(1, new MeterConfig(MeterFlags.Pktps | MeterFlags.Burst | MeterFlags.Stats, [new MeterBand(MeterBandType.Drop, 1, Burst)]));
        byte[] actions = new ActionProgramBuilder().Meter(1).Output(3).ToArray();
        dp.PutFlow(new MatchBuilder().InPort(1).Build(), actions);
        dp.PutFlow(new MatchBuilder().InPort(2).Build(), actions);

        Feed(p1, p2, 0);
        WaitFor(() => dp.GetMeterStats(1)?.Packets == 2 * PerPort, "every packet reached the meter");
        double seconds = sw.Elapsed.TotalSeconds;

        int passed = out3.Sent.Count;
        Assert.InRange(passed, (int)Burst, (int)Burst + (int)Math.Ceiling(seconds) + 1);
        MeterStats s = dp.GetMeterStats(1)!;
        Assert.Equal(2 * PerPort * 60L, s.Bytes);
        Assert.Equal(2 * PerPort - passed, s.Bands[0].Packets);
        Assert.Equal((2 * PerPort - passed) * 60L, s.Bands[0].Bytes);

        // Deleted while the flows still name it: from then on packets pass, as Open vSwitch does.
        MeterStats? last = dp.DeleteMeter(1);
        Assert.NotNull(last);
        Assert.Null(dp.GetMeterStats(1));
        out3.Sent.Clear();
        Feed(p1, p2, 1);
        WaitFor(() => out3.Sent.Count == 2 * PerPort, "every packet passed the deleted meter");
        Assert.Equal(0, p1.GetStats().RxDropped + p2.GetStats().RxDropped);
    }

    private static void Feed(MemoryNetdev p1, MemoryNetdev p2, int round)
    {
        var feeders = new[] { p1, p2 }.Select((p, k) => new Thread(() =>
        {
            for (int i = 0; i < PerPort; i++)
            {
                p.Inject(TestPackets.Udp4($"10.{round}.{k}.1", "10.0.9.9", (ushort)(1000 + (i % 64)), 2));
                if (i % 128 == 127)
                {
                    Thread.Sleep(2); // the memory port's pool holds 512 frames: stay below it
                }
            }
        })).ToList();
        feeders.ForEach(t => t.Start());
        feeders.ForEach(t => t.Join());
    }

    private static void WaitFor(Func<bool> done, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!done() && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(5);
        }

        Assert.True(done(), what);
    }
}
