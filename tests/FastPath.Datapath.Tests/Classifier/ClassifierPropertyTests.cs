using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Packets;
using static FastPath.Datapath.Tests.Classifier.ClassifierTestData;

namespace FastPath.Datapath.Tests.Classifier;

/// <summary>The classifier against a naive scan of the same megaflows, on random masks, flows and keys.</summary>
public class ClassifierPropertyTests
{
    [Theory]
    [InlineData(1, 4, 200)]
    [InlineData(2, 16, 1000)]
    [InlineData(3, 40, 3000)]
    public void OverlappingFlowsAnyMatchIsAcceptedAndMissesAgree(int seed, int masks, int flows)
    {
        var rng = new Random(seed);
        FlowKey[] maskPool = Enumerable.Range(0, masks).Select(_ => RandomMask(rng)).ToArray();
        using var c = new MegaflowClassifier(flows * 2);
        var model = new Dictionary<int, FlowMatch>();
        for (int i = 0; i < flows; i++)
        {
            FlowMatch m = RandomMatch(rng, maskPool[rng.Next(masks)]);
            int id = c.Insert(m, ActionsFor(i));
            Assert.True(id >= 0);
            model[id] = m;
        }

        CheckAgainstScan(rng, c, model, 20_000);

        // Churn: remove a third, add more, re-rank, and check again.
        foreach (int id in model.Keys.Where(_ => rng.Next(3) == 0).ToList())
        {
            Assert.True(c.Remove(id));
            model.Remove(id);
        }

        for (int i = 0; i < flows / 2; i++)
        {
            FlowMatch m = RandomMatch(rng, maskPool[rng.Next(masks)]);
            model[c.Insert(m, ActionsFor(i))] = m;
        }

        c.Resort();
        Assert.Equal(model.Count, c.Count);
        CheckAgainstScan(rng, c, model, 20_000);
    }

    [Theory]
    [InlineData(4, 8, 500)]
    [InlineData(5, 32, 2000)]
    public void DisjointFlowsGiveExactlyTheUniqueMatch(int seed, int masks, int flows)
    {
        var rng = new Random(seed);
        FlowKey[] maskPool = Enumerable.Range(0, masks).Select(_ => RandomMask(rng)).ToArray();
        using var c = new MegaflowClassifier(flows);
        var model = new Dictionary<int, FlowMatch>();
        int attempts = 0;
        while (model.Count < flows && attempts++ < flows * 5)
        {
            FlowMatch m = RandomMatch(rng, maskPool[rng.Next(masks)]);
            if (model.Values.Any(o => Overlap(o, m)))
            {
                continue;
            }

            model[c.Insert(m, ActionsFor(model.Count))] = m;
        }

        Assert.True(model.Count > flows / 4, $"only {model.Count} disjoint flows generated");
        (int Id, FlowMatch M)[] list = model.Select(kv => (kv.Key, kv.Value)).ToArray();
        for (int t = 0; t < 20_000; t++)
        {
            FlowKey key = t % 3 == 0 ? RandomKey(rng) : KeyMatching(rng, list[rng.Next(list.Length)].M);
            int expected = -1;
            foreach ((int id, FlowMatch m) in list)
            {
                if (m.Matches(key))
                {
                    Assert.Equal(-1, expected);
                    expected = id;
                }
            }

            Assert.Equal(expected, c.Lookup(key));
            if (t % 1000 == 0)
            {
                c.Resort();
            }
        }
    }

    [Fact]
    public void BatchLookupEqualsSingleLookup()
    {
        var rng = new Random(6);
        FlowKey[] maskPool = Enumerable.Range(0, 12).Select(_ => RandomMask(rng)).ToArray();
        using var c = new MegaflowClassifier(4096);
        var flows = new List<FlowMatch>();
        for (int i = 0; i < 1500; i++)
        {
            FlowMatch m = RandomMatch(rng, maskPool[rng.Next(maskPool.Length)]);
            c.Insert(m, ActionsFor(i));
            flows.Add(m);
        }

        var keys = new FlowKey[MegaflowClassifier.MaxBatch];
        var ids = new int[MegaflowClassifier.MaxBatch];
        for (int round = 0; round < 500; round++)
        {
            int n = rng.Next(MegaflowClassifier.MaxBatch + 1);
            for (int i = 0; i < n; i++)
            {
                keys[i] = rng.Next(3) == 0 ? RandomKey(rng) : KeyMatching(rng, flows[rng.Next(flows.Count)]);
            }

            Array.Fill(ids, 12345);
            int searched = c.LookupBatch(keys.AsSpan(0, n), ids);
            int expectSearched = 0;
            for (int i = 0; i < n; i++)
            {
                int single = c.Lookup(keys[i], out int s);
                Assert.Equal(single, ids[i]);
                if (single >= 0)
                {
                    expectSearched += s;
                }
            }

            Assert.Equal(expectSearched, searched);
            Assert.All(ids.Skip(n), v => Assert.Equal(12345, v));
            if (round % 50 == 0)
            {
                c.Resort();
            }
        }
    }

    [Fact]
    public void RandomOperationSequenceMatchesModel()
    {
        var rng = new Random(7);
        FlowKey[] maskPool = Enumerable.Range(0, 10).Select(_ => RandomMask(rng)).ToArray();
        using var c = new MegaflowClassifier(600);
        var model = new Dictionary<int, (FlowMatch M, byte[] A, uint Gen)>();
        for (int step = 0; step < 30_000; step++)
        {
            int op = rng.Next(10);
            if (op < 4)
            {
                FlowMatch m = RandomMatch(rng, maskPool[rng.Next(maskPool.Length)]);
                byte[] a = ActionsFor(step);
                int existing = model.FirstOrDefault(kv => SameMatch(kv.Value.M, m), new(-1, default)).Key;
                int id = c.Insert(m, a);
                if (existing >= 0)
                {
                    Assert.Equal(existing, id);
                    model[id] = (m, a, model[id].Gen);
                }
                else if (model.Count >= c.Capacity)
                {
                    Assert.Equal(-1, id);
                }
                else
                {
                    Assert.True(id >= 0);
                    Assert.False(model.ContainsKey(id));
                    model[id] = (m, a, c.GetGeneration(id));
                }
            }
            else if (op < 6 && model.Count > 0)
            {
                int id = model.Keys.ElementAt(rng.Next(model.Count));
                FlowMatch m = model[id].M;
                Assert.True(rng.Next(2) == 0 ? c.Remove(id) : c.Remove(m));
                Assert.False(c.IsLive(id, model[id].Gen));
                Assert.False(c.Remove(id));
                model.Remove(id);
            }
            else if (op == 6)
            {
                c.Resort();
            }
            else if (op == 7 && rng.Next(200) == 0)
            {
                c.Flush();
                foreach ((int id, (FlowMatch _, byte[] _, uint gen)) in model)
                {
                    Assert.False(c.IsLive(id, gen));
                }

                model.Clear();
            }
            else if (model.Count > 0)
            {
                FlowKey key = KeyMatching(rng, model.Values.ElementAt(rng.Next(model.Count)).M);
                int id = c.Lookup(key);
                Assert.True(id >= 0);
                Assert.True(model[id].M.Matches(key));
                Assert.True(c.IsLive(id, model[id].Gen));
                Assert.Equal(model[id].A, c.GetActions(id).ToArray());
            }

            Assert.Equal(model.Count, c.Count);
        }

        Assert.Equal(model.Keys.Order(), ListIds(c));
        foreach ((int id, (FlowMatch m, byte[] a, uint _)) in model)
        {
            Assert.True(SameMatch(m, c.GetMatch(id)));
        }
    }

    internal static List<int> ListIds(MegaflowClassifier c)
    {
        var ids = new List<int>();
        foreach (int id in c.LiveIds())
        {
            ids.Add(id);
        }

        return ids;
    }

    private static void CheckAgainstScan(Random rng, MegaflowClassifier c, Dictionary<int, FlowMatch> model, int lookups)
    {
        (int Id, FlowMatch M)[] list = model.Select(kv => (kv.Key, kv.Value)).ToArray();
        int hits = 0;
        for (int t = 0; t < lookups; t++)
        {
            FlowKey key = t % 4 == 0 ? RandomKey(rng) : KeyMatching(rng, list[rng.Next(list.Length)].M);
            bool any = list.Any(f => f.M.Matches(key));
            int id = c.Lookup(key);
            if (!any)
            {
                Assert.Equal(-1, id);
                continue;
            }

            hits++;
            Assert.True(id >= 0, "a megaflow matches but the classifier missed");
            Assert.True(model.ContainsKey(id), $"id {id} is not installed");
            Assert.True(model[id].Matches(key), $"id {id} does not match the key");
        }

        Assert.True(hits > lookups / 2);
    }
}
