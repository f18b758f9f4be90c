using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Datapath.Meters;

/// <summary>
/// One installed meter: a token bucket per band, shared by every PMD that runs the meter action, updated
/// with compare-and-swap only (no lock, no allocation).
/// </summary>
/// <remarks>
/// Buckets count in Open vSwitch's units, so one second of a band's rate is always <c>rate * 1000</c>:
/// bits for a kbps meter, thousandths of a packet for a pktps one. Refilling is claimed by moving the
/// band's last-refill time forward with one CAS, so exactly one thread credits each stretch of time;
/// the time a credit did not cover in whole units stays behind for the next one, so slow rates measured
/// at short intervals lose nothing to rounding. Taking tokens is a CAS loop that never goes below zero.
/// A thread that reads the bucket between another's time claim and its credit may see a few tokens too
/// few: a packet can be dropped early under contention, never let through over the rate.
/// </remarks>
internal sealed class Meter
{
    private readonly BandParams[] bands;
    private readonly BandState[] state;
    private readonly bool pktps;
    private Counters counters;

    public Meter(MeterConfig config, ulong ticksPerSecond, long now)
    {
        pktps = (config.Flags & MeterFlags.Pktps) != 0;
        bool burst = (config.Flags & MeterFlags.Burst) != 0;
        bands = new BandParams[config.Bands.Count];
        state = new BandState[config.Bands.Count];
        for (int i = 0; i < bands.Length; i++)
        {
            MeterBand b = config.Bands[i];
            ulong size = burst && b.BurstSize != 0 ? b.BurstSize : b.Rate;
            long capacity = (long)(size * 1000);
            double unitsPerTick = b.Rate * 1000.0 / ticksPerSecond;

            // Time that fills the bucket from empty; a longer gap just fills it.
            long fillTicks = (long)Math.Min(long.MaxValue / 2, Math.Ceiling(capacity / unitsPerTick));
            bands[i] = new BandParams(b.Rate, capacity, unitsPerTick, 1 / unitsPerTick, fillTicks);
            state[i].Tokens = capacity;
            state[i].LastRefill = now;
        }
    }

    /// <summary>Runs one packet of <paramref name="frameBytes"/> through the meter at time <paramref name="now"/>; false: drop it.</summary>
    public bool Apply(int frameBytes, long now)
    {
        Interlocked.Increment(ref counters.Packets);
        Interlocked.Add(ref counters.Bytes, frameBytes);
        long cost = pktps ? 1000 : frameBytes * 8L;
        int exceeded = -1;
        uint exceededRate = 0;
        BandParams[] p = bands;
        BandState[] s = state;
        for (int i = 0; i < p.Length && i < s.Length; i++)
        {
            ref BandState band = ref s[i];
            Refill(ref band, in p[i], now);

            // As Open vSwitch: every band is charged where the packet fits, and a packet over several
            // bands is dropped by (and counted on) the one with the highest rate.
            if (!TryTake(ref band.Tokens, cost) && p[i].Rate > exceededRate)
            {
                exceeded = i;
                exceededRate = p[i].Rate;
            }
        }

        if (exceeded < 0)
        {
            return true;
        }

        Interlocked.Increment(ref s[exceeded].DroppedPackets);
        Interlocked.Add(ref s[exceeded].DroppedBytes, frameBytes);
        return false;
    }

    public MeterStats Snapshot()
    {
        var b = new MeterBandStats[state.Length];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = new MeterBandStats(Volatile.Read(ref state[i].DroppedPackets), Volatile.Read(ref state[i].DroppedBytes));
        }

        return new MeterStats(Volatile.Read(ref counters.Packets), Volatile.Read(ref counters.Bytes), b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Refill(ref BandState band, in BandParams p, long now)
    {
        long last = Volatile.Read(ref band.LastRefill);
        long delta = now - last;

        // A PMD whose batch time is a little behind another's (or behind the meter's creation) adds nothing.
        if (delta <= 0)
        {
            return;
        }

        long add;
        long next;
        if (delta >= p.FillTicks)
        {
            add = p.Capacity;
            next = now;
        }
        else
        {
            add = (long)(delta * p.UnitsPerTick);
            if (add == 0)
            {
                return;
            }

            next = last + Math.Min(delta, (long)Math.Ceiling(add * p.TicksPerUnit));
        }

        if (Interlocked.CompareExchange(ref band.LastRefill, next, last) != last)
        {
            return; // another PMD credited this stretch
        }

        long tokens = Volatile.Read(ref band.Tokens);
        while (true)
        {
            long full = Math.Min(tokens + add, p.Capacity);
            long seen = Interlocked.CompareExchange(ref band.Tokens, full, tokens);
            if (seen == tokens)
            {
                return;
            }

            tokens = seen;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryTake(ref long tokens, long cost)
    {
        long t = Volatile.Read(ref tokens);
        while (t >= cost)
        {
            long seen = Interlocked.CompareExchange(ref tokens, t - cost, t);
            if (seen == t)
            {
                return true;
            }

            t = seen;
        }

        return false;
    }

    private readonly record struct BandParams(uint Rate, long Capacity, double UnitsPerTick, double TicksPerUnit, long FillTicks);

    // A cache line per band, so PMDs charging one band do not also bounce its neighbour's.
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct BandState
    {
        [FieldOffset(0)]
        public long Tokens;
        [FieldOffset(8)]
        public long LastRefill;
        [FieldOffset(16)]
        public long DroppedPackets;
        [FieldOffset(24)]
        public long DroppedBytes;
    }

    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct Counters
    {
        [FieldOffset(0)]
        public long Packets;
        [FieldOffset(8)]
        public long Bytes;
    }
}
