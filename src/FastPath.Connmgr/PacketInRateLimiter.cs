namespace FastPath.Connmgr;

/// <summary>
/// Open vSwitch's packet-in scheduler (pinsched) for one connection: a token bucket of <c>rate</c> packets per
/// second holding at most <c>burst</c>; a packet-in finding no token waits in a queue of at most <c>burst</c>
/// packets and leaves as tokens come back; one finding the queue full is dropped and counted.
/// Thread-safe: packet-ins arrive from the ofproto thread, the drain runs on the connection's timer.
/// </summary>
internal sealed class PacketInRateLimiter
{
    private readonly Lock gate = new();
    private readonly Queue<byte[]> waiting = new();
    private readonly double ratePerMs;
    private readonly int burst;
    private double tokens;
    private long lastRefillMs;

    /// <summary>A limiter of <paramref name="rate"/> packets per second and bursts of <paramref name="burst"/> (zero: rate / 4, at least 1).</summary>
    public PacketInRateLimiter(int rate, int burst, long nowMs)
    {
        ratePerMs = rate / 1000.0;
        this.burst = burst > 0 ? burst : Math.Max(1, rate / 4);
        tokens = this.burst;
        lastRefillMs = nowMs;
    }

    /// <summary>Packets in the bucket's queue.</summary>
    public int Queued
    {
        get
        {
            lock (gate)
            {
                return waiting.Count;
            }
        }
    }

    /// <summary>What became of a packet-in offered to the limiter.</summary>
    public enum Verdict
    {
        /// <summary>A token was there: send it now.</summary>
        Send,

        /// <summary>Held in the queue; <see cref="Drain"/> releases it.</summary>
        Queued,

        /// <summary>The queue was full.</summary>
        Dropped,
    }

    /// <summary>Offers one encoded packet-in.</summary>
    public Verdict Offer(byte[] packetIn, long nowMs)
    {
        lock (gate)
        {
            Refill(nowMs);
            if (waiting.Count == 0 && tokens >= 1)
            {
                tokens -= 1;
                return Verdict.Send;
            }

            if (waiting.Count >= burst)
            {
                return Verdict.Dropped;
            }

            waiting.Enqueue(packetIn);
            return Verdict.Queued;
        }
    }

    /// <summary>Moves the queued packet-ins the bucket now has tokens for into <paramref name="into"/>.</summary>
    public void Drain(long nowMs, List<byte[]> into)
    {
        lock (gate)
        {
            Refill(nowMs);
            while (waiting.Count > 0 && tokens >= 1)
            {
                tokens -= 1;
                into.Add(waiting.Dequeue());
            }
        }
    }

    private void Refill(long nowMs)
    {
        long elapsed = nowMs - lastRefillMs;
        if (elapsed > 0)
        {
            tokens = Math.Min(burst, tokens + (elapsed * ratePerMs));
            lastRefillMs = nowMs;
        }
    }
}
