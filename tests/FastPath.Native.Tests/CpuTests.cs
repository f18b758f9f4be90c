namespace FastPath.Native.Tests;

/// <summary>The shim's CPU and cycle-counter calls, through the real libfastpath_shim.so.</summary>
public class CpuTests
{
    [Fact]
    public void ShimAbiMatches() => Cpu.EnsureAbi();

    [Fact]
    public void PinnedThreadRunsOnItsCore()
    {
        int last = Environment.ProcessorCount - 1;
        int seen = -1;
        var t = new Thread(() =>
        {
            Cpu.PinCurrentThread(last);
            for (int i = 0; i < 1000; i++)
            {
                Thread.Yield();
            }

            seen = Cpu.CurrentCpu();
        });
        t.Start();
        t.Join();
        Assert.Equal(last, seen);
    }

    [Fact]
    public void PinningToAMissingCoreSaysWhy()
    {
        int missing = 4096;
        var e = Assert.Throws<InvalidOperationException>(() => RunOnNewThread(() => Cpu.PinCurrentThread(missing)));
        Assert.Contains($"cannot pin thread to CPU {missing}", e.Message);
    }

    [Fact]
    public void TscAdvancesAndHasAPlausibleFrequency()
    {
        ulong a = Cpu.ReadTsc();
        Thread.Sleep(5);
        ulong b = Cpu.ReadTsc();
        Assert.True(b > a);
        // Anything from 100 MHz to 10 GHz is a real counter; 0 would mean the sampling failed.
        Assert.InRange(Cpu.TscHz, 100_000_000UL, 10_000_000_000UL);
    }

    private static void RunOnNewThread(Action action)
    {
        Exception? error = null;
        var t = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        t.Start();
        t.Join();
        if (error != null)
        {
            throw error;
        }
    }
}
