using BenchmarkDotNet.Running;

// Runs every benchmark in this assembly, or the ones picked with --filter.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point of the benchmark runner.</summary>
public partial class Program;
