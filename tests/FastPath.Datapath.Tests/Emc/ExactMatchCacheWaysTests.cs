using System.Buffers.Binary;
using System.Numerics;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Emc;
using FastPath.Datapath.Flows;
using FastPath.Packets;
using static FastPath.Datapath.Tests.Classifier.ClassifierTestData;

namespace FastPath.Datapath.Tests.Emc;

/// <summary>The EMC direct-mapped and two-way: lookups, collisions, replacement, invalidation, insertion rate, allocation.</summary>
public class ExactMatchCacheWaysTests
{
    private static FlowKey Udp(uint i)
    {
        FlowKey k = default;
        k.InPort = 1;
        k.EthType = EtherTypes.Ipv4;
        k.NwProto = 17;
        BinaryPrimitives.WriteUInt32BigEndian(k.Bytes[FlowKey.Offsets.NwSrc..], 0x0a000000u + i);
        BinaryPrimitives.WriteUInt32BigEndian(k.Bytes[FlowKey.Offsets.NwDst..], 0xc0a80001u);
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpSrc..], (ushort)(i * 7));
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpDst..], 4789);
        return k;
    }

    private static uint First(uint hash, int entries) => hash & (uint)(entries - 1);

    private static uint Second(uint hash, int entries) =>
        BitOperations.RotateRight(hash, BitOperations.Log2((uint)entries)) & (uint)(entries - 1);

    /// <summary>Keys whose first entry is <paramref name="index"/> and whose second entry satisfies <paramref name="second"/>.</summary>
    private static IEnumerable<(FlowKey Key, uint Hash)> KeysAt(int entries, uint index, Func<uint, bool> second, uint start = 0)
    {
        for (uint i = start; ; i++)
        {
            FlowKey k = Udp(i);
            uint h = ExactMatchCache.Hash(k);
            if (First(h, entries) == index && second(Second(h, entries)))
            {
                yield return (k, h);
            }
        }
    }

    private static FlowMatch ToPort(uint inPort) => new MatchBuilder().InPort(inPort).Build();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void HitsOnlyTheSameKeyOfALiveFlow(int ways)
    {
        using var c = new MegaflowClassifier();
        using var emc = new ExactMatchCache(1024, 1, ways);
        Assert.Equal(ways, emc.Ways);
        int id = c.Insert(ToPort(1), ActionsFor(0));
        var keys = Enumerable.Range(0, 300).Select(i => Udp((uint)i)).ToArray();
        foreach (FlowKey k in keys)
        {
            Assert.Equal(-1, emc.Lookup(k, ExactMatchCache.Hash(k), c));
        }

        FlowKey cached = keys[0];
        uint h = ExactMatchCache.Hash(cached);
        emc.Insert(cached, h, id, c.GetGeneration(id));
        Assert.Equal(id, emc.Lookup(cached, h, c));

        // A different key given the same hash is rejected by the full compare, in either entry.
        Assert.All(keys[1..], k => Assert.Equal(-1, emc.Lookup(k, h, c)));
        for (int bit = 0; bit < FlowKey.Size * 8; bit += 7)
        {
            FlowKey flipped = cached;
            flipped.Bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Equal(-1, emc.Lookup(flipped, h, c));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TwoKeysOnOneEntryBothStayOnlyWhenTwoWay(int ways)
    {
        const int entries = 64;
        using var c = new MegaflowClassifier();
        using var emc = new ExactMatchCache(entries, 1, ways);
        int a = c.Insert(ToPort(1), ActionsFor(0));
        int b = c.Insert(ToPort(2), ActionsFor(1));

        // Same first entry (5); different second entries, neither of them 5.
        var (k1, h1) = KeysAt(entries, 5, s => s != 5).First();
        uint s1 = Second(h1, entries);
        var (k2, h2) = KeysAt(entries, 5, s => s != 5 && s != s1).First();
        emc.Insert(k1, h1, a, c.GetGeneration(a));
        emc.Insert(k2, h2, b, c.GetGeneration(b));

        Assert.Equal(b, emc.Lookup(k2, h2, c));
        Assert.Equal(ways == 2 ? a : -1, emc.Lookup(k1, h1, c));
        Assert.Equal(ways == 2 ? 2 : 1, emc.CountOccupied());
    }

    [Fact]
    public void TwoWayRefreshesTheEntryThatHoldsTheKeyInsteadOfCopyingIt()
    {
        const int entries = 64;
        using var c = new MegaflowClassifier();
        using var emc = new ExactMatchCache(entries, 1, ways: 2);
        int a = c.Insert(ToPort(1), ActionsFor(0));
        int b = c.Insert(ToPort(2), ActionsFor(1));
        var (k1, h1) = KeysAt(entries, 9, s => s != 9).First();
        var (k2, h2) = KeysAt(entries, 9, s => s != 9 && s != Second(h1, entries)).First();

        // k2 ends up in its second entry; re-inserting it there must not also fill its first.
        emc.Insert(k1, h1, a, c.GetGeneration(a));
        emc.Insert(k2, h2, a, c.GetGeneration(a));
        emc.Insert(k2, h2, b, c.GetGeneration(b));
        Assert.Equal(2, emc.CountOccupied());
        Assert.Equal(b, emc.Lookup(k2, h2, c));
        Assert.Equal(a, emc.Lookup(k1, h1, c));
    }

    [Fact]
    public void TwoWayReplacesTheEntryWithTheLowerHashWhenBothAreTaken()
    {
        const int entries = 64;
        using var c = new MegaflowClassifier();
        int id = c.Insert(ToPort(1), ActionsFor(0));
        uint gen = c.GetGeneration(id);

        // The newcomer's two entries are x and y; one resident sits in each (inserted first, so each
        // takes its own empty first entry) and neither resident's other entry is x or y.
        var (newcomer, hn) = KeysAt(entries, 3, s => s != 3).First();
        uint y = Second(hn, entries);
        var (atX, hx) = KeysAt(entries, 3, s => s != 3 && s != y).First();
        var (atY, hy) = KeysAt(entries, y, s => s != 3 && s != y).First();

        using var emc = new ExactMatchCache(entries, 1, ways: 2);
        emc.Insert(atX, hx, id, gen);
        emc.Insert(atY, hy, id, gen);
        Assert.Equal(id, emc.Lookup(atX, hx, c));
        Assert.Equal(id, emc.Lookup(atY, hy, c));

        emc.Insert(newcomer, hn, id, gen);
        Assert.Equal(id, emc.Lookup(newcomer, hn, c));
        bool xLower = hx < hy;
        Assert.Equal(xLower ? -1 : id, emc.Lookup(atX, hx, c));
        Assert.Equal(xLower ? id : -1, emc.Lookup(atY, hy, c));
        Assert.Equal(2, emc.CountOccupied());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RemovedFlushedOrReusedMegaflowsMissInEitherEntry(int ways)
    {
        const int entries = 64;
        using var c = new MegaflowClassifier();
        using var emc = new ExactMatchCache(entries, 1, ways);
        int keep = c.Insert(ToPort(1), ActionsFor(0));
        int gone = c.Insert(ToPort(2), ActionsFor(1));

        // With two ways the second key sits in its second entry.
        var (k1, h1) = KeysAt(entries, 11, s => s != 11).First();
        var (k2, h2) = KeysAt(entries, 11, s => s != 11 && s != Second(h1, entries)).First();
        emc.Insert(k1, h1, keep, c.GetGeneration(keep));
        emc.Insert(k2, h2, gone, c.GetGeneration(gone));
        Assert.Equal(gone, emc.Lookup(k2, h2, c));

        c.Remove(gone);
        Assert.Equal(-1, emc.Lookup(k2, h2, c));
        int reused = c.Insert(ToPort(3), ActionsFor(2));
        Assert.Equal(gone, reused);
        Assert.Equal(-1, emc.Lookup(k2, h2, c));
        Assert.Equal(ways == 2 ? keep : -1, emc.Lookup(k1, h1, c));

        // The stale entry is refreshed where it is, not duplicated.
        emc.Insert(k2, h2, reused, c.GetGeneration(reused));
        Assert.Equal(reused, emc.Lookup(k2, h2, c));
        Assert.Equal(ways, emc.CountOccupied());

        c.Flush();
        Assert.Equal(-1, emc.Lookup(k1, h1, c));
        Assert.Equal(-1, emc.Lookup(k2, h2, c));
        emc.Clear();
        Assert.Equal(0, emc.CountOccupied());
    }

    [Fact]
    public void TwoWayKeepsMoreOfAHalfFullCacheThanDirectMapped()
    {
        // 4096 keys into 8192 entries: direct-mapped keeps about (1 - e^-0.5) / 0.5 = 79% of them.
        using var c = new MegaflowClassifier();
        int id = c.Insert(ToPort(1), ActionsFor(0));
        uint gen = c.GetGeneration(id);
        var keys = Enumerable.Range(0, 4096).Select(i => Udp((uint)i)).ToArray();
        double Resident(int ways)
        {
            using var emc = new ExactMatchCache(8192, 1, ways);
            foreach (FlowKey k in keys)
            {
                emc.Insert(k, ExactMatchCache.Hash(k), id, gen);
            }

            return keys.Count(k => emc.Lookup(k, ExactMatchCache.Hash(k), c) == id) / (double)keys.Length;
        }

        double direct = Resident(1);
        double twoWay = Resident(2);
        Assert.InRange(direct, 0.74, 0.84);
        Assert.True(twoWay > 0.92, $"two-way keeps {twoWay:P1}");
    }

    [Fact]
    public void TwoWayInsertsAboutOneOfferInN()
    {
        using var c = new MegaflowClassifier();
        using var emc = new ExactMatchCache(8192, 20, ways: 2);
        int id = c.Insert(ToPort(1), ActionsFor(0));
        uint gen = c.GetGeneration(id);
        const int offers = 400_000;
        for (uint i = 0; i < offers; i++)
        {
            FlowKey k = Udp(i);
            emc.MaybeInsert(k, ExactMatchCache.Hash(k), id, gen);
        }

        Assert.InRange((double)emc.Insertions, offers / 20.0 * 0.9, offers / 20.0 * 1.1);
    }

    [Fact]
    public void WaysMustBeOneOrTwo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactMatchCache(1024, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactMatchCache(1024, 1, 3));
        using var single = new ExactMatchCache(1, 1, 2);
        using var c = new MegaflowClassifier();
        int id = c.Insert(ToPort(1), ActionsFor(0));
        FlowKey k = Udp(1);
        single.Insert(k, ExactMatchCache.Hash(k), id, c.GetGeneration(id));
        Assert.Equal(id, single.Lookup(k, ExactMatchCache.Hash(k), c));
    }

    [Fact]
    public void TwoWayLookupAndInsertAllocateNothing()
    {
        using var c = new MegaflowClassifier();
        int id = c.Insert(ToPort(1), ActionsFor(0));
        uint gen = c.GetGeneration(id);
        using var emc = new ExactMatchCache(1024, 2, ways: 2);
        var keys = Enumerable.Range(0, 2048).Select(i => Udp((uint)i)).ToArray();
        long hits = 0;
        void Run()
        {
            for (int r = 0; r < 20; r++)
            {
                for (int i = 0; i < keys.Length; i++)
                {
                    uint h = ExactMatchCache.Hash(keys[i]);
                    emc.Prefetch(h);
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
