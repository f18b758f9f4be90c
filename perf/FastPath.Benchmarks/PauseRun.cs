using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Native;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// The longest a PMD goes without polling while the control plane works it hard: one PMD forwards a
/// replayed capture (10k flows) while the caller installs <c>flows</c> megaflows through its command ring,
/// then dumps them all and flushes them; an idle phase before shows the machine's own noise.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Run"/> does it live, with traffic; each phase prints two worst iterations.
/// <c>max_iteration_us</c> is the PMD's own counter (<see cref="PmdStatsSnapshot.MaxIterationCycles"/>,
/// wall time by the TSC): it also counts the time the kernel gave the core to another process, which on a
/// shared machine is most of it (see <c>pmd_involuntary_switches</c>). <c>max_iteration_cpu_us</c> is the
/// longest iteration in the PMD thread's CPU time (CLOCK_THREAD_CPUTIME_ID read around every iteration):
/// preemption excluded, but a collection the PMD waits out in a spin, or its own page faults, included.
/// Collections, which the caller's allocations cause and which stop the PMD too, are counted beside them.
/// </para>
/// <para>
/// <see cref="MeasureOwnWork"/> takes the machine out: it replays the same control work through a PMD's
/// poll loop several times and keeps, per iteration, the fastest run. The verdict is on that number.
/// </para>
/// </remarks>
public static partial class PauseRun
{
    /// <summary>The budget: no poll iteration may take longer.</summary>
    public const double BudgetMicroseconds = 1000;

    private const int RingSize = 4096;
    private const int InFlight = RingSize / 2;

    /// <summary>Runs the live phases and prints one line each; returns the worst iteration (thread CPU time) of the install, dump and flush phases, in µs.</summary>
    public static double Run(int flows, int core, TextWriter output)
    {
        var options = new PmdOptions { MaxMegaflows = flows + 65536, CommandRingSize = RingSize };
        using var w = new ForwardingWorkload(10_000, "s2", options, source: MegaflowSource.Precomputed);
        PmdThread pmd = w.Pmd;
        int tid = -1;
        bool stop = false;
        var runner = new Thread(() =>
        {
            if (core >= 0)
            {
                Cpu.PinCurrentThread(core);
            }

            Volatile.Write(ref tid, GetTid());
            long last = ThreadCpuNanoseconds();
            var usage = new long[18];
            var lastUsage = new long[18];
            GetRusage(1 /* RUSAGE_THREAD */, ref lastUsage[0]);
            pmd.RunInline(() =>
            {
                long now = ThreadCpuNanoseconds();
                GetRusage(1, ref usage[0]);
                if (now - last > Volatile.Read(ref maxCpuNanoseconds))
                {
                    Volatile.Write(ref maxCpuNanoseconds, now - last);
                    // What the worst iteration spent: user and system µs, minor faults, voluntary switches.
                    worstDetail = $"user_us={(usage[0] - lastUsage[0]) * 1e6 + (usage[1] - lastUsage[1]):F0} sys_us={(usage[2] - lastUsage[2]) * 1e6 + (usage[3] - lastUsage[3]):F0} minflt={usage[8] - lastUsage[8]} nvcsw={usage[16] - lastUsage[16]}";
                }

                (usage, lastUsage) = (lastUsage, usage);
                last = now;
                return Volatile.Read(ref stop);
            });
        })
        { Name = "pmd-pause", IsBackground = true };
        runner.Start();
        while (Volatile.Read(ref tid) == -1)
        {
            Thread.Sleep(1);
        }

        double hz = Cpu.TscHz;
        double worst = 0;
        try
        {
            output.WriteLine($"pmd running core={core}");
            // The warmup runs every control path once (puts through two growths' worth of tables, a dump, a
            // flush), so the phases below do not time the JIT compiling them.
            Phase(output, pmd, tid, hz, "warmup", () =>
            {
                Install(pmd, 100_000);
                Dump(pmd, 100_000 + w.Megaflows.Count);
                Check(pmd.Call(PmdCommand.Flush()));
                foreach ((FlowMatch match, byte[] actions) in w.Megaflows)
                {
                    Check(pmd.Call(PmdCommand.FlowPut(match, actions)));
                }

                Thread.Sleep(500);
            });
            Phase(output, pmd, tid, hz, "idle", () => Thread.Sleep(2000));
            worst = Math.Max(worst, Phase(output, pmd, tid, hz, $"install {flows}", () => Install(pmd, flows)));
            worst = Math.Max(worst, Phase(output, pmd, tid, hz, "dump", () => Dump(pmd, flows + w.Megaflows.Count)));
            worst = Math.Max(worst, Phase(output, pmd, tid, hz, "flush", () =>
            {
                Check(pmd.Call(PmdCommand.Flush()));
                Thread.Sleep(200);
            }));
        }
        finally
        {
            Volatile.Write(ref stop, true);
            runner.Join();
        }

        return worst;
    }

    /// <summary>
    /// The datapath's own worst iteration, free of the machine's noise: the same control work (<paramref name="flows"/>
    /// flow puts, 64 per iteration as the PMD takes them, then a chunked dump of them all, then a flush) is replayed through
    /// a fresh PMD's poll loop <paramref name="runs"/> times with no traffic, timing every iteration. Preemption
    /// and collections strike different iterations in each run, so the per-iteration minimum over the runs is
    /// the work itself, and its maximum is the longest the PMD's own work keeps it from polling.
    /// </summary>
    /// <returns>The worst iteration while installing and while dumping or flushing, in µs.</returns>
    public static (double InstallUs, double DumpUs) MeasureOwnWork(int flows, int runs, TextWriter output)
    {
        long[]? install = null;
        long[]? dump = null;
        for (int r = 0; r < runs; r++)
        {
            (long[] i, long[] d) = ReplayControlWork(flows);
            output.WriteLine($"own_work run {r}: {i.Count(v => v > (long)(Cpu.TscHz / 1000))} iterations over 1 ms before taking the minimum");
            install = install == null ? i : MinOf(install, i);
            dump = dump == null ? d : MinOf(dump, d);
        }

        double hz = Cpu.TscHz;
        // Percentiles over the iterations that applied puts (the idle ones after them cost next to nothing).
        long[] puts = install![..((flows + 63) / 64)];
        Array.Sort(puts);
        int worstInstall = ArgMax(install);
        int worstDump = ArgMax(dump!);
        double installUs = install[worstInstall] / hz * 1e6;
        double dumpUs = dump![worstDump] / hz * 1e6;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"own_work runs={runs} install_iterations={install.Length} install_max_us={installUs:F1} (iteration {worstInstall}) " +
            $"put_iteration_p50_us={puts[puts.Length / 2] / hz * 1e6:F1} p99_us={puts[puts.Length * 99 / 100] / hz * 1e6:F1} p999_us={puts[puts.Length * 999 / 1000] / hz * 1e6:F1} " +
            $"dump_chunks={dump.Length - 1} dump_max_us={dumpUs:F1} (chunk {worstDump}) dump_median_us={Median(dump) / hz * 1e6:F1} flush_us={dump[^1] / hz * 1e6:F1}"));
        if (Environment.GetEnvironmentVariable("PAUSE_DEBUG") != null)
        {
            int[] idx = [.. Enumerable.Range(0, install.Length).OrderByDescending(k => install[k]).Take(8)];
            output.WriteLine($"worst install iterations: {string.Join(' ', idx.Select(k => $"{k}:{install[k] / hz * 1e6:F0}us"))}");
        }

        return (installUs, dumpUs);
    }

    // One run: TSC cycles of every poll iteration while installing (then while any rehash finishes), and of every dump chunk.
    private static (long[] Install, long[] Dump) ReplayControlWork(int flows)
    {
        const int perIteration = 64;
        using var pmd = new PmdThread(-1, new PmdOptions { MaxMegaflows = flows + 1024, CommandRingSize = 256 });
        var install = new List<long>(flows / perIteration + 20_000);
        int submitted = 0;
        while (submitted < flows)
        {
            for (int k = 0; k < perIteration && submitted < flows; k++)
            {
                if (!pmd.TrySubmit(PutOf(submitted++)))
                {
                    throw new InvalidOperationException("command ring full");
                }
            }

            install.Add(TimedIteration(pmd));
            while (pmd.Replies.TryDequeue(out PmdCommand reply))
            {
                Check(reply);
            }
        }

        // Idle iterations that finish a rehash the last puts began (32 buckets each covers any table here).
        for (int k = 0; k < 20_000; k++)
        {
            install.Add(TimedIteration(pmd));
        }

        var dump = new List<long>();
        int seen = 0;
        var buffer = new FlowDumpBuffer();
        var command = PmdCommand.FlowDump(0, buffer);
        while (true)
        {
            pmd.TrySubmit(command);
            dump.Add(TimedIteration(pmd));
            if (!pmd.Replies.TryDequeue(out PmdCommand reply))
            {
                throw new InvalidOperationException("no reply to the dump");
            }

            Check(reply);
            seen += reply.Flows!.Count;
            if (reply.NextCursor < 0)
            {
                break;
            }

            command = PmdCommand.FlowDump(reply.NextCursor, buffer);
        }

        if (seen != flows)
        {
            throw new InvalidOperationException($"dump returned {seen} flows, {flows} are installed");
        }

        // The flush, as the last dump chunk: dropping all the flows must not cost the PMD a walk over them.
        pmd.TrySubmit(PmdCommand.Flush());
        dump.Add(TimedIteration(pmd));
        if (!pmd.Replies.TryDequeue(out PmdCommand flushed))
        {
            throw new InvalidOperationException("no reply to the flush");
        }

        Check(flushed);
        return ([.. install], [.. dump]);
    }

    private static long TimedIteration(PmdThread pmd)
    {
        ulong t0 = Cpu.ReadTsc();
        pmd.PollOnce();
        return (long)(Cpu.ReadTsc() - t0);
    }

    private static long[] MinOf(long[] a, long[] b)
    {
        if (a.Length != b.Length)
        {
            throw new InvalidOperationException($"runs differ in iterations ({a.Length} vs {b.Length})");
        }

        for (int i = 0; i < a.Length; i++)
        {
            a[i] = Math.Min(a[i], b[i]);
        }

        return a;
    }

    private static int ArgMax(long[] a)
    {
        int best = 0;
        for (int i = 1; i < a.Length; i++)
        {
            best = a[i] > a[best] ? i : best;
        }

        return best;
    }

    private static double Median(long[] a)
    {
        long[] c = [.. a];
        Array.Sort(c);
        return c[c.Length / 2];
    }

    // Zeroes the counters, runs the phase, and prints the worst iteration and the traffic it forwarded meanwhile.
    private static double Phase(TextWriter output, PmdThread pmd, int tid, double hz, string name, Action work)
    {
        Check(pmd.Call(PmdCommand.StatsClear()));
        Volatile.Write(ref maxCpuNanoseconds, 0);
        long switches = InvoluntarySwitches(tid);
        int gcs = GC.CollectionCount(0);
        TimeSpan gcPause = GC.GetTotalPauseDuration();
        var sw = Stopwatch.StartNew();
        work();
        double seconds = sw.Elapsed.TotalSeconds;
        PmdStatsSnapshot s = pmd.Call(PmdCommand.StatsRequest()).Stats;
        double cpuUs = Volatile.Read(ref maxCpuNanoseconds) / 1e3;
        switches = InvoluntarySwitches(tid) - switches;
        gcs = GC.CollectionCount(0) - gcs;
        gcPause = GC.GetTotalPauseDuration() - gcPause;
        double maxUs = s.MaxIterationCycles / hz * 1e6;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"phase={name.Replace(' ', '_')} seconds={seconds:F2} max_iteration_cpu_us={cpuUs:F1} max_iteration_us={maxUs:F1} pmd_involuntary_switches={switches} " +
            $"worst_iteration[{worstDetail}] gcs={gcs} gc_pause_total_us={gcPause.TotalMicroseconds:F0} iterations={s.Iterations} packets={s.Packets} mpps={s.Packets / seconds / 1e6:F2} commands={s.Commands}"));
        return cpuUs;
    }

    // Megaflows of one mask that no replayed packet matches (in_port 9): one subtable grows to all of them.
    private static void Install(PmdThread pmd, int flows)
    {
        // Answered commands are reused, as the slow path does: the caller allocates nothing per flow, so the
        // phase measures the datapath and not the collections a wasteful caller would cause.
        var spare = new Stack<PmdCommand>(InFlight);
        int submitted = 0;
        int answered = 0;
        while (answered < flows)
        {
            // At most half the reply ring in flight: a reply the ring cannot take is lost, and so would be the count.
            while (submitted < flows && submitted - answered < InFlight)
            {
                PmdCommand cmd;
                if (spare.TryPop(out PmdCommand? reused))
                {
                    cmd = reused;
                    SetPut(cmd, submitted);
                }
                else
                {
                    cmd = PutOf(submitted);
                }

                if (!pmd.TrySubmit(cmd))
                {
                    spare.Push(cmd);
                    break;
                }

                submitted++;
            }

            bool any = false;
            while (pmd.Replies.TryDequeue(out PmdCommand reply))
            {
                Check(reply);
                spare.Push(reply);
                answered++;
                any = true;
            }

            if (!any)
            {
                Thread.Yield();
            }
        }
    }

    private static void SetPut(PmdCommand cmd, int i)
    {
        FlowMatch match = PutMatch(i);
        cmd.ReuseAsFlowPut(match, PutActions);
    }

    // Flow i of the installed set: in_port 9 (no traffic), its own nw_src, a scrambled nw_dst.
    private static PmdCommand PutOf(int i) => PmdCommand.FlowPut(PutMatch(i), PutActions);

    private static FlowMatch PutMatch(int i)
    {
        FlowKey key = PutTemplate.Key;
        BinaryPrimitives.WriteUInt32BigEndian(key.Bytes[FlowKey.Offsets.NwSrc..], (uint)i);
        BinaryPrimitives.WriteUInt32BigEndian(key.Bytes[FlowKey.Offsets.NwDst..], (uint)i * 2654435761u);
        return new FlowMatch(key, PutTemplate.Mask);
    }

    // Walks the dump as a revalidator would, reading each chunk in place: the caller allocates nothing per
    // flow, so no collection of its making stops the PMD.
    private static void Dump(PmdThread pmd, int expected)
    {
        int n = 0;
        long packets = 0;
        pmd.ForEachChunk(new FlowDumpBuffer(), chunk =>
        {
            for (int i = 0; i < chunk.Count; i++)
            {
                packets += chunk.StatsAt(i).Packets + chunk.ActionsAt(i).Length + (long)chunk.MatchAt(i).Key.ReadOnlyWords[0];
            }

            n += chunk.Count;
        });

        if (n != expected)
        {
            throw new InvalidOperationException($"dump returned {n} flows, {expected} are installed ({packets})");
        }
    }

    private static void Check(PmdCommand reply)
    {
        if (!reply.Ok)
        {
            throw new InvalidOperationException($"PMD refused {reply.Kind}: {reply.Error}");
        }
    }

    private static readonly byte[] PutActions = new ActionProgramBuilder().Output(2).ToArray();
    private static readonly FlowMatch PutTemplate =
        new MatchBuilder().InPort(9).EthType(EtherTypes.Ipv4).Ipv4Src("0.0.0.0").Ipv4Dst("0.0.0.0").Build();

    // Worst iteration of the current phase in thread CPU time, written by the PMD thread.
    private static long maxCpuNanoseconds;
    private static string worstDetail = "";

    private static long ThreadCpuNanoseconds()
    {
        Span<long> ts = stackalloc long[2];
        ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, ref ts[0]);
        return (ts[0] * 1_000_000_000) + ts[1];
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, ref long rusage);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, ref long timespec);

    // The kernel's id of the calling thread: /proc/thread-self links to "PID/task/TID".
    private static int GetTid() =>
        int.Parse(Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget!), CultureInfo.InvariantCulture);

    private static long InvoluntarySwitches(int tid)
    {
        foreach (string line in File.ReadLines($"/proc/self/task/{tid}/status"))
        {
            if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(27).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
