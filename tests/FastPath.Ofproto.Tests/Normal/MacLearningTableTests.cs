using FastPath.Ofproto.Normal;

namespace FastPath.Ofproto.Tests.Normal;

/// <summary>The forwarding database: learning, aging with explicit times, eviction, moves, flushes, listing, version.</summary>
public class MacLearningTableTests
{
    private const ulong A = 0x0200_0000_000aUL;
    private const ulong B = 0x0200_0000_000bUL;
    private const ulong C = 0x0200_0000_000cUL;

    private static ulong Mac(int i) => 0x0200_0000_0000UL | (uint)i;

    [Fact]
    public void LearnsAnAddressPerVlanAndLooksItUp()
    {
        var t = new MacLearningTable();
        Assert.Equal(MacLearnResult.Learned, t.Learn(A, 10, port: 3, now: 0));
        Assert.True(t.TryLookup(A, 10, 1, out uint port));
        Assert.Equal(3u, port);
        Assert.False(t.TryLookup(A, 20, 1, out _));
        Assert.False(t.TryLookup(B, 10, 1, out _));

        // The same address in another VLAN is a separate entry.
        Assert.Equal(MacLearnResult.Learned, t.Learn(A, 20, port: 4, now: 2));
        Assert.True(t.TryLookup(A, 20, 3, out port));
        Assert.Equal(4u, port);
        Assert.True(t.TryLookup(A, 10, 3, out port));
        Assert.Equal(3u, port);
        Assert.Equal(2, t.Count);
    }

    [Fact]
    public void MulticastSourcesAreNeverLearnedOrFound()
    {
        var t = new MacLearningTable();
        Assert.Equal(MacLearnResult.NotLearned, t.Learn(EthernetAddress.Broadcast, 0, 1, 0));
        Assert.Equal(MacLearnResult.NotLearned, t.Learn(0x0100_5e00_0001UL, 0, 1, 0));
        Assert.Equal(0, t.Count);
        Assert.Equal(0ul, t.Version);
        Assert.False(t.TryLookup(0x0100_5e00_0001UL, 0, 0, out _));
    }

    [Fact]
    public void AnEntryExpiresExactlyAtTheAgingTime()
    {
        var t = new MacLearningTable(agingSeconds: 300);
        t.Learn(A, 0, 1, now: 1000);
        Assert.True(t.TryLookup(A, 0, 1299, out _));
        ulong v = t.Version;
        Assert.False(t.TryLookup(A, 0, 1300, out _));
        Assert.Equal(0, t.Count);
        Assert.NotEqual(v, t.Version);
        Assert.Equal(1ul, t.Stats.Expired);
    }

    [Fact]
    public void LearningAgainResetsTheAge()
    {
        var t = new MacLearningTable(agingSeconds: 300);
        t.Learn(A, 0, 1, now: 0);
        ulong v = t.Version;
        Assert.Equal(MacLearnResult.Refreshed, t.Learn(A, 0, 1, now: 250));
        Assert.Equal(v, t.Version);
        Assert.True(t.TryLookup(A, 0, 549, out _));
        Assert.False(t.TryLookup(A, 0, 550, out _));
    }

    [Fact]
    public void ExpireSweepsOnlyTheIdleEntries()
    {
        var t = new MacLearningTable(agingSeconds: 60);
        t.Learn(A, 0, 1, now: 0);
        t.Learn(B, 0, 2, now: 30);
        t.Learn(C, 0, 3, now: 50);
        t.Learn(A, 0, 1, now: 55); // A is now the most recently learned

        Assert.Equal(0, t.Expire(now: 89));
        ulong v = t.Version;
        Assert.Equal(1, t.Expire(now: 90)); // B: 60 s idle
        Assert.NotEqual(v, t.Version);
        Assert.False(t.TryLookup(B, 0, 90, out _));
        Assert.True(t.TryLookup(C, 0, 90, out _));
        Assert.True(t.TryLookup(A, 0, 90, out _));
        Assert.Equal(2, t.Expire(now: 115));
        Assert.Equal(0, t.Count);
        Assert.Equal(3ul, t.Stats.Expired);
        v = t.Version;
        Assert.Equal(0, t.Expire(now: 1000));
        Assert.Equal(v, t.Version);
    }

    [Fact]
    public void AnExpiredEntryLearnedAgainIsANewEntry()
    {
        var t = new MacLearningTable(agingSeconds: 60);
        t.Learn(A, 0, 1, now: 0);
        ulong v = t.Version;
        Assert.Equal(MacLearnResult.Learned, t.Learn(A, 0, 1, now: 60));
        Assert.NotEqual(v, t.Version);
        Assert.Equal(1ul, t.Stats.Expired);
        Assert.Equal(2ul, t.Stats.Learned);
        Assert.True(t.TryLookup(A, 0, 119, out _));
    }

    [Fact]
    public void TimeCanBeInTicks()
    {
        const long Hz = 2_500_000_000; // a TSC-like clock
        var t = new MacLearningTable(ticksPerSecond: Hz, agingSeconds: 15);
        long t0 = 123_456_789_000;
        t.Learn(A, 0, 1, t0);
        Assert.True(t.TryLookup(A, 0, t0 + (15 * Hz) - 1, out _));
        Assert.Equal(14, t.Snapshot(t0 + (15 * Hz) - 1)[0].AgeSeconds);
        Assert.False(t.TryLookup(A, 0, t0 + (15 * Hz), out _));
    }

    [Fact]
    public void AgingTimeAndSizeAreClampedAsOpenVswitchDoes()
    {
        var t = new MacLearningTable(agingSeconds: 1, maxEntries: 1);
        Assert.Equal(MacLearningTable.MinAgingSeconds, t.AgingSeconds);
        Assert.Equal(MacLearningTable.MinMaxEntries, t.MaxEntries);
        t.AgingSeconds = 100_000;
        Assert.Equal(MacLearningTable.MaxAgingSeconds, t.AgingSeconds);
        t.MaxEntries = 5_000_000;
        Assert.Equal(MacLearningTable.MaxMaxEntries, t.MaxEntries);

        var d = new MacLearningTable();
        Assert.Equal(300, d.AgingSeconds);
        Assert.Equal(8192, d.MaxEntries);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MacLearningTable(ticksPerSecond: 0));
    }

    [Fact]
    public void ShorteningTheAgingTimeChangesTheVersionAndExpiresSooner()
    {
        var t = new MacLearningTable(agingSeconds: 300);
        t.Learn(A, 0, 1, now: 0);
        ulong v = t.Version;
        t.AgingSeconds = 300;
        Assert.Equal(v, t.Version);
        t.AgingSeconds = 20;
        Assert.NotEqual(v, t.Version);
        Assert.False(t.TryLookup(A, 0, 20, out _));
    }

    [Fact]
    public void AFullTableEvictsTheLeastRecentlyLearnedEntry()
    {
        var t = new MacLearningTable(maxEntries: 10);
        for (int i = 0; i < 10; i++)
        {
            t.Learn(Mac(i), 0, (uint)i, now: i);
        }

        // Refreshing entry 0 makes entry 1 the least recently learned.
        t.Learn(Mac(0), 0, 0, now: 20);
        ulong v = t.Version;
        Assert.Equal(MacLearnResult.Learned, t.Learn(Mac(100), 0, 7, now: 21));
        Assert.NotEqual(v, t.Version);
        Assert.Equal(10, t.Count);
        Assert.False(t.TryLookup(Mac(1), 0, 22, out _));
        Assert.True(t.TryLookup(Mac(0), 0, 22, out _));
        Assert.True(t.TryLookup(Mac(100), 0, 22, out _));
        Assert.Equal(1ul, t.Stats.Evicted);

        t.Learn(Mac(101), 0, 7, now: 23);
        Assert.False(t.TryLookup(Mac(2), 0, 24, out _));
        Assert.Equal(2ul, t.Stats.Evicted);
    }

    [Fact]
    public void LookupsDoNotProtectAnEntryFromEviction()
    {
        // As Open vSwitch: only learning (traffic from the address) moves an entry to the back.
        var t = new MacLearningTable(maxEntries: 10);
        for (int i = 0; i < 10; i++)
        {
            t.Learn(Mac(i), 0, 1, now: i);
        }

        Assert.True(t.TryLookup(Mac(0), 0, 11, out _));
        t.Learn(Mac(50), 0, 1, now: 12);
        Assert.False(t.TryLookup(Mac(0), 0, 13, out _));
    }

    [Fact]
    public void ShrinkingTheTableEvictsTheOldest()
    {
        var t = new MacLearningTable(maxEntries: 20);
        for (int i = 0; i < 20; i++)
        {
            t.Learn(Mac(i), 0, 1, now: i);
        }

        ulong v = t.Version;
        t.MaxEntries = 12;
        Assert.NotEqual(v, t.Version);
        Assert.Equal(12, t.Count);
        Assert.Equal(8ul, t.Stats.Evicted);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(i >= 8, t.TryLookup(Mac(i), 0, 21, out _));
        }

        // The survivors keep their order: the next eviction takes entry 8.
        t.Learn(Mac(99), 0, 1, now: 22);
        Assert.False(t.TryLookup(Mac(8), 0, 23, out _));
        Assert.True(t.TryLookup(Mac(9), 0, 23, out _));

        t.MaxEntries = 30;
        for (int i = 100; i < 118; i++)
        {
            t.Learn(Mac(i), 0, 1, now: 24);
        }

        Assert.Equal(30, t.Count);
        Assert.Equal(9ul, t.Stats.Evicted);
    }

    [Fact]
    public void AnAddressSeenOnAnotherPortMovesAndIsCounted()
    {
        var t = new MacLearningTable();
        t.Learn(A, 5, 1, now: 0);
        ulong v = t.Version;
        Assert.Equal(MacLearnResult.Moved, t.Learn(A, 5, 2, now: 1));
        Assert.NotEqual(v, t.Version);
        Assert.True(t.TryLookup(A, 5, 2, out uint port));
        Assert.Equal(2u, port);
        Assert.Equal(MacLearnResult.Moved, t.Learn(A, 5, 1, now: 2));
        Assert.Equal(2ul, t.Stats.Moved);
        Assert.Equal(1ul, t.Stats.Learned);
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void FlushesRemoveAllOrByPortOrByVlan()
    {
        var t = new MacLearningTable();
        t.Learn(A, 10, 1, 0);
        t.Learn(B, 10, 2, 0);
        t.Learn(C, 20, 1, 0);
        t.Learn(A, 20, 3, 0);

        ulong v = t.Version;
        Assert.Equal(2, t.FlushPort(1));
        Assert.NotEqual(v, t.Version);
        Assert.False(t.TryLookup(A, 10, 0, out _));
        Assert.False(t.TryLookup(C, 20, 0, out _));
        Assert.True(t.TryLookup(B, 10, 0, out _));

        v = t.Version;
        Assert.Equal(0, t.FlushPort(9));
        Assert.Equal(v, t.Version);

        Assert.Equal(1, t.FlushVlan(20));
        Assert.False(t.TryLookup(A, 20, 0, out _));
        Assert.Equal(1, t.Count);

        t.Learn(C, 30, 4, 0);
        Assert.Equal(2, t.Flush());
        Assert.Equal(0, t.Count);
        Assert.Empty(t.Snapshot(0));

        // Freed slots are reused.
        for (int i = 0; i < 10; i++)
        {
            t.Learn(Mac(i), 0, 1, 1);
        }

        Assert.Equal(10, t.Count);
    }

    [Fact]
    public void TheListingHasPortVlanMacAndAgeInLearningOrder()
    {
        var t = new MacLearningTable(agingSeconds: 300);
        t.Learn(A, 10, 1, now: 100);
        t.Learn(B, 0, 2, now: 150);
        t.Learn(C, 4095, 3, now: 160);
        t.Learn(A, 10, 1, now: 170);

        List<MacLearningEntry> l = t.Snapshot(now: 200);
        Assert.Equal(
            [new MacLearningEntry(2, 0, B, 50), new MacLearningEntry(3, 4095, C, 40), new MacLearningEntry(1, 10, A, 30)],
            l);
        Assert.Equal("    2     0  02:00:00:00:00:0b   50", l[0].ToString());

        // Expired entries are not listed, and listing changes nothing.
        ulong v = t.Version;
        Assert.Equal(2, t.Snapshot(now: 455).Count);
        Assert.Equal(3, t.Count);
        Assert.Equal(v, t.Version);
    }

    [Fact]
    public void FloodVlansAreNotLearnedAndLoseTheirEntries()
    {
        var t = new MacLearningTable();
        t.Learn(A, 10, 1, 0);
        t.Learn(B, 20, 1, 0);
        ulong v = t.Version;
        t.SetFloodVlans([10, 30]);
        Assert.NotEqual(v, t.Version);
        Assert.True(t.IsFloodVlan(10));
        Assert.False(t.IsFloodVlan(20));
        Assert.False(t.TryLookup(A, 10, 1, out _));
        Assert.True(t.TryLookup(B, 20, 1, out _));
        Assert.Equal(MacLearnResult.NotLearned, t.Learn(C, 30, 1, 1));
        Assert.Equal(1, t.Count);

        v = t.Version;
        t.SetFloodVlans([30, 10]);
        Assert.Equal(v, t.Version);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.SetFloodVlans([4096]));
        Assert.True(t.IsFloodVlan(10));

        t.SetFloodVlans([]);
        Assert.Equal(MacLearnResult.Learned, t.Learn(C, 30, 1, 1));
    }

    [Fact]
    public void StatsShowTheSettingsAndCounters()
    {
        var t = new MacLearningTable(agingSeconds: 60, maxEntries: 10);
        t.Learn(A, 0, 1, 0);
        t.Learn(A, 0, 2, 1);
        t.Expire(100);
        Assert.Equal(new MacLearningStats(0, 10, 60, Learned: 1, Expired: 1, Evicted: 0, Moved: 1), t.Stats);
    }

    [Fact]
    public void LearningAndLookupAllocateNothing()
    {
        var t = new MacLearningTable(maxEntries: 64);
        long start = 0;
        int expired = 0;
        Action work = () =>
        {
            // Learning (with eviction, the table holds 64), lookups, then expiry of everything learned.
            for (int i = 0; i < 10_000; i++)
            {
                t.Learn(Mac(i), (ushort)(i & 3), (uint)i, start + i);
                t.TryLookup(Mac(i / 2), (ushort)(i & 3), start + i, out _);
            }

            start += 100_000;
            expired += t.Expire(start);
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(work));
        Assert.Equal(0, t.Count);
        Assert.True(expired > 0);
    }

    [Fact]
    public void AStaticEntryIsFoundFirstNeverAgesMovesOrFlushesAndGoesWithItsPort()
    {
        var t = new MacLearningTable(agingSeconds: 300);
        Assert.Equal(MacLearnResult.Learned, t.Learn(A, 0, port: 1, now: 0));
        ulong before = t.Version;
        Assert.Null(t.AddStatic(A, 0, 2));
        Assert.True(t.Version > before);
        Assert.Equal(1, t.Count);
        Assert.Equal(1, t.Stats.Static);

        // Found on its port, not moved by a frame from elsewhere, not aged out.
        Assert.Equal(MacLearnResult.NotLearned, t.Learn(A, 0, port: 3, now: 10));
        Assert.True(t.TryLookup(A, 0, 10_000, out uint port));
        Assert.Equal(2u, port);
        Assert.Equal(0, t.Expire(10_000));

        // Listed after the learned ones, marked static; fdb/flush keeps it.
        t.Learn(B, 0, port: 1, now: 10_000);
        Assert.Equal([new MacLearningEntry(1, 0, B, 0), new MacLearningEntry(2, 0, A, 0, IsStatic: true)], t.Snapshot(10_000));
        t.Flush();
        Assert.Equal([new MacLearningEntry(2, 0, A, 0, IsStatic: true)], t.Snapshot(10_000));

        // Added again elsewhere: moved, and the port it was on is said.
        Assert.Equal(2u, t.AddStatic(A, 0, 4));
        Assert.True(t.TryLookup(A, 0, 10_000, out port));
        Assert.Equal(4u, port);

        Assert.Equal(1, t.FlushPort(4));
        Assert.Equal(0, t.Count);
        Assert.False(t.RemoveStatic(A, 0));
        Assert.Null(t.AddStatic(C, 5, 1));
        Assert.True(t.RemoveStatic(C, 5));
        Assert.Equal(0, t.Stats.Static);
    }
}
