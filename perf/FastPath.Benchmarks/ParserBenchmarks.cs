using BenchmarkDotNet.Attributes;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// Flow-key extraction per packet for the common frame shapes, from frames in a packet pool as a
/// PMD sees them after a receive burst.
/// </summary>
/// <remarks>
/// Each invocation parses one 32-packet batch (the PMD burst size), so the figure is ns per packet
/// with the timer's overhead spread over the batch. Every batch holds 32 copies of one frame: the
/// branch predictor learns the shape, as it does on a link carrying one kind of traffic; mixed
/// traffic costs more.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class ParserBenchmarks
{
    private const int BatchSize = 32;

    private PacketPool pool = null!;
    private Packet[] udp4 = null!;
    private Packet[] tcp6 = null!;
    private Packet[] vlanUdp4 = null!;
    private Packet[] qinqUdp4 = null!;

    /// <summary>Copies each frame shape into its own batch of pool frames.</summary>
    [GlobalSetup]
    public void Setup()
    {
        pool = new PacketPool(4 * BatchSize);
        udp4 = BenchmarkPackets.FillBatch(pool, BenchmarkPackets.Udp4(), BatchSize);
        tcp6 = BenchmarkPackets.FillBatch(pool, BenchmarkPackets.Tcp6(), BatchSize);
        vlanUdp4 = BenchmarkPackets.FillBatch(pool, BenchmarkPackets.VlanUdp4(), BatchSize);
        qinqUdp4 = BenchmarkPackets.FillBatch(pool, BenchmarkPackets.QinQUdp4(), BatchSize);
    }

    /// <summary>Frees the pool's unmanaged region.</summary>
    [GlobalCleanup]
    public void Cleanup() => pool.Dispose();

    /// <summary>64-byte UDP/IPv4, untagged: the reference workload.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public long Udp4() => ParseBatch(udp4);

    /// <summary>TCP/IPv6 without extension headers (80 bytes).</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public long Tcp6() => ParseBatch(tcp6);

    /// <summary>UDP/IPv4 behind one 802.1Q tag.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public long VlanUdp4() => ParseBatch(vlanUdp4);

    /// <summary>UDP/IPv4 behind an 802.1ad outer and an 802.1Q inner tag.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public long QinQUdp4() => ParseBatch(qinqUdp4);

    private long ParseBatch(Packet[] batch)
    {
        PacketPool p = pool;
        long acc = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            ref Packet packet = ref batch[i];
            FlowExtractor.Extract(p.GetData(packet), ref packet, out FlowKey key);

            // Reading fields from both ends of the parse keeps the JIT from discarding any of it.
            acc += key.TpDst + (long)key.Flags + key.EthType;
        }

        return acc;
    }
}
