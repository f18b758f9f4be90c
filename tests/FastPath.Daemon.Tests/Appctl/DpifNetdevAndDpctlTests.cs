using System.Text.RegularExpressions;

namespace FastPath.Daemon.Tests.Appctl;

/// <summary>
/// dpif-netdev/* and dpctl/* through Open vSwitch's real ovs-appctl against a hosted FastPath bridge with traffic:
/// the lines Open vSwitch 3.1 prints (captured from one on the same traffic), numbers that add up to what was sent.
/// </summary>
public sealed class DpifNetdevAndDpctlTests : IAsyncLifetime
{
    private AppctlHost host = null!;

    public Task InitializeAsync()
    {
        host = AppctlHost.Start();

        // 5 packets p1 -> p2 (the first floods: NORMAL has not learned 02 yet), then 3 back, p2 -> p1.
        for (int i = 0; i < 5; i++)
        {
            host.P1.Inject(AppctlHost.Udp(1, 2));
            host.WaitForOutput(0, i + 1);
        }

        for (int i = 0; i < 3; i++)
        {
            host.P2.Inject(AppctlHost.Udp(2, 1));
            host.WaitForOutput(i + 1, 5);
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static long Number(string text, string label)
        => long.Parse(Regex.Match(text, "(?m)^  " + Regex.Escape(label) + @": (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void PmdStatsShowHasOpenVSwitchLinesAndCountsTheTraffic()
    {
        string text = host.AppCtl("dpif-netdev/pmd-stats-show");
        string[] labels =
        [
            "packets received", "packet recirculations", "avg. datapath passes per packet", "phwol hits", "mfex opt hits",
            "simple match hits", "emc hits", "smc hits", "megaflow hits", "avg. subtable lookups per megaflow hit",
            "miss with success upcall", "miss with failed upcall", "avg. packets per output batch", "idle cycles", "processing cycles",
            "avg cycles per packet", "avg processing cycles per packet",
        ];
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("pmd thread numa_id 0 core_id unpinned:", lines[0]);
        Assert.Equal(labels, lines[1..].Select(l => l[2..l.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal(8, Number(text, "packets received"));
        Assert.Equal(8, Number(text, "emc hits") + Number(text, "megaflow hits") + Number(text, "miss with success upcall"));
        Assert.True(Number(text, "miss with success upcall") >= 2, text); // each direction's first packet missed
        Assert.Contains("  avg. datapath passes per packet: 1.00\n", text, StringComparison.Ordinal);

        // Each packet was injected alone, so each left in a batch of its own (the slow path's executes included).
        Assert.Contains("  avg. packets per output batch: 1.00\n", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  idle cycles: \d+ \(\d+\.\d\d%\)$", text);
        Assert.Matches(@"(?m)^  avg cycles per packet: \d+\.\d\d \(\d+/8\)$", text);

        Assert.Equal("", host.AppCtl("dpif-netdev/pmd-stats-show", "-pmd", "5"));

        Assert.Equal("", host.AppCtl("dpif-netdev/pmd-stats-clear"));
        string cleared = host.AppCtl("dpif-netdev/pmd-stats-show");
        Assert.Equal(0, Number(cleared, "packets received"));
        Assert.Contains("  avg. datapath passes per packet: 0.00\n", cleared, StringComparison.Ordinal);
        Assert.DoesNotContain("avg cycles per packet", cleared, StringComparison.Ordinal);
    }

    [Fact]
    public void PmdRxqShowAndRebalance()
    {
        string text = host.AppCtl("dpif-netdev/pmd-rxq-show");
        Assert.Matches(
            @"^Displaying last 60 seconds pmd usage %\n"
            + @"pmd thread numa_id 0 core_id unpinned:\n"
            + @"  isolated : false\n"
            + @"  port: p1                queue-id:  0 \(enabled\)   pmd usage: ( \d|\d\d|100) %\n"
            + @"  port: p2                queue-id:  0 \(enabled\)   pmd usage: ( \d|\d\d|100) %\n"
            + @"  overhead: ( \d|\d\d|100) %\n$",
            text);
        Assert.StartsWith("Displaying last 5 seconds pmd usage %\n", host.AppCtl("dpif-netdev/pmd-rxq-show", "-secs", "5"), StringComparison.Ordinal);
        Assert.Equal("pmd rxq rebalance requested.\n", host.AppCtl("dpif-netdev/pmd-rxq-rebalance"));

        // Still forwarding after the queues were placed again.
        host.P1.Inject(AppctlHost.Udp(1, 2));
        host.WaitForOutput(3, 6);
    }

    [Fact]
    public void DpctlDumpFlowsPrintsMegaflowsInOpenVSwitchSyntaxWithTheirCounters()
    {
        string text = host.AppCtl("dpctl/dump-flows");
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("flow-dump from pmd on cpu core: unpinned", lines[0]);
        Assert.True(lines.Length >= 3, text);
        var flow = new Regex(@"^recirc_id\(0\),in_port\((?<in>\d)\),.*eth\(src=50:54:00:00:00:0(?<src>\d),dst=50:54:00:00:00:0(?<dst>\d)\).*, packets:(?<p>\d+), bytes:(?<b>\d+), used:(never|\d+\.\d{3}s), actions:(?<out>\d)$");
        long packets = 0;
        foreach (string l in lines[1..])
        {
            Match m = flow.Match(l);
            Assert.True(m.Success, "not a megaflow line in Open vSwitch's syntax: " + l);
            Assert.Equal(m.Groups["in"].Value, m.Groups["src"].Value);
            Assert.Equal(m.Groups["out"].Value, m.Groups["dst"].Value);
            long p = long.Parse(m.Groups["p"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(p * 60, long.Parse(m.Groups["b"].Value, System.Globalization.CultureInfo.InvariantCulture));
            packets += p;
        }

        // Megaflow counters cover the packets that hit them; the ones that missed were executed by the slow path.
        string stats = host.AppCtl("dpif-netdev/pmd-stats-show");
        Assert.Equal(Number(stats, "emc hits") + Number(stats, "megaflow hits"), packets);

        string more = host.AppCtl("dpctl/dump-flows", "-m");
        Assert.Matches(@"(?m)^ufid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}, recirc_id\(0\),.*, dp:ovs, actions:\d$", more);

        var err = host.AppCtlRun("dpctl/dump-flows", "nosuch");
        Assert.Equal(2, err.Code);
        Assert.StartsWith("ovs-vswitchd: datapath not found (Invalid argument)\n", err.Stderr, StringComparison.Ordinal);

        Assert.Equal("", host.AppCtl("dpctl/del-flows"));
        Assert.Equal("flow-dump from pmd on cpu core: unpinned\n", host.AppCtl("dpctl/dump-flows"));
    }

    [Fact]
    public void DpctlShowListsLookupsFlowsAndPorts()
    {
        string stats = host.AppCtl("dpif-netdev/pmd-stats-show");
        long flows = host.AppCtl("dpctl/dump-flows").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        string text = host.AppCtl("dpctl/show");
        long hit = Number(stats, "emc hits") + Number(stats, "megaflow hits");
        long missed = 8 - hit;
        Assert.Equal(
            "netdev@ovs-netdev:\n"
            + $"  lookups: hit:{hit} missed:{missed} lost:0\n"
            + $"  flows: {flows}\n"
            + "  port 1: p1 (memory)\n"
            + "  port 2: p2 (memory)\n",
            text);

        string s = host.AppCtl("dpctl/show", "-s", "netdev@ovs-netdev");
        Assert.Contains(
            "  port 1: p1 (memory)\n"
            + "    RX packets:5 errors:0 dropped:0 overruns:? frame:?\n"
            + "    TX packets:3 errors:0 dropped:0 aborted:? carrier:?\n"
            + "    collisions:?\n"
            + "    RX bytes:300  TX bytes:180\n",
            s,
            StringComparison.Ordinal);

        var err = host.AppCtlRun("dpctl/show", "nosuch");
        Assert.Equal(2, err.Code);
        Assert.StartsWith("ovs-vswitchd: opening datapath nosuch failed (No such device)\n", err.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OfprotoTraceRunsTheBridgesTables()
    {
        string text = host.AppCtl("ofproto/trace", "br0", "in_port=1,udp,dl_src=50:54:00:00:00:01,dl_dst=50:54:00:00:00:02,nw_src=10.0.0.1,nw_dst=10.0.0.2");
        Assert.StartsWith("Flow: udp,in_port=1,", text, StringComparison.Ordinal);
        Assert.Contains("bridge(\"br0\")\n-------------\n 0. priority 0\n    NORMAL\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Datapath actions: 2\n", text, StringComparison.Ordinal); // 02 was learned on port 2

        var err = host.AppCtlRun("ofproto/trace", "nosuch", "in_port=1");
        Assert.Equal(2, err.Code);
        Assert.StartsWith("nosuch: unknown bridge\n", err.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, host.AppCtlRun("ofproto/trace", "br0", "in_port=1,bogus=3").Code);
    }

    [Fact]
    public void FdbShowListsWhatNormalLearned()
    {
        string text = host.AppCtl("fdb/show", "br0");
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(" port  VLAN  MAC                Age", lines[0]);

        // In the MAC table's LRU order, as Open vSwitch prints it.
        Assert.Equal(2, lines.Length - 1);
        Assert.Contains(lines[1..], l => Regex.IsMatch(l, @"^    1     0  50:54:00:00:00:01  +\d+$"));
        Assert.Contains(lines[1..], l => Regex.IsMatch(l, @"^    2     0  50:54:00:00:00:02  +\d+$"));
        var err = host.AppCtlRun("fdb/show", "br9");
        Assert.Equal(2, err.Code);
        Assert.StartsWith("no such bridge\n", err.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryShowCountsWhatTheSwitchHolds()
    {
        long flows = host.AppCtl("dpctl/dump-flows").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        Assert.Matches($@"^gc-allocated-bytes:\d+ gc-collections:\d+ mac-entries:2 megaflows:{flows} pmds:1 ports:2 rules:1\n$", host.AppCtl("memory/show"));
    }

    [Fact]
    public void MemoryShowCountsTheDaemonsGarbageCollectionsAndAllocations()
    {
        // The host runs in this process, so what this test allocates and collects is the daemon's runtime's.
        static (long Allocated, long Collections) Gc(string text)
        {
            Match m = Regex.Match(text, @"^gc-allocated-bytes:(\d+) gc-collections:(\d+) ");
            Assert.True(m.Success, text);
            return (long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        var before = Gc(host.AppCtl("memory/show"));
        byte[] block = new byte[4 << 20];
        GC.KeepAlive(block);
        GC.Collect(0);
        var after = Gc(host.AppCtl("memory/show"));
        Assert.True(after.Allocated - before.Allocated >= block.Length, $"{before} -> {after}");
        Assert.True(after.Collections > before.Collections, $"{before} -> {after}");
    }
}
