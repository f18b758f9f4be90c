namespace FastPath.Tests;

/// <summary>
/// Measures what code allocates once the runtime has settled, for tests asserting that a hot path allocates
/// nothing per call.
/// </summary>
/// <remarks>
/// A fixed warm-up count is not enough: tiered compilation promotes methods on a background thread after its
/// own delay, and the thread running code that is being patched over (tier-up, on-stack replacement) or that
/// initialises a class pays a one-time allocation. On a loaded machine that can land inside a measured window.
/// A real per-call allocation shows up in every run; those one-time costs do not repeat, so the smallest of a
/// few measured runs tells the two apart.
/// </remarks>
internal static class SteadyState
{
    /// <summary>
    /// Runs <paramref name="work"/> for at least <paramref name="warmMillis"/> (and at least twice), then
    /// measures single runs of it, up to <paramref name="attempts"/> times.
    /// </summary>
    /// <param name="work">
    /// The code to measure, created before the call (invoking a delegate allocates nothing; creating a closure
    /// does). It runs a varying number of times, so anything it counts must be checked against its own count
    /// of runs.
    /// </param>
    /// <param name="warmMillis">Minimum warm-up time in milliseconds.</param>
    /// <param name="attempts">Measured runs at most.</param>
    /// <returns>0 as soon as one measured run allocates nothing, otherwise the least bytes any run allocated.</returns>
    public static long AllocatedBytes(Action work, int warmMillis = 300, int attempts = 5)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegative(warmMillis);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        long warmUntil = Environment.TickCount64 + warmMillis;
        int warmRuns = 0;
        while (warmRuns < 2 || Environment.TickCount64 < warmUntil)
        {
            work();
            warmRuns++;
        }

        long least = long.MaxValue;
        for (int i = 0; i < attempts; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            work();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0)
            {
                return 0;
            }

            least = Math.Min(least, allocated);
        }

        return least;
    }
}
