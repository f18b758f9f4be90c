namespace FastPath.Packets.Tests;

/// <summary>The shared zero-allocation helper still catches what it exists to catch.</summary>
public class SteadyStateTests
{
    private byte[]? kept;
    private int calls;

    [Fact]
    public void AnAllocationInEveryRunIsReported()
    {
        Action work = () => kept = new byte[16];

        Assert.True(SteadyState.AllocatedBytes(work, warmMillis: 10) >= 16);
        Assert.NotNull(kept);
    }

    [Fact]
    public void TheLeastAllocationOfTheRunsIsReported()
    {
        // Every run allocates, the later ones less: a real allocation is never hidden by the retries.
        Action work = () => kept = new byte[++calls <= 3 ? 4096 : 16];

        long allocated = SteadyState.AllocatedBytes(work, warmMillis: 0, attempts: 5);

        Assert.InRange(allocated, 16, 1024);
        Assert.Equal(7, calls);
    }

    [Fact]
    public void WorkThatAllocatesNothingIsZero()
    {
        long sum = 0;
        Action work = () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                sum += i;
            }

            calls++;
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(work, warmMillis: 50));
        Assert.True(calls >= 3);
        Assert.Equal(calls * 499_500L, sum);
    }

    [Fact]
    public void AOneTimeCostInAMeasuredRunIsNotCounted()
    {
        // Without warm-up time there are exactly two warm-up runs; the third call is the first measured one and
        // allocates once, as tiering or a class constructor does.
        Action work = () =>
        {
            if (++calls == 3)
            {
                kept = new byte[16];
            }
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(work, warmMillis: 0));
        Assert.Equal(4, calls);
        Assert.NotNull(kept);
    }

    [Fact]
    public void WarmsUpForTheTimeAskedAndAtLeastTwice()
    {
        Action work = () => calls++;
        long start = Environment.TickCount64;

        Assert.Equal(0, SteadyState.AllocatedBytes(work, warmMillis: 100));

        Assert.True(Environment.TickCount64 - start >= 100);
        Assert.True(calls >= 3);
    }
}
