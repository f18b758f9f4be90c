using BenchmarkDotNet.Attributes;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Meters;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// The meter action per packet (one thread, so no contention on the bucket): a meter the traffic stays
/// under, one it is over (every packet dropped by the band), and the same program when the meter id is
/// not installed, against a bare output. Figures are ns per executed program.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class MeterBenchmarks
{
    private const int BatchSize = 32;
    private const uint Under = 1;
    private const uint Over = 2;
    private const uint Missing = 3;

    private PacketPool pool = null!;
    private Packet[] batch = null!;
    private MeterTable table = null!;
    private byte[] output = null!;
    private byte[] meteredUnder = null!;
    private byte[] meteredOver = null!;
    private byte[] meteredMissing = null!;
    private ulong now;

    /// <summary>Fills the batch and installs the meters: a rate far above any benchmark's and one packet a second.</summary>
    [GlobalSetup]
    public void Setup()
    {
        pool = new PacketPool(2 * BatchSize);
        batch = BenchmarkPackets.FillBatch(pool, BenchmarkPackets.Udp4(), BatchSize);
        table = new MeterTable(1_000_000_000, () => now);
        table.Set(Under, new MeterConfig(MeterFlags.Kbps | MeterFlags.Burst, [new MeterBand(MeterBandType.Drop, 100_000_000, 100_000_000)]));
        table.Set(Over, new MeterConfig(MeterFlags.Pktps | MeterFlags.Burst, [new MeterBand(MeterBandType.Drop, 1, 1)]));
        output = new ActionProgramBuilder().Output(1).ToArray();
        meteredUnder = new ActionProgramBuilder().Meter(Under).Output(1).ToArray();
        meteredOver = new ActionProgramBuilder().Meter(Over).Output(1).ToArray();
        meteredMissing = new ActionProgramBuilder().Meter(Missing).Output(1).ToArray();
        // The over-rate meter lets its one-packet burst through first; from then on it drops everything.
        if (Run(meteredUnder) != BatchSize || Run(meteredMissing) != BatchSize || Run(meteredOver) != 1 || Run(meteredOver) != 0)
        {
            throw new InvalidOperationException("the meters do not pass and drop as set up");
        }
    }

    /// <summary>Frees the pool's unmanaged region.</summary>
    [GlobalCleanup]
    public void Cleanup() => pool.Dispose();

    /// <summary>output:1 alone.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public long OutputOnly() => Run(output);

    /// <summary>meter:1,output:1 with the traffic under the rate: refill and take on one band, then output.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public long MeterUnderRate() => Run(meteredUnder);

    /// <summary>meter:2,output:1 with the traffic over the rate: every packet dropped and counted on the band.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public long MeterOverRate() => Run(meteredOver);

    /// <summary>meter:3,output:1 where meter 3 is not installed: the lookup alone.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public long MeterMissing() => Run(meteredMissing);

    private long Run(byte[] program)
    {
        // A new batch time per burst, as a PMD reads the TSC once per poll.
        now += 1000;
        ReadOnlySpan<byte> p = program;
        var sink = default(CountingSink);
        for (int i = 0; i < batch.Length; i++)
        {
            ActionExecutor.Execute(pool, ref batch[i], p, ref sink, table, now);
        }

        return sink.Outputs;
    }

    /// <summary>Counts outputs and keeps the frame for the next burst.</summary>
    private struct CountingSink : IActionSink
    {
        public long Outputs;

        public void Output(uint port, ref Packet packet, bool isLast) => Outputs++;

        public void Userspace(ulong cookie, ref Packet packet)
        {
        }
    }
}
