using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Packets;
using static FastPath.Datapath.Tests.Classifier.ClassifierTestData;

namespace FastPath.Datapath.Tests.Classifier;

/// <summary>Chunked walks over the installed ids (the PMD's flow dump) while flows come and go.</summary>
public class DumpCursorTests
{
    private static FlowMatch Flow(int i) =>
        new MatchBuilder().InPort((uint)(i % 5)).EthType(EtherTypes.Ipv4).Ipv4Src($"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}").Build();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 64)]
    public void EveryFlowPresentThroughoutIsListedExactlyOnceWhateverChangesBetweenChunks(int seed, int chunk)
    {
        var rng = new Random(seed);
        using var c = new MegaflowClassifier(20_000);
        var live = new Dictionary<int, FlowMatch>();
        int next = 0;
        for (; next < 3000; next++)
        {
            live[c.Insert(Flow(next), ActionsFor(next))] = Flow(next);
        }

        var stable = new HashSet<int>(live.Keys);
        var seen = new List<int>();
        var buffer = new int[chunk];
        int cursor = 0;
        int calls = 0;
        while (cursor >= 0)
        {
            cursor = c.LiveIds(cursor, buffer, out int count);
            Assert.InRange(count, 0, chunk);
            seen.AddRange(buffer.Take(count));
            calls++;

            // Between chunks: remove some flows (they leave the stable set), add some (reusing freed ids
            // on both sides of the cursor), and modify some in place.
            int churn = chunk < 4 ? (rng.Next(3) == 0 ? 1 : 0) : 3;
            for (int k = 0; k < churn; k++)
            {
                int victim = live.Keys.ElementAt(rng.Next(live.Count));
                Assert.True(c.Remove(victim));
                live.Remove(victim);
                stable.Remove(victim);
                int id = c.Insert(Flow(next), ActionsFor(next));
                live[id] = Flow(next++);
            }

            int modified = live.Keys.ElementAt(rng.Next(live.Count));
            Assert.Equal(modified, c.Insert(live[modified], ActionsFor(next)));
            Assert.True(calls < 100_000, "the dump does not end");
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(seen.SequenceEqual(seen.Order()), "ids come in ascending order");
        Assert.Empty(stable.Except(seen));
        Assert.True(stable.Count > 500, $"{stable.Count} flows stayed for the whole dump");
    }

    [Fact]
    public void AChunkOverASparseTableExaminesABoundedNumberOfSlots()
    {
        using var c = new MegaflowClassifier(10_000);
        for (int i = 0; i < 5000; i++)
        {
            c.Insert(Flow(i), ActionsFor(i));
        }

        for (int id = 0; id < 4990; id++)
        {
            Assert.True(c.Remove(id));
        }

        // 4 ids asked for: at most 8 slots per id (and one) are examined, so the call ends early with nothing.
        var ids = new int[4];
        int cursor = c.LiveIds(0, ids, out int count);
        Assert.Equal(0, count);
        Assert.Equal(33, cursor);

        var all = new List<int>();
        cursor = 0;
        while (cursor >= 0)
        {
            cursor = c.LiveIds(cursor, ids, out count);
            all.AddRange(ids.Take(count));
        }

        Assert.Equal(Enumerable.Range(4990, 10), all);
    }

    [Fact]
    public void AnEmptyTableAndABadCursorAreHandled()
    {
        using var c = new MegaflowClassifier(16);
        Assert.Equal(-1, c.LiveIds(0, new int[8], out int count));
        Assert.Equal(0, count);
        Assert.Throws<ArgumentOutOfRangeException>(() => c.LiveIds(-1, new int[8], out _));
    }
}
