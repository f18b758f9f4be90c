using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Connmgr.Tests;

public class RateLimitTests
{
    [Fact]
    public void Token_bucket_sends_a_burst_queues_up_to_the_burst_then_drops()
    {
        var l = new PacketInRateLimiter(100, 25, nowMs: 1000);
        var verdicts = Enumerable.Range(0, 60).Select(_ => l.Offer([1], 1000)).ToList();
        Assert.Equal(25, verdicts.Count(v => v == PacketInRateLimiter.Verdict.Send));
        Assert.Equal(25, verdicts.Count(v => v == PacketInRateLimiter.Verdict.Queued));
        Assert.Equal(10, verdicts.Count(v => v == PacketInRateLimiter.Verdict.Dropped));

        var released = new List<byte[]>();
        l.Drain(1100, released); // 100 ms at 100/s: 10 tokens
        Assert.Equal(10, released.Count);
        Assert.Equal(15, l.Queued);

        // While packets wait, a new one queues behind them even if a token just came back.
        Assert.Equal(PacketInRateLimiter.Verdict.Queued, l.Offer([2], 1110));
        released.Clear();
        l.Drain(2000, released);
        Assert.Equal(16, released.Count);
        Assert.Equal(0, l.Queued);
    }

    [Fact]
    public void Burst_defaults_to_a_quarter_of_the_rate()
    {
        var l = new PacketInRateLimiter(400, 0, nowMs: 0);
        Assert.Equal(100, Enumerable.Range(0, 300).Count(_ => l.Offer([1], 0) == PacketInRateLimiter.Verdict.Send));
    }

    [Fact]
    public async Task A_rate_limited_connection_delivers_the_burst_then_the_queue_at_the_rate_and_counts_drops()
    {
        await using var f = Fixture.Start(new OfConnectionOptions { PacketInRateLimit = 100, PacketInBurstLimit = 10 }, OfConnectionKind.Controller);
        (RawPeer p, OfConnection c) = await f.ConnectActiveAsync();
        var pin = new Echo(false, [1]);
        int taken = 0;
        for (int i = 0; i < 40; i++)
        {
            taken += c.SendAsyncMessage(OfAsyncKind.PacketIn, 0, pin) ? 1 : 0;
        }

        Assert.True(taken >= 20, $"{taken}"); // 10 sent at once, 10 queued (a few more if tokens came back meanwhile)
        Assert.True(c.Counters.PacketInsRateDropped >= 1);
        Assert.Equal(40, taken + c.Counters.PacketInsRateDropped);
        long t0 = Environment.TickCount64;
        for (int i = 0; i < taken; i++)
        {
            await p.ReceiveTypeAsync(2, 3000);
        }

        // The queued ten need about 100 ms of tokens.
        Assert.InRange(Environment.TickCount64 - t0, 40, 3000);
        Assert.Equal(0, c.RateLimitedPacketIns);
    }
}
