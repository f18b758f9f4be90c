using System.Buffers.Binary;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Emc;
using FastPath.Datapath.Flows;
using FastPath.Packets;
using static FastPath.Datapath.Tests.Classifier.ClassifierTestData;

namespace FastPath.Datapath.Tests.Emc;

public class ExactMatchCacheTests
{
    private static FlowKey Tcp(uint src, uint dst, ushort sport, ushort dport)
    {
        FlowKey k = default;
        k.InPort = 1;
        k.EthType = EtherTypes.Ipv4;
        k.NwProto = 6;
        BinaryPrimitives.WriteUInt32BigEndian(k.Bytes[FlowKey.Offsets.NwSrc..], src);
        BinaryPrimitives.WriteUInt32BigEndian(k.Bytes[FlowKey.Offsets.NwDst..], dst);
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpSrc..], sport);
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpDst..], dport);
        return k;
    }

    private static FlowMatch ToPort(uint inPort) => new MatchBuilder().InPort(inPort).Build();

    [Fact]
    public void HitsOnlyTheSameKeyOfALiveFlow()
    {
        using var c = new MegaflowClassifier();
        using var emc = new ExactMatchCache(insertInverseProbability: 1);
        int id = c.Insert(ToPort(1), ActionsFor(0));
        FlowKey k = Tcp(0x0a000001, 0x0a000002, 1234, 80);
        uint h = ExactMatchCache.Hash(k);
        Assert.Equal(-1, emc.Lookup(k, h, c));
        emc.MaybeInsert(k, h, id, c.GetGeneration(id));
        Assert.Equal(id, emc.Lookup(k, h, c));

        // Same index and hash but a different key: the full compare rejects it.
        FlowKey other = Tcp(0x0a000001, 0x0a000002, 1234, 81);
        Assert.Equal(-1, emc.Lookup(other, h, c));

        // Every single bit of the key takes part in the compare.
        for (int bit = 0; bit < FlowKey.Size * 8; bit++)
        {
            FlowKey flipped = k;
            flipped.Bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Equal(-1, emc.Lookup(flipped, h, c));
        }

        emc.Clear();
        Assert.Equal(-1, emc.Lookup(k, h, c));
    }

    [Fact]
    public void MegaflowRemovalFlushAndSlotReuseMakeEntriesMiss()
    {
        using var c = new MegaflowClassifier();
        using var emc = new ExactMatchCache(insertInverseProbability: 1);
        int id = c.Insert(ToPort(1), ActionsFor(0));
        FlowKey k = Tcp(1, 2, 3, 4);
        uint h = ExactMatchCache.Hash(k);
        emc.MaybeInsert(k, h, id, c.GetGeneration(id));
        Assert.Equal(id, emc.Lookup(k, h, c));

        c.Remove(id);
        Assert.Equal(-1, emc.Lookup(k, h, c));

        // The id comes back for a different megaflow: the old entry must not point at it.
        int reused = c.Insert(ToPort(2), ActionsFor(1));
        Assert.Equal(id, reused);
        Assert.Equal(-1, emc.Lookup(k, h, c));

        emc.MaybeInsert(k, h, reused, c.GetGeneration(reused));
        Assert.Equal(reused, emc.Lookup(k, h, c));
        c.Flush();
        Assert.Equal(-1, emc.Lookup(k, h, c));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(10)]
    [InlineData(3)]
    public void ProbabilisticInsertionRateIsAboutOneInN(int n)
    {
        using var c = new MegaflowClassifier();
        using var emc = new ExactMatchCache(insertInverseProbability: n);
        int id = c.Insert(ToPort(1), ActionsFor(0));
        uint gen = c.GetGeneration(id);
        const int offers = 1_000_000;
        FlowKey k = Tcp(1, 2, 3, 4);
        for (int i = 0; i < offers; i++)
        {
            emc.MaybeInsert(k, (uint)i, id, gen);
        }

        double expected = offers / (double)n;
        Assert.InRange((double)emc.Insertions, expected * 0.9, expected * 1.1);
    }

    [Fact]
    public void InverseProbabilityOneAlwaysAndZeroNever()
    {
        using var c = new MegaflowClassifier();
        int id = c.Insert(ToPort(1), ActionsFor(0));
        using var emc = new ExactMatchCache(1024, 1);
        for (int i = 0; i < 500; i++)
        {
            FlowKey k = Tcp((uint)i, 2, 3, 4);
            emc.MaybeInsert(k, ExactMatchCache.Hash(k), id, c.GetGeneration(id));
        }

        Assert.Equal(500UL, emc.Insertions);
        Assert.InRange(emc.CountOccupied(), 350, 440); // 500 keys into 1024 direct-mapped entries: ~395 distinct

        emc.InsertInverseProbability = 0;
        Assert.False(emc.Enabled);
        Assert.Equal(0, emc.CountOccupied());
        FlowKey again = Tcp(1, 2, 3, 4);
        uint h = ExactMatchCache.Hash(again);
        emc.MaybeInsert(again, h, id, c.GetGeneration(id));
        Assert.Equal(-1, emc.Lookup(again, h, c));
        Assert.Equal(500UL, emc.Insertions);
    }

    [Fact]
    public void ConstructorChecksArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactMatchCache(1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactMatchCache(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactMatchCache(1024, -1));
        using var emc = new ExactMatchCache();
        Assert.Equal(ExactMatchCache.DefaultEntries, emc.Capacity);
        Assert.Equal(ExactMatchCache.DefaultInsertInverseProbability, emc.InsertInverseProbability);
    }

    [Fact]
    public void DisposedCacheThrowsInsteadOfTouchingFreedMemory()
    {
        using var c = new MegaflowClassifier();
        var emc = new ExactMatchCache();
        emc.Dispose();
        FlowKey k = default;
        Assert.Throws<ObjectDisposedException>(() => emc.Lookup(k, 0, c));
        Assert.Throws<ObjectDisposedException>(() => emc.Insert(k, 0, 0, 0));
        Assert.Throws<ObjectDisposedException>(() => emc.Clear());
    }

    [Theory]
    [InlineData("sequential-dst")]
    [InlineData("sequential-ports")]
    [InlineData("five-tuple-grid")]
    [InlineData("random")]
    public void HashSpreadsKeysEvenlyOverTheEntries(string pattern)
    {
        const int buckets = 8192;
        const int keys = 65536;
        var rng = new Random(5);
        var load = new int[buckets];
        var hashes = new HashSet<uint>();
        for (int i = 0; i < keys; i++)
        {
            FlowKey k = pattern switch
            {
                "sequential-dst" => Tcp(0x0a000001, 0x0a000000u + (uint)i, 1000, 80),
                "sequential-ports" => Tcp(0x0a000001, 0x0a000002, (ushort)(i & 0xff), (ushort)(i >> 8)),
                "five-tuple-grid" => Tcp(0xc0a80000u + (uint)(i & 15), 0xc0a80100u + (uint)((i >> 4) & 15), (ushort)(1024 + ((i >> 8) & 15)), (ushort)(i >> 12)),
                _ => RandomKey(rng),
            };
            uint h = ExactMatchCache.Hash(k);
            hashes.Add(h);
            load[h & (buckets - 1)]++;
        }

        // Uniform spread: chi-square near its 8191 degrees of freedom (sd ~128), no pile-ups, few full collisions.
        double mean = keys / (double)buckets;
        double chi2 = load.Sum(l => (l - mean) * (l - mean) / mean);
        Assert.True(chi2 < buckets + (6 * Math.Sqrt(2.0 * buckets)), $"chi-square {chi2:F0} for {pattern}");
        Assert.True(load.Max() < 30, $"a bucket holds {load.Max()} keys for {pattern}");
        Assert.True(hashes.Count > keys - 10, $"{keys - hashes.Count} full 32-bit collisions for {pattern}");
    }

    [Fact]
    public void LookupAndInsertAllocateNothing()
    {
        using var c = new MegaflowClassifier();
        int id = c.Insert(ToPort(1), ActionsFor(0));
        uint gen = c.GetGeneration(id);
        using var emc = new ExactMatchCache(8192, 2);
        var keys = new FlowKey[256];
        var hashes = new uint[256];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = Tcp((uint)i, 2, 3, (ushort)i);
            hashes[i] = ExactMatchCache.Hash(keys[i]);
        }

        long hits = 0;
        void Run()
        {
            for (int r = 0; r < 200; r++)
            {
                for (int i = 0; i < keys.Length; i++)
                {
                    uint h = ExactMatchCache.Hash(keys[i]);
                    int found = emc.Lookup(keys[i], h, c);
                    if (found < 0)
                    {
                        emc.MaybeInsert(keys[i], h, id, gen);
                    }
                    else
                    {
                        hits++;
                    }
                }
            }
        }

        Assert.Equal(0, SteadyState.AllocatedBytes(Run));
        Assert.True(hits > 0);
    }
}
