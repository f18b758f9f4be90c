using System.Diagnostics;

namespace FastPath.Ofproto.Tests;

/// <summary>Bounded waits for what other threads (PMDs, the ofproto thread) do.</summary>
internal static class Eventually
{
    /// <summary>Waits up to 10 s for <paramref name="done"/>, running <paramref name="step"/> (if any) between checks.</summary>
    public static void Until(Func<bool> done, string what, Action? step = null)
    {
        var sw = Stopwatch.StartNew();
        while (!done())
        {
            step?.Invoke();
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"timed out waiting for {what}");
            Thread.Sleep(1);
        }
    }
}
