using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// Interface <c>mtu_request</c>, the refused <c>dummy</c> type, and the Open_vSwitch PMD tunables changed while the
/// switch runs, through the real ovs-vsctl and ovs-appctl.
/// </summary>
public sealed class FastpathdTunablesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MtuRequestReachesTheKernelDeviceAndMtuIsWrittenBack()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpm{Environment.ProcessId % 100000}";
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, "n1", "--", "set", "interface", "n1", "type=null");
        Assert.Equal("1500", (await d.RunAsync("ovs-vsctl", "get", "interface", br, "mtu")).Trim());

        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "interface", br, "mtu_request=1400", "--", "set", "interface", "n1", "mtu_request=9000");
        Assert.Equal("1400", File.ReadAllText($"/sys/class/net/{br}/mtu").Trim());
        await WaitAsync(async () => (await d.RunAsync("ovs-vsctl", "get", "interface", br, "mtu")).Trim() == "1400");
        Assert.Equal("9000", (await d.RunAsync("ovs-vsctl", "get", "interface", "n1", "mtu")).Trim());
    }

    [Fact]
    public async Task DummyInterfacesAreRefusedAsDebiansOvsVswitchdRefusesThem()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpy{Environment.ProcessId % 100000}";
        (int code, _, string error) = await d.TryRunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, "p1", "--", "set", "interface", "p1", "type=dummy");

        // Without --enable-dummy, ovs-vswitchd 3.1 has no dummy type: the same error, ofport -1, and ovs-vsctl still succeeds.
        output.WriteLine(error);
        Assert.Equal(0, code);
        Assert.Contains("Error detected while setting up 'p1'", error, StringComparison.Ordinal);
        Assert.Equal("\"could not open network device p1 (Address family not supported by protocol)\"", (await d.RunAsync("ovs-vsctl", "get", "interface", "p1", "error")).Trim());
        Assert.Equal("-1", (await d.RunAsync("ovs-vsctl", "get", "interface", "p1", "ofport")).Trim());
        Assert.DoesNotContain("dummy", await d.RunAsync("ovs-vsctl", "get", "open_vswitch", ".", "iface_types"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmcInsertInvProbAndPmdRxqAssignApplyAtRunTime()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpe{Environment.ProcessId % 100000}";
        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "open_vswitch", ".", "other_config:emc-insert-inv-prob=0");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev");

        // The bridge was created with no EMC: once the first replay has installed the megaflows, replayed traffic
        // hits them only.
        await ReplayAsync(d, br, loops: 50);
        await d.RunAsync("ovs-appctl", "dpif-netdev/pmd-stats-clear");
        await ReplayAsync(d, br, loops: 51);
        (long emc, long megaflow) = await HitsAsync(d);
        Assert.Equal(0, emc);
        Assert.True(megaflow > 0, "no megaflow hits");

        // Turned on while the bridge runs: every megaflow hit now inserts, so the next replay hits the EMC.
        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "open_vswitch", ".", "other_config:emc-insert-inv-prob=1");
        await d.RunAsync("ovs-appctl", "dpif-netdev/pmd-stats-clear");
        await ReplayAsync(d, br, loops: 52);
        (emc, _) = await HitsAsync(d);
        Assert.True(emc > 0, "no EMC hits after emc-insert-inv-prob=1");

        // The replayed frames show in the Interface row's statistics, refreshed every few seconds.
        // Until the first write the column has no rx_packets key, which ovs-vsctl reports as an error: not yet.
        await WaitAsync(async () =>
        {
            (int code, string rx, _) = await d.TryRunAsync("ovs-vsctl", "get", "interface", "r1", "statistics:rx_packets");
            return code == 0 && long.Parse(rx.Trim(), System.Globalization.CultureInfo.InvariantCulture) > 0;
        });

        // pmd-rxq-assign is accepted with Open vSwitch's values and used by pmd-rxq-rebalance; a bad value is logged.
        foreach (string mode in new[] { "roundrobin", "group", "cycles", "bogus" })
        {
            await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "open_vswitch", ".", $"other_config:pmd-rxq-assign={mode}");
            Assert.Equal("pmd rxq rebalance requested.", (await d.RunAsync("ovs-appctl", "dpif-netdev/pmd-rxq-rebalance")).Trim());
        }

        Assert.Contains("Invalid pmd-rxq-assign value 'bogus'", d.Log, StringComparison.Ordinal);
        Assert.Contains("port: r1", await d.RunAsync("ovs-appctl", "dpif-netdev/pmd-rxq-show"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpcallRateLimitIsOffByDefaultAndFollowsOtherConfig()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpu{Environment.ProcessId % 100000}";
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev");
        Assert.DoesNotContain("upcall rate limit", d.Log, StringComparison.Ordinal);

        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "open_vswitch", ".", "other_config:upcall-rl=true",
            "other_config:upcall-rate=500", "other_config:upcall-burst=50");
        await WaitAsync(() => Task.FromResult(d.Log.Contains($"bridge {br}: upcall rate limit 500/s per port, burst 50", StringComparison.Ordinal)));

        await d.RunAsync("ovs-vsctl", "--timeout=30", "remove", "open_vswitch", ".", "other_config", "upcall-rl");
        await WaitAsync(() => Task.FromResult(d.Log.Contains($"bridge {br}: upcall rate limit off", StringComparison.Ordinal)));
    }

    private static async Task ReplayAsync(FastpathdProcess d, string br, int loops)
    {
        // A new loops value reopens the port, which replays the capture again.
        await d.RunAsync("ovs-vsctl", "--timeout=30", "--may-exist", "add-port", br, "r1", "--", "set", "interface", "r1", "type=replay",
            $"options:file={TestData.Path("demo.pcap")}", $"options:loops={loops}", "ofport_request=1");
        long last = -1;
        await WaitAsync(async () =>
        {
            long now = Count(await d.RunAsync("ovs-appctl", "dpif-netdev/pmd-stats-show"), "packets received");
            bool settled = now > 0 && now == last;
            last = now;
            return settled;
        });
    }

    private static async Task<(long Emc, long Megaflow)> HitsAsync(FastpathdProcess d)
    {
        string stats = await d.RunAsync("ovs-appctl", "dpif-netdev/pmd-stats-show");
        return (Count(stats, "emc hits"), Count(stats, "megaflow hits"));
    }

    private static long Count(string stats, string name) =>
        Regex.Matches(stats, $@"^  {name}: (\d+)$", RegexOptions.Multiline).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static async Task WaitAsync(Func<Task<bool>> done)
    {
        for (int i = 0; i < 100; i++)
        {
            if (await done())
            {
                return;
            }

            await Task.Delay(300);
        }

        Assert.Fail("condition not reached in 30 s");
    }
}
