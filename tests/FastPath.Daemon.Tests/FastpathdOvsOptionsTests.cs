using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// fastpathd started with ovs-vswitchd's own command line (the AF_XDP guide's example script and the install
/// guides: <c>--pidfile --detach --log-file -vconsole:off --no-chdir --disable-system -vvconn</c>), which returns
/// once the daemon is up, so the next ovs-vsctl needs no wait; and Bridge settings NORMAL's table takes from the
/// database (other_config:mac-table-size, mac-aging-time, flood_vlans).
/// </summary>
public sealed class FastpathdOvsOptionsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OvsVswitchdsCommandLineDetachesOnceTheDaemonIsUp()
    {
        string dir = Directory.CreateTempSubdirectory("fastpathd-detach-").FullName;
        int? daemonPid = null;
        try
        {
            var psi = new ProcessStartInfo("dotnet",
                [Path.Combine(AppContext.BaseDirectory, "fastpathd.dll"), "--pidfile", "--detach", "--log-file", "-vconsole:off", "--no-chdir", "--disable-system", "-vvconn", "--mlockall"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.Environment["OVS_RUNDIR"] = dir;
            psi.Environment["OVS_LOGDIR"] = dir;
            using (Process start = Process.Start(psi)!)
            {
                string error = await start.StandardError.ReadToEndAsync();
                await start.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
                Assert.True(start.ExitCode == 0, $"fastpathd --detach exited {start.ExitCode}: {error}");
            }

            daemonPid = int.Parse(File.ReadAllText(Path.Combine(dir, "ovs-vswitchd.pid")).Trim(), CultureInfo.InvariantCulture);
            Assert.True(Directory.Exists($"/proc/{daemonPid}"), "the detached daemon runs");

            // Up means configured: ovs-vsctl --no-wait is not needed, and no retry.
            (int code, string vsctl) = await RunAsync(dir, "ovs-vsctl", "--timeout=5", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
            Assert.True(code == 0, vsctl);
            (_, string vlog) = await RunAsync(dir, "ovs-appctl", "vlog/list");
            output.WriteLine(vlog);
            Assert.Matches(@"(?m)^vconn\s+DBG\s+DBG\s+DBG$", vlog);
            Assert.Matches(@"(?m)^bridge\s+OFF\s", vlog);
            Assert.Contains("bridge br0: added interface br0", await File.ReadAllTextAsync(Path.Combine(dir, "ovs-vswitchd.log")), StringComparison.Ordinal);

            (code, string exit) = await RunAsync(dir, "ovs-appctl", "exit");
            Assert.True(code == 0, exit);
            for (int i = 0; i < 100 && Directory.Exists($"/proc/{daemonPid}"); i++)
            {
                await Task.Delay(100);
            }

            Assert.False(File.Exists($"/proc/{daemonPid}/status") && !File.ReadAllText($"/proc/{daemonPid}/status").Contains("zombie", StringComparison.Ordinal), "ovs-appctl exit ends the detached daemon");
            daemonPid = null;
        }
        finally
        {
            if (daemonPid is int pid && File.Exists($"/proc/{pid}/comm"))
            {
                using Process p = Process.GetProcessById(pid);
                p.Kill();
            }

            string dbPid = Path.Combine(dir, "ovsdb-server.pid");
            if (File.Exists(dbPid) && int.TryParse(File.ReadAllText(dbPid).Trim(), CultureInfo.InvariantCulture, out int db)
                && File.Exists($"/proc/{db}/comm") && File.ReadAllText($"/proc/{db}/comm").Trim() == "ovsdb-server")
            {
                using Process p = Process.GetProcessById(db);
                p.Kill();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task AnUnknownVerbositySpecStopsTheDaemonWithOvsMessage()
    {
        await using var d = new FastpathdProcess();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => d.StartAsync("-vnosuchmodule:dbg"));
        Assert.Contains("-vnosuchmodule:dbg", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MacTableSizeAgingAndFloodVlansComeFromTheBridgeRow()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpm{Environment.ProcessId % 100000}";
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "other_config:mac-table-size=2048", "other_config:mac-aging-time=30", "flood_vlans=10",
            "--", "add-port", br, "p1", "--", "set", "interface", "p1", "type=null", "ofport_request=1");
        string stats = await d.RunAsync("ovs-appctl", "fdb/stats-show", br);
        output.WriteLine(stats);
        Assert.Matches(@"  Current/maximum MAC entries in the table: \d+/2048\n", stats);

        // VLAN 10 floods without learning; VLAN 20 learns.
        await d.RunAsync("ovs-appctl", "ofproto/trace", br, "in_port=p1,dl_vlan=10,dl_src=50:54:00:00:00:0a,dl_dst=50:54:00:00:00:0b", "-generate");
        await d.RunAsync("ovs-appctl", "ofproto/trace", br, "in_port=p1,dl_vlan=20,dl_src=50:54:00:00:00:14,dl_dst=50:54:00:00:00:0b", "-generate");
        string fdb = await d.RunAsync("ovs-appctl", "fdb/show", br);
        output.WriteLine(fdb);
        Assert.DoesNotContain("50:54:00:00:00:0a", fdb, StringComparison.Ordinal);
        Assert.Contains("50:54:00:00:00:14", fdb, StringComparison.Ordinal);

        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "bridge", br, "other_config:mac-table-size=10", "--", "clear", "bridge", br, "flood_vlans");
        Assert.Contains("/10\n", await d.RunAsync("ovs-appctl", "fdb/stats-show", br), StringComparison.Ordinal);
        Assert.Equal("statistics successfully cleared\n", await d.RunAsync("ovs-appctl", "fdb/stats-clear", br));
        Assert.Contains("  Total number of learned MAC entries     : 0\n", await d.RunAsync("ovs-appctl", "fdb/stats-show", br), StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Text)> RunAsync(string dir, string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OVS_RUNDIR"] = dir;
        using Process p = Process.Start(psi)!;
        Task<string> o = p.StandardOutput.ReadToEndAsync();
        Task<string> e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (p.ExitCode, await o + await e);
    }
}
