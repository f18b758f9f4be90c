using BenchmarkDotNet.Attributes;

namespace FastPath.Benchmarks;

/// <summary>
/// End to end: one PMD, replay port to null port, 64-byte UDP frames, through the EMC and megaflow
/// classifier. ns per packet; Mpps = 1000 / ns. Allocated must read 0 B.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class ForwardingBenchmarks
{
    private const int PacketsPerInvoke = 1 << 16;

    private ForwardingWorkload workload = null!;

    /// <summary>
    /// Distinct flows in the replayed capture, with the rule set that goes with it, and optionally the frame length
    /// without FCS (60 unless given): "1/s5" is the action-heavy scenario S5, "1/s1/1514" the 1518-byte frames of S6.
    /// </summary>
    [Params("1/s1", "10000/s2", "1/s5", "1/s1/1514")]
    public string Workload { get; set; } = "1/s1";

    /// <summary>Builds the workload and warms the caches.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Workload.Split('/');
        int frameLength = parts.Length > 2 ? int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : 60;
        workload = new ForwardingWorkload(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1], frameLength: frameLength);
        workload.RunPackets(1_000_000);
    }

    /// <summary>Frees the workload.</summary>
    [GlobalCleanup]
    public void Cleanup() => workload.Dispose();

    /// <summary>Forwards a fixed number of packets.</summary>
    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public void Forward() => workload.RunPackets(PacketsPerInvoke);
}
