using FastPath.Datapath.Meters;

namespace FastPath.Datapath.Tests.Meters;

/// <summary>The meter table's token buckets, on a clock the tests drive (1 tick = 1 microsecond).</summary>
public sealed class MeterTableTests
{
    private const ulong Hz = 1_000_000;
    private ulong now = 5_000_000;

    private MeterTable NewTable() => new(Hz, () => now);

    private static MeterConfig Pktps(uint rate, uint burst = 0, params MeterBand[] more) =>
        new(MeterFlags.Pktps | (burst != 0 ? MeterFlags.Burst : 0), [new MeterBand(MeterBandType.Drop, rate, burst), .. more]);

    private int Run(MeterTable t, uint id, int packets, int bytes = 64)
    {
        int passed = 0;
        for (int i = 0; i < packets; i++)
        {
            passed += t.Apply(id, bytes, now) ? 1 : 0;
        }

        return passed;
    }

    [Fact]
    public void PktpsMeterPassesItsBurstThenItsRate()
    {
        MeterTable t = NewTable();
        t.Set(1, Pktps(rate: 100, burst: 10));

        Assert.Equal(10, Run(t, 1, 50)); // a full bucket: the burst
        now += 1_000_000;
        Assert.Equal(10, Run(t, 1, 50)); // a second's refill fills the bucket again, never past the burst

        // 100 pktps over 5 s of 1000 steps of 5 ms with 2 packets each (400 pps offered): 500 pass, +-1 for the bucket's start.
        int passed = 0;
        for (int step = 0; step < 1000; step++)
        {
            now += 5_000;
            passed += Run(t, 1, 2);
        }

        Assert.InRange(passed, 499, 501);
        Assert.True(t.TryGetStats(1, out MeterStats s));
        Assert.Equal(2100, s.Packets);
        Assert.Equal(2100 * 64, s.Bytes);
        Assert.Equal(2100 - 20 - passed, s.Bands[0].Packets);
        Assert.Equal((2100 - 20 - passed) * 64L, s.Bands[0].Bytes);
    }

    [Fact]
    public void SlowRatesMeasuredOftenLoseNothingToRounding()
    {
        // 3 pktps polled every 50 us: each poll adds 0.15 thousandths of a packet, which rounding must not lose.
        MeterTable t = NewTable();
        t.Set(1, Pktps(rate: 3, burst: 1));
        Assert.Equal(1, Run(t, 1, 5));
        int passed = 0;
        for (int us = 0; us < 2_000_000; us += 50)
        {
            now += 50;
            passed += Run(t, 1, 1);
        }

        Assert.InRange(passed, 5, 6); // 2 s at 3 pktps
    }

    [Fact]
    public void WithoutTheBurstFlagTheBucketHoldsOneSecondOfTheRate()
    {
        MeterTable t = NewTable();
        t.Set(1, new MeterConfig(MeterFlags.Pktps, [new MeterBand(MeterBandType.Drop, 20, 3)]));
        Assert.Equal(20, Run(t, 1, 100));
        now += 10_000_000;
        Assert.Equal(20, Run(t, 1, 100));
    }

    [Fact]
    public void KbpsMeterCountsFrameBits()
    {
        MeterTable t = NewTable();

        // 800 kbps = 100,000 bytes a second; burst 80 kbit = 10,000 bytes.
        t.Set(2, new MeterConfig(MeterFlags.Kbps | MeterFlags.Burst, [new MeterBand(MeterBandType.Drop, 800, 80)]));
        Assert.Equal(10, Run(t, 2, 30, bytes: 1000));
        Assert.Equal(0, Run(t, 2, 200, bytes: 64)); // the 10,000 bytes are gone; nothing for small frames either
        now += 100_000; // 0.1 s: 10,000 bytes
        Assert.Equal(156, Run(t, 2, 200, bytes: 64)); // 156 * 64 = 9984 bytes
    }

    [Fact]
    public void APacketOverSeveralBandsIsCountedOnTheHighestRateBandItExceeds()
    {
        MeterTable t = NewTable();
        t.Set(1, new MeterConfig(MeterFlags.Pktps | MeterFlags.Burst,
            [new MeterBand(MeterBandType.Drop, 10, 5), new MeterBand(MeterBandType.Drop, 50, 8)]));

        Assert.Equal(5, Run(t, 1, 20));
        Assert.True(t.TryGetStats(1, out MeterStats s));

        // Packets 6-8 exceed only the 10 pktps band; 9-20 exceed both and go to the 50 pktps one.
        Assert.Equal(3, s.Bands[0].Packets);
        Assert.Equal(12, s.Bands[1].Packets);
    }

    [Fact]
    public void TwoThreadsShareOneBucket()
    {
        MeterTable t = NewTable();
        t.Set(1, Pktps(rate: 1000, burst: 5000));
        int passed = 0;
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            Interlocked.Add(ref passed, Run(t, 1, 20_000));
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());

        // The clock stands still: the shared burst, exactly, however the threads interleave.
        Assert.Equal(5000, passed);
        Assert.True(t.TryGetStats(1, out MeterStats s));
        Assert.Equal(40_000, s.Packets);
        Assert.Equal(35_000, s.Bands[0].Packets);
    }

    [Fact]
    public void DeletedOrReplacedMetersStartOverAndMissingOnesPass()
    {
        MeterTable t = NewTable();
        Assert.Equal(7, Run(t, 4, 7)); // never installed: everything passes
        t.Set(4, Pktps(rate: 1, burst: 2));
        Assert.Equal(2, Run(t, 4, 7));

        MeterStats? last = t.Delete(4);
        Assert.NotNull(last);
        Assert.Equal(7, last.Packets);
        Assert.Equal(5, last.Bands[0].Packets);
        Assert.False(t.TryGetStats(4, out _));
        Assert.Null(t.Delete(4));
        Assert.Equal(7, Run(t, 4, 7)); // gone: passes, as Open vSwitch does for a meter it does not have

        t.Set(4, Pktps(rate: 1, burst: 2));
        t.Set(4, Pktps(rate: 1, burst: 3)); // replaced: full bucket, counters from zero
        Assert.Equal(3, Run(t, 4, 7));
        Assert.True(t.TryGetStats(4, out MeterStats s));
        Assert.Equal(7, s.Packets);
    }

    [Fact]
    public void AClockBehindTheMeterAddsNothingAndAClockFarAheadFillsTheBucketOnly()
    {
        MeterTable t = NewTable();
        t.Set(1, Pktps(rate: 10, burst: 2));
        Assert.Equal(2, Run(t, 1, 5));
        now -= 3_000_000; // another PMD's batch began before the meter was touched
        Assert.Equal(0, Run(t, 1, 5));
        now += 3_000_000 + 3_600_000_000_000UL; // an hour later
        Assert.Equal(2, Run(t, 1, 5));
    }

    [Fact]
    public void BadMetersAreRefusedWithAClearError()
    {
        MeterTable t = NewTable();
        MeterBand drop = new(MeterBandType.Drop, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Set(MeterTable.MaxMeters, Pktps(10)));
        Assert.Contains("exactly one of kbps and pktps", Assert.Throws<ArgumentException>(() => t.Set(1, new MeterConfig(MeterFlags.Burst, [drop]))).Message);
        Assert.Throws<ArgumentException>(() => t.Set(1, new MeterConfig(MeterFlags.Kbps | MeterFlags.Pktps, [drop])));
        Assert.Throws<ArgumentException>(() => t.Set(1, new MeterConfig(MeterFlags.Kbps | (MeterFlags)0x40, [drop])));
        Assert.Throws<ArgumentException>(() => t.Set(1, new MeterConfig(MeterFlags.Kbps, [])));
        Assert.Throws<ArgumentException>(() => t.Set(1, new MeterConfig(MeterFlags.Kbps, Enumerable.Repeat(drop, MeterTable.MaxBands + 1).ToList())));
        Assert.Throws<ArgumentException>(() => t.Set(1, new MeterConfig(MeterFlags.Kbps, [new MeterBand(MeterBandType.Drop, 0)])));
        Assert.Throws<NotSupportedException>(() => t.Set(1, new MeterConfig(MeterFlags.Kbps, [new MeterBand(MeterBandType.DscpRemark, 10)])));
        Assert.False(t.TryGetStats(1, out _)); // nothing was installed on the way
    }

    [Fact]
    public void ApplyAllocatesNothing()
    {
        MeterTable t = NewTable();
        t.Set(1, Pktps(rate: 1000, burst: 10, new MeterBand(MeterBandType.Drop, 2000, 20)));
        Run(t, 1, 100);

        Assert.Equal(0, SteadyState.AllocatedBytes(() => Loop(t)));
    }

    private void Loop(MeterTable t)
    {
        for (int i = 0; i < 10_000; i++)
        {
            now += 100;
            t.Apply(1, 100, now);
            t.Apply(2, 100, now);
        }
    }
}
