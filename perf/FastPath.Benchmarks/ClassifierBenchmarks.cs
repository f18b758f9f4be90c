using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// Megaflow classifier lookups, every key a hit: flows spread evenly over the subtables, so a lookup
/// searches (subtables + 1) / 2 subtables on average. Each mask touches four key words (in_port,
/// eth_type, nw_src, nw_dst prefix); every flow has its own nw_src, so each key has exactly one match.
/// Keys are visited in random order so large tables pay their cache misses.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 5)]
public class ClassifierBenchmarks
{
    private const int KeyCount = 4096;

    private MegaflowClassifier classifier = null!;
    private FlowKey[] keys = null!;
    private int[] ids = null!;

    /// <summary>Distinct masks.</summary>
    [Params(1, 8, 32)]
    public int Subtables { get; set; }

    /// <summary>Installed megaflows.</summary>
    [Params(1_000, 100_000, 1_000_000)]
    public int Flows { get; set; }

    /// <summary>Installs the flows and picks the keys.</summary>
    [GlobalSetup]
    public void Setup()
    {
        classifier = new MegaflowClassifier(Flows);
        byte[] actions = new byte[16];
        for (int i = 0; i < Flows; i++)
        {
            if (classifier.Insert(MatchOf(i), actions) < 0)
            {
                throw new InvalidOperationException("insert failed");
            }
        }

        // A PMD finishes any growth the last inserts began in its idle iterations; measure that steady state.
        classifier.DrainRehash(int.MaxValue);

        var rng = new Random(42);
        keys = new FlowKey[KeyCount];
        for (int i = 0; i < KeyCount; i++)
        {
            keys[i] = KeyOf(rng.Next(Flows), rng);
        }

        ids = new int[MegaflowClassifier.MaxBatch];
        for (int i = 0; i < KeyCount; i++)
        {
            if (classifier.Lookup(keys[i]) < 0)
            {
                throw new InvalidOperationException("a benchmark key misses");
            }
        }
    }

    /// <summary>Frees the table.</summary>
    [GlobalCleanup]
    public void Cleanup() => classifier.Dispose();

    /// <summary>One key at a time.</summary>
    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int Single()
    {
        int sum = 0;
        FlowKey[] k = keys;
        for (int i = 0; i < k.Length; i++)
        {
            sum += classifier.Lookup(k[i]);
        }

        return sum;
    }

    /// <summary>Batches of 32 keys, as the PMD does after an rx burst.</summary>
    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int Batch()
    {
        int sum = 0;
        ReadOnlySpan<FlowKey> k = keys;
        for (int i = 0; i < k.Length; i += MegaflowClassifier.MaxBatch)
        {
            sum += classifier.LookupBatch(k.Slice(i, MegaflowClassifier.MaxBatch), ids);
        }

        return sum;
    }

    private FlowMatch MatchOf(int i)
    {
        int s = i % Subtables;
        uint src = 0x0a000000u + (uint)i;
        uint dst = 0xc0a80000u + (uint)(i * 7);
        return new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4)
            .Ipv4Src($"{src >> 24}.{(src >> 16) & 255}.{(src >> 8) & 255}.{src & 255}")
            .Ipv4Dst($"{dst >> 24}.{(dst >> 16) & 255}.{(dst >> 8) & 255}.{dst & 255}/{32 - s}")
            .Build();
    }

    private static FlowKey KeyOf(int i, Random rng)
    {
        FlowKey k = default;
        k.InPort = 1;
        k.EthType = EtherTypes.Ipv4;
        k.NwProto = 6;
        k.NwTtl = 64;
        BinaryPrimitives.WriteUInt32BigEndian(k.Bytes[FlowKey.Offsets.NwSrc..], 0x0a000000u + (uint)i);
        BinaryPrimitives.WriteUInt32BigEndian(k.Bytes[FlowKey.Offsets.NwDst..], 0xc0a80000u + (uint)(i * 7));
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpSrc..], (ushort)rng.Next(1024, 65536));
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpDst..], 80);
        return k;
    }
}
