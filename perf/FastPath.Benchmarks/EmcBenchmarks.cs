using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Emc;
using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// Exact-match cache per packet: hashing the key, a hit (hash, 128-byte compare, megaflow liveness
/// check), and a miss that offers an insert; direct-mapped and two-way side by side.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 5)]
public class EmcBenchmarks
{
    private const int KeyCount = 4096;

    private MegaflowClassifier classifier = null!;
    private ExactMatchCache emc = null!;
    private FlowKey[] keys = null!;
    private FlowKey[] missKeys = null!;
    private uint[] hashes = null!;

    /// <summary>Distinct flows in the traffic: all cached (1024), or half the cache (4096).</summary>
    [Params(1024, 4096)]
    public int ActiveFlows { get; set; }

    /// <summary>EMC associativity: 1 direct-mapped, 2 two-way (Open vSwitch's).</summary>
    [Params(1, 2)]
    public int Ways { get; set; }

    /// <summary>Installs one megaflow and caches every active flow's key.</summary>
    [GlobalSetup]
    public void Setup()
    {
        classifier = new MegaflowClassifier();
        int id = classifier.Insert(new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Build(), new byte[16]);
        uint gen = classifier.GetGeneration(id);
        emc = new ExactMatchCache(ExactMatchCache.DefaultEntries, 1, Ways);
        var rng = new Random(7);
        var flows = new FlowKey[ActiveFlows];
        for (int i = 0; i < flows.Length; i++)
        {
            flows[i] = Key((uint)i, rng);
            emc.Insert(flows[i], ExactMatchCache.Hash(flows[i]), id, gen);
        }

        keys = new FlowKey[KeyCount];
        hashes = new uint[KeyCount];
        missKeys = new FlowKey[KeyCount];
        for (int i = 0; i < KeyCount; i++)
        {
            keys[i] = flows[rng.Next(flows.Length)];
            hashes[i] = ExactMatchCache.Hash(keys[i]);
            missKeys[i] = Key((uint)(1_000_000 + i), rng);
        }

        emc.InsertInverseProbability = ExactMatchCache.DefaultInsertInverseProbability;
    }

    /// <summary>Frees the cache and the table.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        emc.Dispose();
        classifier.Dispose();
    }

    /// <summary>The full-key hash alone.</summary>
    [Benchmark(OperationsPerInvoke = KeyCount)]
    public uint Hash()
    {
        uint acc = 0;
        FlowKey[] k = keys;
        for (int i = 0; i < k.Length; i++)
        {
            acc += ExactMatchCache.Hash(k[i]);
        }

        return acc;
    }

    /// <summary>Hash plus lookup, as the PMD does per packet; hits for cached flows (at 4096, some collided out: fewer with two ways).</summary>
    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int HashAndLookup()
    {
        int sum = 0;
        FlowKey[] k = keys;
        for (int i = 0; i < k.Length; i++)
        {
            sum += emc.Lookup(k[i], ExactMatchCache.Hash(k[i]), classifier);
        }

        return sum;
    }

    /// <summary>Lookup with the hash already known.</summary>
    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int LookupOnly()
    {
        int sum = 0;
        FlowKey[] k = keys;
        uint[] h = hashes;
        for (int i = 0; i < k.Length; i++)
        {
            sum += emc.Lookup(k[i], h[i], classifier);
        }

        return sum;
    }

    /// <summary>A miss followed by a 1-in-100 insert offer (keys never cached before, mostly).</summary>
    [Benchmark(OperationsPerInvoke = KeyCount)]
    public int MissAndOfferInsert()
    {
        int sum = 0;
        FlowKey[] k = missKeys;
        for (int i = 0; i < k.Length; i++)
        {
            uint h = ExactMatchCache.Hash(k[i]);
            int id = emc.Lookup(k[i], h, classifier);
            if (id < 0)
            {
                emc.MaybeInsert(k[i], h, 0, 0);
            }

            sum += id;
        }

        return sum;
    }

    private static FlowKey Key(uint i, Random rng)
    {
        FlowKey k = default;
        k.InPort = 1;
        k.EthType = EtherTypes.Ipv4;
        k.NwProto = 17;
        k.NwTtl = 64;
        BinaryPrimitives.WriteUInt32BigEndian(k.Bytes[FlowKey.Offsets.NwSrc..], 0x0a000000u + i);
        BinaryPrimitives.WriteUInt32BigEndian(k.Bytes[FlowKey.Offsets.NwDst..], 0xc0a80001u);
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpSrc..], (ushort)rng.Next(1024, 65536));
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpDst..], 4789);
        return k;
    }
}
