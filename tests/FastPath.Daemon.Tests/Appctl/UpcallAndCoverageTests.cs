using System.Globalization;
using System.Text.RegularExpressions;
using FastPath.Daemon.Coverage;

namespace FastPath.Daemon.Tests.Appctl;

/// <summary>
/// <c>upcall/show</c> and <c>coverage/show</c> through Open vSwitch's ovs-appctl, in Open vSwitch 3.1's layouts
/// (taken from a real ovs-vswitchd 3.1 with a netdev bridge), with numbers from the slow path's real counters.
/// </summary>
public sealed class UpcallAndCoverageTests
{
    [Fact]
    public async Task UpcallShowCountsTheMegaflowsTheSlowPathInstalled()
    {
        await using var host = AppctlHost.Start();
        host.P1.Inject(AppctlHost.Udp(1, 2));
        host.WaitForOutput(0, 1);
        host.P2.Inject(AppctlHost.Udp(2, 1));
        host.WaitForOutput(1, 1);

        string show = host.AppCtl("upcall/show");
        Match m = Regex.Match(show,
            @"^netdev@ovs-netdev:\n  flows         : \(current (\d+)\) \(avg \d+\) \(max \d+\) \(limit (\d+)\)\n  dump duration : \d+ms\n  ufid enabled : true\n\n  1: \(keys (\d+)\)\n$");
        Assert.True(m.Success, show);
        Assert.Equal(2, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(2, int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        Assert.Equal(host.Datapath.Options.MaxMegaflows, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task CoverageShowPrintsOpenVswitchsLayoutWithRatesFromFiveSecondSamples()
    {
        await using var host = AppctlHost.Start();
        host.P1.Inject(AppctlHost.Udp(1, 2));
        host.WaitForOutput(0, 1);
        host.Coverage.Sample();
        long xlate = host.Coverage.Total("xlate_actions");
        long puts = host.Coverage.Total("dpif_flow_put");

        // Two more addresses learned between two samples: 2 events in the last 5 s, 3 in the last minute (the
        // first sample took the one learned before it).
        host.P2.Inject(AppctlHost.Udp(2, 1));
        host.WaitForOutput(1, 1);
        host.P2.Inject(AppctlHost.Udp(3, 1));
        host.WaitForOutput(2, 1);
        host.Coverage.Sample();

        string show = host.AppCtl("coverage/show");
        string[] lines = show.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^Event coverage, avg rate over last: 5 seconds, last minute, last hour,  hash=[0-9a-f]{8}:$", lines[0]);
        Assert.Matches(@"^\d+ events never hit$", lines[^1]);
        foreach (string line in lines[1..^1])
        {
            Assert.Matches(@"^[a-z0-9_]+ +\d+\.\d/sec +\d+\.\d{3}/sec +\d+\.\d{4}/sec   total: \d+$", line);
        }

        Assert.Contains("mac_learning_learned         0.4/sec     0.050/sec        0.0000/sec   total: 3", lines);

        // The slow path counted the upcalls it translated and the megaflows it installed.
        Assert.True(host.Coverage.Total("xlate_actions") >= xlate + 2);
        Assert.True(host.Coverage.Total("dpif_flow_put") >= puts + 2);
    }

    [Fact]
    public void AnHourSlotHoldsAMinuteOfSamplesAndTotalsNeverGoBack()
    {
        using var registry = new CoverageRegistry(sampleAutomatically: false);
        string name = "test_event_" + Guid.NewGuid().ToString("N")[..8];
        long total = 0;
        registry.AddSource([name], () => [new(name, total)]);
        Assert.Contains("never hit", registry.Show(), StringComparison.Ordinal);
        Assert.DoesNotContain(name, registry.Show(), StringComparison.Ordinal);

        // 12 samples of 6 events each: a minute of 72 events, 72 in the hour.
        for (int i = 0; i < 12; i++)
        {
            total += 6;
            registry.Sample();
        }

        string line = registry.Show().Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.Equal($"{name,-26}   1.2/sec     1.200/sec        0.0200/sec   total: 72", line);

        // A source that is cleared (pmd-stats-clear) does not take events back.
        total = 0;
        registry.Sample();
        total = 3;
        Assert.Equal(75, registry.Total(name));
    }
}
