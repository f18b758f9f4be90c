using System.Buffers.Binary;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Packets;
using static FastPath.Datapath.Tests.Classifier.ClassifierTestData;

namespace FastPath.Datapath.Tests.Classifier;

/// <summary>The classifier while a subtable is half way through growing: every way in must see every flow once.</summary>
public class IncrementalRehashTests
{
    private static readonly FlowMatch Template = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src("0.0.0.0").Build();

    private static FlowMatch MatchOf(int i)
    {
        FlowKey key = Template.Key;
        BinaryPrimitives.WriteUInt32BigEndian(key.Bytes[FlowKey.Offsets.NwSrc..], (uint)i);
        return new FlowMatch(key, Template.Mask);
    }

    [Fact]
    public void LookupsBatchesFindsAndRemovesWorkInTheMiddleOfAMigration()
    {
        using var c = new MegaflowClassifier(1 << 16);
        var ids = new Dictionary<int, int>();
        int n = 0;

        // Insert until a growth has begun: 4 flows per bucket, so the 8192nd insert doubles 2048 buckets.
        while (n < 8193 || !c.RehashPending)
        {
            ids[n] = c.Insert(MatchOf(n), ActionsFor(n));
            n++;
        }

        Assert.True(c.RehashPending);
        Assert.True(c.TableOfRank(0).IsMigrating);

        // Remove every third flow while the old buckets still hold most entries.
        foreach (int i in ids.Keys.Where(i => i % 3 == 0).ToList())
        {
            Assert.True(c.Remove(ids[i]));
            ids.Remove(i);
        }

        Assert.True(c.RehashPending, "the removes must have happened mid-migration");
        CheckAll(c, ids, n);

        // Re-installing an existing flow while migrating keeps its id (the exact find looks in both tables).
        Assert.Equal(ids[1], c.Insert(MatchOf(1), ActionsFor(7)));
        Assert.Equal(ActionsFor(7), c.GetActions(ids[1]).ToArray());

        while (c.RehashPending)
        {
            Assert.InRange(c.DrainRehash(32), 0, 32);
        }

        Assert.False(c.TableOfRank(0).IsMigrating);
        CheckAll(c, ids, n);
        Assert.Equal(0, c.DrainRehash(32));
    }

    private static void CheckAll(MegaflowClassifier c, Dictionary<int, int> ids, int n)
    {
        Assert.Equal(ids.Count, c.Count);
        var keys = new FlowKey[MegaflowClassifier.MaxBatch];
        var found = new int[MegaflowClassifier.MaxBatch];
        for (int start = 0; start < n + 64; start += MegaflowClassifier.MaxBatch)
        {
            for (int k = 0; k < keys.Length; k++)
            {
                keys[k] = MatchOf(start + k).Key;
            }

            c.LookupBatch(keys, found);
            for (int k = 0; k < keys.Length; k++)
            {
                int expected = ids.GetValueOrDefault(start + k, -1);
                Assert.Equal(expected, found[k]);
                Assert.Equal(expected, c.Lookup(keys[k]));
                Assert.Equal(expected, c.Find(MatchOf(start + k)));
            }
        }
    }
}
