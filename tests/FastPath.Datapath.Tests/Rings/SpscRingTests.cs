using FastPath.Datapath.Rings;

namespace FastPath.Datapath.Tests.Rings;

public class SpscRingTests
{
    [Fact]
    public void FullRingRefusesAndEmptyRingReportsEmpty()
    {
        var r = new SpscRing<int>(4);
        Assert.False(r.TryDequeue(out _));
        for (int i = 0; i < 4; i++)
        {
            Assert.True(r.TryEnqueue(i));
        }

        Assert.False(r.TryEnqueue(99));
        Assert.Equal(4, r.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(r.TryDequeue(out int v));
            Assert.Equal(i, v);
        }

        Assert.False(r.TryDequeue(out _));
    }

    [Fact]
    public void CapacityMustBePowerOfTwo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<int>(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRing<int>(1));
    }

    [Fact]
    public void ReserveAndPeekWorkInPlace()
    {
        var r = new SpscRing<(long A, long B)>(2);
        ref var slot = ref r.TryReserve(out bool ok);
        Assert.True(ok);
        slot.A = 5;
        slot.B = 6;
        r.Publish();
        ref var got = ref r.TryPeek(out bool avail);
        Assert.True(avail);
        Assert.Equal((5L, 6L), got);
        r.Release();
        r.TryPeek(out avail);
        Assert.False(avail);
    }

    [Fact]
    public void ReleasedSlotsDropTheirReferences()
    {
        var r = new SpscRing<object>(2);
        var weak = Enqueue(r);
        Assert.True(Dequeue(r));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.False(weak.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool Dequeue(SpscRing<object> r) => r.TryDequeue(out _);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference Enqueue(SpscRing<object> r)
    {
        var o = new object();
        r.TryEnqueue(o);
        return new WeakReference(o);
    }

    /// <summary>Two threads, a million items through a small ring: nothing lost, duplicated or reordered.</summary>
    [Fact]
    public void ConcurrentProducerAndConsumerKeepOrder()
    {
        const long N = 1_000_000;
        var r = new SpscRing<long>(64);
        long fullCount = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);

        // Both sides yield when they cannot progress: on an oversubscribed machine (CI, two cores shared with
        // PMD threads) a pure spin waits a whole time slice per 64 items. Both stop at the deadline.
        var producer = new Thread(() =>
        {
            var spin = default(SpinWait);
            for (long i = 0; i < N && DateTime.UtcNow < deadline;)
            {
                if (r.TryEnqueue(i))
                {
                    i++;
                    spin.Reset();
                }
                else
                {
                    fullCount++;
                    spin.SpinOnce(sleep1Threshold: -1);
                }
            }
        });
        producer.Start();
        long expected = 0;
        var wait = default(SpinWait);
        while (expected < N && DateTime.UtcNow < deadline)
        {
            if (r.TryDequeue(out long v))
            {
                Assert.Equal(expected, v);
                expected++;
                wait.Reset();
            }
            else
            {
                wait.SpinOnce(sleep1Threshold: -1);
            }
        }

        producer.Join();
        Assert.Equal(N, expected);
    }
}
