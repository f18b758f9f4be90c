using FastPath.Datapath.Pmd;

namespace FastPath.Datapath.Tests.Pmd;

public class PmdStatsFormatterTests
{
    [Fact]
    public void PrintsTheFieldsOvsUsersReadAndTheScriptsParse()
    {
        var s = new PmdStatsSnapshot { Packets = 1000, EmcHits = 900, MegaflowHits = 90, SubtableLookups = 135, Misses = 10, Upcalls = 8, LostUpcalls = 2, BusyCycles = 75_000, IdleCycles = 25_000 };
        string text = PmdStatsFormatter.Format(1, s);
        Assert.Contains("pmd thread numa_id 0 core_id 1:", text);
        Assert.Contains("  packets received: 1000\n", text);
        Assert.Contains("  emc hits: 900\n", text);
        Assert.Contains("  megaflow hits: 90\n", text);
        Assert.Contains("  avg. subtable lookups per megaflow hit: 1.50\n", text);
        Assert.Contains("  miss with success upcall: 8\n", text);
        Assert.Contains("  miss with failed upcall: 2\n", text);
        Assert.Contains("  avg. packets per output batch: 0.00\n", text);
        Assert.Contains("  avg. packets per output batch: 2.50\n", PmdStatsFormatter.Format(1, s with { OutputBatches = 4, OutputPackets = 10 }));
        Assert.Contains("  idle cycles: 25000 (25.00%)\n", text);
        Assert.Contains("  processing cycles: 75000 (75.00%)\n", text);
        Assert.Contains("  avg cycles per packet: 100.00 (100000/1000)\n", text);
        Assert.Contains("  avg processing cycles per packet: 75.00 (75000/1000)\n", text);

        // The reference script reads the number after "avg cycles per packet:" as field 5.
        string line = text.Split('\n').Single(l => l.Contains("avg cycles per packet", StringComparison.Ordinal));
        Assert.Equal("100.00", line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4]);
    }

    [Fact]
    public void AnIdlePmdHasNoPerPacketAverages()
    {
        string text = PmdStatsFormatter.Format(-1, new PmdStatsSnapshot { IdleCycles = 10 });
        Assert.Contains("core_id unpinned", text);
        Assert.DoesNotContain("avg cycles per packet", text);
        Assert.Contains("idle cycles: 10 (100.00%)", text);
    }
}
