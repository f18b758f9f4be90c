using BenchmarkDotNet.Attributes;
using FastPath.Datapath.Meters;

namespace FastPath.Benchmarks;

/// <summary>
/// End to end with an OpenFlow meter: one PMD forwarding the 1-flow workload through a megaflow whose program
/// is meter then output (as xlate makes it for a rule with a meter instruction), against the same without the
/// meter. ns per packet; the meters are shared by the datapath's PMDs, so each packet pays atomics on the bucket.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class MeteredForwardingBenchmarks
{
    private const int PacketsPerInvoke = 1 << 16;

    private ForwardingWorkload workload = null!;

    /// <summary>
    /// none: no meter; pktps/kbps: a drop band far above the traffic (every packet charged, none dropped);
    /// over: a drop band of 1 packet per second (every packet dropped by the meter).
    /// </summary>
    [Params("none", "pktps", "kbps", "over")]
    public string Meter { get; set; } = "none";

    /// <summary>Builds the workload and warms the caches.</summary>
    [GlobalSetup]
    public void Setup()
    {
        MeterConfig? meter = Meter switch
        {
            "none" => null,
            "pktps" => new MeterConfig(MeterFlags.Pktps, [new MeterBand(MeterBandType.Drop, 1_000_000_000)]),
            "kbps" => new MeterConfig(MeterFlags.Kbps, [new MeterBand(MeterBandType.Drop, 1_000_000_000)]),
            "over" => new MeterConfig(MeterFlags.Pktps | MeterFlags.Burst, [new MeterBand(MeterBandType.Drop, 1, 1)]),
            _ => throw new ArgumentException($"unknown meter case {Meter}"),
        };
        workload = new ForwardingWorkload(1, "s1", source: MegaflowSource.Precomputed, meter: meter);
        workload.RunPackets(1_000_000);
        long sent = workload.Sent;
        if (Meter == "over" ? sent > 100 : sent < 1_000_000)
        {
            throw new InvalidOperationException($"{Meter}: {sent} of 1000000 packets sent, not what the meter should let through");
        }
    }

    /// <summary>Frees the workload.</summary>
    [GlobalCleanup]
    public void Cleanup() => workload.Dispose();

    /// <summary>Forwards (or meters away) a fixed number of packets.</summary>
    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public void Forward() => workload.RunPackets(PacketsPerInvoke);
}
