using System.Diagnostics;
using System.Globalization;
using FastPath.Datapath.Pmd;
using FastPath.Native;

namespace FastPath.Benchmarks;

/// <summary>
/// A timed end-to-end run on a pinned core, printed in the same one-line form as the Open vSwitch reference
/// script (mpps, cycles per packet, EMC and megaflow hits, upcalls, megaflows), plus allocation and GC counts.
/// </summary>
public static class ForwardingRun
{
    /// <summary>
    /// Runs <paramref name="flows"/> flows through rule set <paramref name="ruleSet"/> for <paramref name="seconds"/>
    /// on <paramref name="core"/>, with an EMC of <paramref name="emcWays"/> ways (1 direct-mapped, 2 two-way).
    /// </summary>
    /// <remarks>
    /// With <paramref name="sharedTx"/> the null port's tx queue is used as a shared one, under its lock. Frames are
    /// <paramref name="frameLength"/> bytes without FCS (60 or, for the reference's 1518-byte frames, 1514).
    /// </remarks>
    public static Result Run(int flows, string ruleSet, double seconds, int core, int emcWays = 2, bool sharedTx = false, int frameLength = 60)
    {
        Result result = default;
        var t = new Thread(() => result = RunHere(flows, ruleSet, seconds, core, emcWays, sharedTx, frameLength)) { Name = "forwarding-run" };
        t.Start();
        t.Join();
        return result;
    }

    private static Result RunHere(int flows, string ruleSet, double seconds, int core, int emcWays, bool sharedTx, int frameLength)
    {
        if (core >= 0)
        {
            Cpu.PinCurrentThread(core);
        }

        // The slow path stays off the PMD's core, as Open vSwitch keeps its other threads off pmd-cpu-mask.
        int slowPathCore = core >= 0 && Environment.ProcessorCount > 1 ? (core == 0 ? 1 : 0) : -1;
        using var w = new ForwardingWorkload(flows, ruleSet, new PmdOptions { EmcWays = emcWays }, sharedTx, slowPathCore: slowPathCore, frameLength: frameLength);
        // Warm-up, as the reference sleeps 2 s before clearing its counters. With the slow path, 5 s: the
        // first seconds' upcalls leave a backlog of executes and the runtime is still tiering the PMD's code
        // (a 2-3 s warm-up let one 592-byte allocation into the window, 5 s never did); and on, while the
        // slow path still sees misses (until none for half a second), so its work stays out of the window.
        double warmSeconds = w.Source == MegaflowSource.SlowPath ? 5 : Math.Min(2, seconds);
        var warm = Stopwatch.StartNew();
        long lastUpcalls = -1;
        double quietSince = 0;
        w.Pmd.RunInline(() =>
        {
            double t = warm.Elapsed.TotalSeconds;
            long upcalls = w.Pmd.PeekStats().Upcalls;
            if (upcalls != lastUpcalls)
            {
                (lastUpcalls, quietSince) = (upcalls, t);
            }

            return t > warmSeconds && (t - quietSince > 0.5 || t > 30);
        });
        var sw = new Stopwatch();
        long deadline = (long)(seconds * Stopwatch.Frequency);
        int check = 0;
        // Check the clock every 1024 iterations: Stopwatch costs as much as a small batch. The delegate
        // is made before the allocation counter is read, so the count is the loop's alone.
        Func<bool> done = () => (++check & 1023) == 0 && sw.ElapsedTicks > deadline;
        PmdStatsSnapshot before = w.Pmd.PeekStats();
        long cpu0 = ThreadCpuNanoseconds();
        int gc0 = GC.CollectionCount(0);
        long alloc0 = GC.GetAllocatedBytesForCurrentThread();
        sw.Start();
        w.Pmd.RunInline(done);
        double elapsed = sw.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - alloc0;
        int gcs = GC.CollectionCount(0) - gc0;
        long cpu = ThreadCpuNanoseconds() - cpu0;
        PmdStatsSnapshot s = w.Pmd.PeekStats();
        long packets = s.Packets - before.Packets;
        double cycles = (double)(s.BusyCycles + s.IdleCycles - before.BusyCycles - before.IdleCycles);
        return new Result(allocated, gcs, string.Create(CultureInfo.InvariantCulture,
            $"mpps={packets / elapsed / 1e6:F2} cycles_per_pkt={cycles / Math.Max(1, packets):F0} cpu_ns_per_pkt={(double)cpu / Math.Max(1, packets):F2} emc={s.EmcHits - before.EmcHits} megaflow={s.MegaflowHits - before.MegaflowHits} " +
            $"upcalls={s.Upcalls - before.Upcalls} megaflows={w.MegaflowCount} avg_subtable_lookups={(double)(s.SubtableLookups - before.SubtableLookups) / Math.Max(1, s.MegaflowHits - before.MegaflowHits):F2} " +
            $"allocated_bytes={allocated} gen0_gcs={gcs} sent={w.Sent} emc_ways={emcWays} frame_bytes={frameLength} emc_hit_rate={(double)(s.EmcHits - before.EmcHits) / Math.Max(1, packets):F3} megaflow_source={w.Source} {w.SlowPathSummary}").TrimEnd());
    }

    /// <summary>
    /// Time this thread has run on a CPU, in ns (the kernel's schedstat): unlike the TSC cycles, it leaves out the time
    /// other processes held the core, so runs on a busy machine can still be compared with each other.
    /// </summary>
    private static long ThreadCpuNanoseconds()
    {
        string stat = File.ReadAllText("/proc/thread-self/schedstat");
        return long.Parse(stat.AsSpan(0, stat.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
    }

    /// <summary>The printed line and the allocation figures it contains.</summary>
    public readonly record struct Result(long AllocatedBytes, int Gen0Collections, string Line);
}
