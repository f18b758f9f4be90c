using System.Globalization;
using BenchmarkDotNet.Running;
using FastPath.Benchmarks;

// `forward FLOWS RULESET SECONDS [CORE]` runs the timed end-to-end forwarding run and prints one line;
// anything else goes to BenchmarkDotNet (use --filter to pick benchmarks).
if (args.Length >= 4 && args[0] == "forward")
{
    int core = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : -1;
    Console.WriteLine(ForwardingRun.Run(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], double.Parse(args[3], CultureInfo.InvariantCulture), core));
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

/// <summary>Entry point of the benchmark runner.</summary>
public partial class Program;
