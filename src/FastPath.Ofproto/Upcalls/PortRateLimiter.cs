using System.Diagnostics;

namespace FastPath.Ofproto.Upcalls;

/// <summary>A token bucket per datapath port: the per-port bound on upcalls.</summary>
internal sealed class PortRateLimiter(double ratePerSecond, double burst)
{
    private readonly Dictionary<uint, Bucket> buckets = [];

    /// <summary>Whether port <paramref name="port"/> may send one more upcall at <paramref name="nowTicks"/> (Stopwatch ticks).</summary>
    public bool TryTake(uint port, long nowTicks)
    {
        ref Bucket b = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(buckets, port, out bool existed);
        if (!existed)
        {
            b.Tokens = burst;
            b.LastTicks = nowTicks;
        }

        double elapsed = (nowTicks - b.LastTicks) / (double)Stopwatch.Frequency;
        b.LastTicks = nowTicks;
        b.Tokens = Math.Min(burst, b.Tokens + (elapsed * ratePerSecond));
        if (b.Tokens < 1)
        {
            return false;
        }

        b.Tokens -= 1;
        return true;
    }

    private struct Bucket
    {
        public double Tokens;
        public long LastTicks;
    }
}
