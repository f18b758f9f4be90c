using System.Globalization;
using BenchmarkDotNet.Running;
using FastPath.Benchmarks;

// `forward FLOWS RULESET SECONDS [CORE [EMC_WAYS]] [tx=shared] [frame=BYTES]` runs the timed end-to-end forwarding
// run and prints one line (tx=shared sends through a tx queue shared under its lock, as a PMD does on a port with
// fewer tx queues than PMDs; frame=1514 replays the reference's 1518-byte frames, 60 by default); anything else goes to BenchmarkDotNet (use --filter to pick benchmarks).
if (args.Length >= 4 && args[0] == "forward")
{
    int core = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : -1;
    bool sharedTx = args.Contains("tx=shared");
    string? frame = args.FirstOrDefault(a => a.StartsWith("frame=", StringComparison.Ordinal));
    int frameLength = frame != null ? int.Parse(frame["frame=".Length..], CultureInfo.InvariantCulture) : 60;
    string[] numbers = [.. args.Where(a => a != "tx=shared" && a != frame)];
    int emcWays = numbers.Length > 5 ? int.Parse(numbers[5], CultureInfo.InvariantCulture) : new FastPath.Datapath.Pmd.PmdOptions().EmcWays;
    ForwardingRun.Result r = ForwardingRun.Run(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], double.Parse(args[3], CultureInfo.InvariantCulture), core, emcWays, sharedTx, frameLength);
    Console.WriteLine(r.Line);
    if (r.AllocatedBytes != 0 || r.Gen0Collections != 0)
    {
        // The forwarding loop must not allocate or collect; a run that did is a failed run.
        Console.Error.WriteLine($"forward: the PMD loop allocated {r.AllocatedBytes} bytes and caused {r.Gen0Collections} gen0 collections");
        return 2;
    }

    return 0;
}

// `pause [FLOWS] [CORE] [RUNS]` measures the PMD's worst poll iteration while FLOWS megaflows (default
// 1,000,000) are installed and dumped under traffic, then the same work's own cost with the machine's noise
// filtered out (minimum of RUNS replays); it fails when the latter exceeds PauseRun.BudgetMicroseconds.
if (args.Length >= 1 && args[0] == "pause")
{
    int flows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
    int core = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : -1;
    int runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
    PauseRun.Run(flows, core, Console.Out);
    (double install, double dump) = PauseRun.MeasureOwnWork(flows, runs, Console.Out);
    double worst = Math.Max(install, dump);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst_own_iteration_us={worst:F1} budget_us={PauseRun.BudgetMicroseconds:F0}"));
    if (worst > PauseRun.BudgetMicroseconds)
    {
        Console.Error.WriteLine($"pause: the PMD's own work held a poll iteration for {worst:F1} us, over the {PauseRun.BudgetMicroseconds:F0} us budget");
        return 1;
    }

    return 0;
}

// With no arguments every benchmark runs (no interactive menu), so `dotnet run -c Release` just works.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
return 0;

/// <summary>Entry point of the benchmark runner.</summary>
public partial class Program;
