using FastPath.Datapath.Classifier;

namespace FastPath.Datapath.Tests.Classifier;

/// <summary>
/// The subtable hash table on its own, against a dictionary: inserts, removes and lookups across many
/// incremental growths, including in the middle of a migration, with hashes made to collide.
/// </summary>
public class SubtableHashTableTests
{
    private const int MaxIds = 1 << 16;

    [Theory]
    [InlineData(1, 0xffffffffu)]
    [InlineData(2, 0x000003ffu)] // 1024 distinct hashes for up to thousands of keys: long probe chains
    [InlineData(3, 0x0000000fu)] // 16 hashes: every bucket overflows, walks wrap around the table
    public void RandomOperationsAcrossGrowthsMatchTheModel(int seed, uint hashMask)
    {
        var rng = new Random(seed);
        var t = default(SubtableHashTable);
        t.Init();
        try
        {
            var keyOfId = new int[MaxIds];
            var model = new Dictionary<int, int>();
            var freeIds = new Stack<int>(Enumerable.Range(0, MaxIds).Reverse());
            int opsWhileMigrating = 0;
            int removesWhileMigrating = 0;
            int migrations = 0;
            bool wasMigrating = false;
            int limit = hashMask == 0xfu ? 600 : 3000;
            for (int step = 0; step < 60_000; step++)
            {
                int op = rng.Next(10);
                if (model.Count >= limit)
                {
                    // Full: check everything, then start over with a new table, so the run crosses many growths.
                    foreach ((int key, int id) in model)
                    {
                        Assert.Equal(id, Find(ref t, keyOfId, key, hashMask));
                    }

                    t.Dispose();
                    t.Init();
                    foreach (int id in model.Values)
                    {
                        freeIds.Push(id);
                    }

                    model.Clear();
                }

                if (op < 5)
                {
                    int key = rng.Next();
                    if (!model.ContainsKey(key))
                    {
                        int id = freeIds.Pop();
                        keyOfId[id] = key;
                        t.Insert(Hash(key, hashMask), id);
                        model[key] = id;
                    }
                }
                else if (op < 7 && model.Count > 0)
                {
                    int key = model.Keys.ElementAt(rng.Next(model.Count));
                    int id = model[key];
                    removesWhileMigrating += t.IsMigrating ? 1 : 0;
                    t.Remove(Hash(key, hashMask), id);
                    model.Remove(key);
                    freeIds.Push(id);
                    Assert.Equal(-1, Find(ref t, keyOfId, key, hashMask));
                }
                else if (op == 7 && rng.Next(20) == 0)
                {
                    t.Drain(rng.Next(1, 4));
                }
                else
                {
                    // A present key must be found, in whichever table it is; an absent one must not.
                    int key = model.Count > 0 && rng.Next(3) != 0 ? model.Keys.ElementAt(rng.Next(model.Count)) : rng.Next();
                    Assert.Equal(model.GetValueOrDefault(key, -1), Find(ref t, keyOfId, key, hashMask));
                }

                opsWhileMigrating += t.IsMigrating ? 1 : 0;
                migrations += t.IsMigrating && !wasMigrating ? 1 : 0;
                wasMigrating = t.IsMigrating;
                Assert.Equal(model.Count, t.Count);
            }

            Assert.True(migrations >= 20, $"only {migrations} migrations");
            Assert.True(opsWhileMigrating > 1000 && removesWhileMigrating > 50, $"{opsWhileMigrating} operations, {removesWhileMigrating} removes during migrations");
            foreach ((int key, int id) in model)
            {
                Assert.Equal(id, Find(ref t, keyOfId, key, hashMask));
            }

            t.Drain(int.MaxValue);
            Assert.False(t.IsMigrating);
            CheckOverflowCounts(ref t, model.Count);
        }
        finally
        {
            t.Dispose();
        }
    }

    [Fact]
    public void TheTableIsOneCacheLineAndASubtableAWholeNumberOfLines()
    {
        Assert.Equal(64, System.Runtime.CompilerServices.Unsafe.SizeOf<SubtableHashTable>());
        Assert.Equal(0, System.Runtime.CompilerServices.Unsafe.SizeOf<Subtable>() % 64);
    }

    [Fact]
    public void AnInsertDrainsAtMostABoundedNumberOfBucketsAndEveryMigrationEnds()
    {
        var t = default(SubtableHashTable);
        t.Init();
        try
        {
            int migrations = 0;
            for (int id = 0; id < 200_000; id++)
            {
                bool before = t.IsMigrating;
                long drained = t.BucketsDrained;
                int buckets = t.BucketCount;
                t.Insert(Hash(id, 0xffffffffu), id);
                Assert.True(t.BucketsDrained - drained <= SubtableHashTable.DrainPerInsert, $"insert {id} drained {t.BucketsDrained - drained} buckets");
                if (t.BucketCount != buckets)
                {
                    // A growth begins only once the previous migration is over, and doubles the table.
                    Assert.False(before);
                    Assert.Equal(buckets * 2, t.BucketCount);
                    migrations++;
                }
            }

            // 2 -> 65536 buckets: 15 doublings, every old bucket drained once by inserts alone.
            Assert.Equal(15, migrations);
            Assert.Equal(65536, t.BucketCount);
            Assert.False(t.IsMigrating);
            Assert.Equal(65535 - 1, t.BucketsDrained); // 2 + 4 + ... + 32768
            CheckOverflowCounts(ref t, 200_000);
        }
        finally
        {
            t.Dispose();
        }
    }

    [Fact]
    public void RemovingAnAbsentEntryThrowsAndChangesNothing()
    {
        var t = default(SubtableHashTable);
        t.Init();
        try
        {
            for (int id = 0; id < 100; id++)
            {
                t.Insert(Hash(id, 0x7u), id);
            }

            bool threw = false;
            try
            {
                // Its hash's chain is full of other entries; the walk must end and leave their counts alone.
                t.Remove(Hash(5, 0x7u), 1000);
            }
            catch (InvalidOperationException)
            {
                threw = true;
            }

            Assert.True(threw);
            Assert.Equal(100, t.Count);
            t.Drain(int.MaxValue);
            CheckOverflowCounts(ref t, 100);
        }
        finally
        {
            t.Dispose();
        }
    }

    private static uint Hash(int key, uint mask) => (uint)HashCode.Combine(key, 17) & mask;

    private static int Find(ref SubtableHashTable t, int[] keyOfId, int key, uint mask)
    {
        var m = new KeyMatcher(keyOfId, key);
        return t.Find(Hash(key, mask), ref m);
    }

    /// <summary>Each bucket's overflow count is the number of entries placed beyond it from a home at or before it.</summary>
    private static void CheckOverflowCounts(ref SubtableHashTable t, int expectedEntries)
    {
        uint mask = (uint)t.BucketCount - 1;
        var expected = new uint[t.BucketCount];
        int entries = 0;
        for (uint bi = 0; bi <= mask; bi++)
        {
            for (int j = 0; j < Bucket.Slots; j++)
            {
                (uint hash, int id) = t.SlotAt(bi, j);
                if (id < 0)
                {
                    continue;
                }

                entries++;
                for (uint p = t.HomeIndex(hash); p != bi; p = (p + 1) & mask)
                {
                    expected[p]++;
                }
            }
        }

        Assert.Equal(expectedEntries, entries);
        for (uint bi = 0; bi <= mask; bi++)
        {
            Assert.Equal(expected[bi], t.OverflowAt(bi));
        }
    }

    private readonly struct KeyMatcher(int[] keyOfId, int key) : IFlowIdMatcher
    {
        public bool Matches(int id) => keyOfId[id] == key;
    }
}
