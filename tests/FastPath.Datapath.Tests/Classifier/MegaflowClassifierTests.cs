using System.Buffers.Binary;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Packets;
using static FastPath.Datapath.Tests.Classifier.ClassifierTestData;

namespace FastPath.Datapath.Tests.Classifier;

public class MegaflowClassifierTests
{
    private static FlowMatch Ip4Dst(uint inPort, string cidr) => new MatchBuilder().InPort(inPort).EthType(EtherTypes.Ipv4).Ipv4Dst(cidr).Build();

    private static FlowKey Packet(uint inPort, string dst, ushort tpDst = 80)
    {
        FlowKey k = default;
        k.InPort = inPort;
        k.EthType = EtherTypes.Ipv4;
        System.Net.IPAddress.Parse(dst).GetAddressBytes().CopyTo(k.Bytes[FlowKey.Offsets.NwDst..]);
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpDst..], tpDst);
        return k;
    }

    [Fact]
    public void InsertLookupRemoveReinsert()
    {
        using var c = new MegaflowClassifier();
        int a = c.Insert(Ip4Dst(1, "10.0.0.0/8"), [1, 0, 0, 0, 0, 0, 0, 0]);
        int b = c.Insert(Ip4Dst(1, "192.168.1.0/24"), [2, 0, 0, 0, 0, 0, 0, 0]);
        Assert.NotEqual(a, b);
        Assert.Equal(2, c.Count);
        Assert.Equal(2, c.SubtableCount);
        Assert.Equal(a, c.Lookup(Packet(1, "10.1.2.3")));
        Assert.Equal(b, c.Lookup(Packet(1, "192.168.1.77")));
        Assert.Equal(-1, c.Lookup(Packet(2, "10.1.2.3")));
        Assert.Equal(-1, c.Lookup(Packet(1, "192.168.2.1")));
        Assert.Equal(1, c.GetActions(a)[0]);

        uint gen = c.GetGeneration(a);
        Assert.True(c.Remove(a));
        Assert.False(c.Remove(a));
        Assert.False(c.IsLive(a, gen));
        Assert.Equal(1, c.SubtableCount);
        Assert.Equal(-1, c.Lookup(Packet(1, "10.1.2.3")));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.GetActions(a));

        // The freed slot is reused, under a new generation.
        int a2 = c.Insert(Ip4Dst(1, "10.0.0.0/8"), [3, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal(a, a2);
        Assert.NotEqual(gen, c.GetGeneration(a2));
        Assert.False(c.IsLive(a, gen));
        Assert.True(c.IsLive(a2, c.GetGeneration(a2)));
        Assert.Equal(a2, c.Lookup(Packet(1, "10.200.0.1")));
        Assert.Equal(3, c.GetActions(a2)[0]);
    }

    [Fact]
    public void IdenticalMatchReplacesActionsAndKeepsIdAndStats()
    {
        using var c = new MegaflowClassifier();
        FlowMatch m = Ip4Dst(1, "10.0.0.0/8");
        int id = c.Insert(m, ActionsFor(1));
        uint gen = c.GetGeneration(id);
        c.GetStats(id).Add(3, 300, 42, 0x12);

        // Same key under the mask (host bits differ but are masked away) is the same megaflow.
        FlowMatch same = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Dst("10.9.9.9/8").Build();
        byte[] longer = ActionsFor(14);
        Assert.Equal(id, c.Insert(same, longer));
        Assert.Equal(1, c.Count);
        Assert.Equal(gen, c.GetGeneration(id));
        Assert.Equal(longer, c.GetActions(id).ToArray());
        ref MegaflowStats s = ref c.GetStats(id);
        Assert.Equal(3, s.Packets);
        Assert.Equal(300, s.Bytes);
        Assert.Equal(42UL, s.Used);
        Assert.Equal(0x12, s.TcpFlags);
        Assert.Equal(id, c.Find(same));

        // Back to a short program (inline again).
        Assert.Equal(id, c.Insert(m, ActionsFor(0)));
        Assert.Equal(ActionsFor(0), c.GetActions(id).ToArray());
    }

    [Fact]
    public void UnmaskedKeyBitsInAMatchAreIgnored()
    {
        using var c = new MegaflowClassifier();
        FlowMatch m = Ip4Dst(1, "10.0.0.0/8");
        FlowKey dirty = Packet(1, "10.1.2.3", 9999);
        m.Key = dirty; // bypass the constructor's masking
        int id = c.Insert(m, ActionsFor(1));
        Assert.Equal(id, c.Lookup(Packet(1, "10.3.3.3", 1)));
        FlowMatch back = c.GetMatch(id);
        Assert.True(SameMatch(new FlowMatch(dirty, m.Mask), back));
    }

    [Fact]
    public void GetMatchRoundTripsAndStatsPersist()
    {
        var rng = new Random(11);
        using var c = new MegaflowClassifier();
        var flows = new Dictionary<int, FlowMatch>();
        for (int i = 0; i < 300; i++)
        {
            FlowMatch m = RandomMatch(rng, RandomMask(rng));
            flows[c.Insert(m, ActionsFor(i))] = m;
        }

        foreach ((int id, FlowMatch m) in flows)
        {
            Assert.True(SameMatch(m, c.GetMatch(id)));
            c.GetStats(id).Add(1, (long)id, (ulong)id, 0);
        }

        foreach ((int id, FlowMatch _) in flows)
        {
            Assert.Equal(id, c.GetStats(id).Bytes);
        }
    }

    [Fact]
    public void CapacityLimit()
    {
        using var c = new MegaflowClassifier(capacity: 100);
        var matches = Enumerable.Range(0, 101).Select(i => Ip4Dst((uint)i, "10.0.0.0/8")).ToArray();
        for (int i = 0; i < 100; i++)
        {
            Assert.True(c.Insert(matches[i], ActionsFor(i)) >= 0);
        }

        Assert.Equal(-1, c.Insert(matches[100], ActionsFor(100)));
        Assert.Equal(-1, c.Insert(Ip4Dst(7, "10.0.0.0/16"), ActionsFor(100))); // no new subtable either
        Assert.Equal(1, c.SubtableCount);

        // Replacing an installed flow still works when full.
        int id = c.Lookup(Packet(5, "10.0.0.1"));
        Assert.Equal(id, c.Insert(matches[5], ActionsFor(99)));

        Assert.True(c.Remove(matches[0]));
        Assert.True(c.Insert(matches[100], ActionsFor(100)) >= 0);
        Assert.Equal(100, c.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MegaflowClassifier(0));
    }

    [Fact]
    public void FlushEmptiesEverythingAndInvalidatesGenerations()
    {
        using var c = new MegaflowClassifier();
        var live = new List<(int Id, uint Gen)>();
        for (int i = 0; i < 50; i++)
        {
            int id = c.Insert(Ip4Dst((uint)i, i % 2 == 0 ? "10.0.0.0/8" : "10.0.0.0/16"), ActionsFor(i));
            live.Add((id, c.GetGeneration(id)));
        }

        c.Remove(live[3].Id);
        c.Flush();
        Assert.Equal(0, c.Count);
        Assert.Equal(0, c.SubtableCount);
        Assert.Empty(ClassifierPropertyTests.ListIds(c));
        Assert.Equal(-1, c.Lookup(Packet(0, "10.0.0.1")));
        Assert.All(live, f => Assert.False(c.IsLive(f.Id, f.Gen)));

        int again = c.Insert(Ip4Dst(0, "10.0.0.0/8"), ActionsFor(0));
        Assert.Equal(0, again);
        Assert.False(c.IsLive(live[0].Id, live[0].Gen));
        Assert.Equal(again, c.Lookup(Packet(0, "10.0.0.1")));
    }

    [Fact]
    public void CatchAllMaskMatchesEverything()
    {
        using var c = new MegaflowClassifier();
        int id = c.Insert(default(FlowMatch), ActionsFor(0));
        var rng = new Random(1);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(id, c.Lookup(RandomKey(rng)));
        }

        Assert.Equal(id, c.Insert(default(FlowMatch), ActionsFor(1)));
        Assert.Equal(1, c.Count);
    }

    [Fact]
    public void ResortPutsTheBusiestSubtableFirst()
    {
        using var c = new MegaflowClassifier();
        c.Insert(Ip4Dst(1, "10.0.0.0/8"), ActionsFor(0));
        c.Insert(Ip4Dst(1, "192.168.0.0/16"), ActionsFor(1));
        c.Insert(Ip4Dst(1, "172.16.0.0/12"), ActionsFor(2));
        FlowKey busy = Packet(1, "172.16.5.5");
        int id = c.Lookup(busy, out int before);
        Assert.Equal(3, before);
        for (int i = 0; i < 10; i++)
        {
            c.Lookup(busy);
        }

        c.Lookup(Packet(1, "192.168.3.3"));
        c.Resort();
        Assert.Equal(id, c.Lookup(busy, out int after));
        Assert.Equal(1, after);
        Assert.Equal(2, c.Lookup(Packet(1, "192.168.3.3"), out int second) >= 0 ? second : -1);
        Assert.Equal(-1, c.Lookup(Packet(1, "11.0.0.1"), out int missSearched));
        Assert.Equal(3, missSearched);
        Assert.True(c.Hits > 0);
        Assert.Equal(1UL, c.Misses);
        c.ResetCounters();
        Assert.Equal(0UL, c.Hits + c.Misses + c.HitSubtableLookups);
    }

    [Fact]
    public void GrowsToTwoHundredThousandFlowsAndShrinksBack()
    {
        const int n = 200_000;
        using var c = new MegaflowClassifier(capacity: 1 << 18);
        var ids = new int[n];

        // Four masks; flows of mask j have in_port j, so every flow is the only match for its own key.
        FlowMatch MatchOf(int i)
        {
            var b = new MatchBuilder().InPort((uint)(i & 3)).EthType(EtherTypes.Ipv4);
            uint v = (uint)(i >> 2);
            string ip = $"10.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}";
            return (i & 3) switch
            {
                0 => b.Ipv4Dst(ip).Build(),
                1 => b.Ipv4Src(ip).Build(),
                2 => b.Ipv4Src(ip).TpDst((ushort)(v & 0xffff)).Build(),
                _ => b.Ipv4Dst(ip).NwProto(6).TpSrc(80).Build(),
            };
        }

        for (int i = 0; i < n; i++)
        {
            ids[i] = c.Insert(MatchOf(i), ActionsFor(i));
            Assert.True(ids[i] >= 0);
        }

        Assert.Equal(n, c.Count);
        Assert.Equal(4, c.SubtableCount);
        for (int rank = 0; rank < 4; rank++)
        {
            // Sequential addresses must not pile up in a few buckets (CRC is linear; the bucket mix must cope).
            var p = ProbeStatistics.Of(c, rank);
            Assert.True(p.Flows <= p.Buckets * 4, $"load {p.Flows}/{p.Buckets} buckets");
            Assert.True(p.Overflowed < p.Buckets / 10, $"{p.Overflowed} of {p.Buckets} buckets overflowed in subtable {rank}");
            Assert.True(p.MeanDistance < 0.1 && p.MaxDistance < 8, $"flows sit {p.MeanDistance:F3} (max {p.MaxDistance}) buckets from home in subtable {rank}");
        }

        var rng = new Random(3);
        for (int i = 0; i < n; i++)
        {
            FlowMatch m = MatchOf(i);
            Assert.Equal(ids[i], c.Lookup(KeyMatching(rng, m)));
        }

        for (int i = 0; i < n; i += 2)
        {
            Assert.True(c.Remove(ids[i]));
        }

        for (int i = 0; i < n; i++)
        {
            Assert.Equal(i % 2 == 0 ? -1 : ids[i], c.Lookup(MatchOf(i).Key));
        }

        Assert.Equal(n / 2, c.Count);
        for (int i = 1; i < n; i += 2)
        {
            Assert.True(c.Remove(MatchOf(i)));
        }

        Assert.Equal(0, c.Count);
        Assert.Equal(0, c.SubtableCount);
    }

    [Fact]
    public void LiveIdsSkipsRemovedFlowsEvenDuringTheWalk()
    {
        using var c = new MegaflowClassifier();
        for (int i = 0; i < 10; i++)
        {
            c.Insert(Ip4Dst((uint)i, "10.0.0.0/8"), ActionsFor(i));
        }

        c.Remove(4);
        var seen = new List<int>();
        foreach (int id in c.LiveIds())
        {
            seen.Add(id);
            if (id == 5)
            {
                c.Remove(6);
            }
        }

        Assert.Equal([0, 1, 2, 3, 5, 7, 8, 9], seen);
    }

    [Fact]
    public void BatchArgumentsAreChecked()
    {
        using var c = new MegaflowClassifier();
        Assert.Throws<ArgumentException>(() => c.LookupBatch(new FlowKey[33], new int[33]));
        Assert.Throws<ArgumentException>(() => c.LookupBatch(new FlowKey[4], new int[3]));
        Assert.Equal(0, c.LookupBatch(ReadOnlySpan<FlowKey>.Empty, Span<int>.Empty));
    }

    [Fact]
    public void DisposedClassifierRefusesWorkSafely()
    {
        var c = new MegaflowClassifier();
        int id = c.Insert(Ip4Dst(1, "10.0.0.0/8"), ActionsFor(0));
        c.Dispose();
        c.Dispose();
        Assert.Equal(-1, c.Lookup(Packet(1, "10.0.0.1")));
        Assert.False(c.Remove(id));
        Assert.False(c.IsLive(id, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.GetActions(id));
        Assert.Throws<ObjectDisposedException>(() => c.Insert(Ip4Dst(1, "10.0.0.0/8"), ActionsFor(0)));
    }

    [Fact]
    public void HotPathAllocatesNothing()
    {
        var rng = new Random(9);
        using var c = new MegaflowClassifier();
        var flows = new List<FlowMatch>();
        for (int i = 0; i < 2000; i++)
        {
            FlowMatch m = RandomMatch(rng, RandomMask(rng));
            c.Insert(m, ActionsFor(i));
            flows.Add(m);
        }

        var keys = new FlowKey[MegaflowClassifier.MaxBatch];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = i % 4 == 0 ? RandomKey(rng) : KeyMatching(rng, flows[rng.Next(flows.Count)]);
        }

        var ids = new int[keys.Length];
        long sink = 0;
        void Run()
        {
            for (int r = 0; r < 2000; r++)
            {
                sink += c.LookupBatch(keys, ids);
                for (int i = 0; i < keys.Length; i++)
                {
                    int id = c.Lookup(keys[i], out int s);
                    sink += s;
                    if (id >= 0)
                    {
                        sink += c.GetActions(id).Length;
                        c.GetStats(id).Add(1, 64, (ulong)r, 0);
                        sink += c.IsLive(id, c.GetGeneration(id)) ? 1 : 0;
                    }
                }
            }
        }

        Assert.Equal(0, SteadyState.AllocatedBytes(Run));
        Assert.NotEqual(0, sink);
    }
}
