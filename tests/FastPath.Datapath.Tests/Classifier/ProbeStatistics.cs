using FastPath.Datapath.Classifier;

namespace FastPath.Datapath.Tests.Classifier;

/// <summary>How far flows sit from their home bucket in one subtable's hash table, read through the table's test accessors.</summary>
internal static class ProbeStatistics
{
    /// <summary>
    /// Buckets, flows, overflowed buckets, and the mean and worst distance (in buckets) of a flow from its
    /// home, for the subtable of rank <paramref name="rank"/>, after any pending rehash has finished.
    /// </summary>
    public static (int Buckets, int Flows, int Overflowed, double MeanDistance, int MaxDistance) Of(MegaflowClassifier c, int rank)
    {
        c.DrainRehash(int.MaxValue);
        ref SubtableHashTable t = ref c.TableOfRank(rank);
        Assert.False(t.IsMigrating);
        long total = 0;
        int max = 0;
        int overflowed = 0;
        int flows = 0;
        uint mask = (uint)t.BucketCount - 1;
        for (uint bi = 0; bi <= mask; bi++)
        {
            overflowed += t.OverflowAt(bi) != 0 ? 1 : 0;
            for (int j = 0; j < Bucket.Slots; j++)
            {
                (uint hash, int id) = t.SlotAt(bi, j);
                if (id >= 0)
                {
                    int d = (int)((bi - t.HomeIndex(hash)) & mask);
                    total += d;
                    max = Math.Max(max, d);
                    flows++;
                }
            }
        }

        Assert.Equal(t.Count, flows);
        return (t.BucketCount, flows, overflowed, flows == 0 ? 0 : (double)total / flows, max);
    }
}
