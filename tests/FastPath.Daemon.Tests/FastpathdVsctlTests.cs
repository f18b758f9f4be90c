using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// fastpathd configured the way Open vSwitch users configure ovs-vswitchd: the real ovs-vsctl against the private
/// ovsdb-server, the real ovs-ofctl by bridge name over RUNDIR/BRIDGE.mgmt.
/// </summary>
public sealed partial class FastpathdVsctlTests(ITestOutputHelper output)
{
    // Bridge names become kernel tap devices (the LOCAL port): unique per test process, within IFNAMSIZ.
    private static string BridgeName(string tag) => $"fpt{Environment.ProcessId % 100000}{tag}";

    [Fact]
    public async Task OvsVsctlBuildsTheSwitchAndReadsBackWhatOvsVswitchdWrites()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = BridgeName("a");

        // Without --no-wait: returns only once fastpathd has applied the change and written cur_cfg.
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-port", br, "n1", "--", "set", "interface", "n1", "type=null", "ofport_request=7");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-port", br, "n2", "--", "set", "interface", "n2", "type=null");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-port", br, "fptnosuch9", "--", "set", "interface", "fptnosuch9", "type=afxdp");

        Assert.Equal("7", (await d.RunAsync("ovs-vsctl", "get", "interface", "n1", "ofport")).Trim());
        Assert.Equal("1", (await d.RunAsync("ovs-vsctl", "get", "interface", "n2", "ofport")).Trim());
        Assert.Equal("65534", (await d.RunAsync("ovs-vsctl", "get", "interface", br, "ofport")).Trim());
        Assert.Equal("-1", (await d.RunAsync("ovs-vsctl", "get", "interface", "fptnosuch9", "ofport")).Trim());
        string error = await d.RunAsync("ovs-vsctl", "get", "interface", "fptnosuch9", "error");
        output.WriteLine($"error of a missing device: {error}");
        Assert.Contains("fptnosuch9", error, StringComparison.Ordinal);
        Assert.Equal("[]", (await d.RunAsync("ovs-vsctl", "get", "interface", "n1", "error")).Trim());
        Assert.Equal("up", (await d.RunAsync("ovs-vsctl", "get", "interface", "n1", "link_state")).Trim());
        Assert.Matches(HexDpid(), await d.RunAsync("ovs-vsctl", "get", "bridge", br, "datapath_id"));
        string types = await d.RunAsync("ovs-vsctl", "get", "open_vswitch", ".", "iface_types");
        Assert.Contains("afxdp", types, StringComparison.Ordinal);
        Assert.Contains("netdev", await d.RunAsync("ovs-vsctl", "get", "open_vswitch", ".", "datapath_types"), StringComparison.Ordinal);
        Assert.Equal(
            (await d.RunAsync("ovs-vsctl", "get", "open_vswitch", ".", "next_cfg")).Trim(),
            (await d.RunAsync("ovs-vsctl", "get", "open_vswitch", ".", "cur_cfg")).Trim());

        // ovs-ofctl finds the bridge by name (RUNDIR/BRIDGE.mgmt) and sees the same port numbers.
        string show = await d.RunAsync("ovs-ofctl", "show", br);
        output.WriteLine(show);
        Assert.Contains(" 7(n1): addr:", show, StringComparison.Ordinal);
        Assert.Contains(" 1(n2): addr:", show, StringComparison.Ordinal);
        Assert.Contains($" LOCAL({br}): addr:", show, StringComparison.Ordinal);
        Assert.DoesNotContain("fptnosuch9", show, StringComparison.Ordinal);

        // Flows survive configuration changes; a deleted port leaves the bridge.
        await d.RunAsync("ovs-ofctl", "add-flow", br, "in_port=7,actions=output:1");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "del-port", br, "n2");
        show = await d.RunAsync("ovs-ofctl", "show", br);
        Assert.DoesNotContain("(n2)", show, StringComparison.Ordinal);
        Assert.Contains("in_port=7 actions=output:1", await d.RunAsync("ovs-ofctl", "dump-flows", br, "--no-stats"), StringComparison.Ordinal);

        // Deleting the bridge removes its management socket.
        await d.RunAsync("ovs-vsctl", "--timeout=30", "del-br", br);
        Assert.False(File.Exists(Path.Combine(d.RunDir, br + ".mgmt")));
        int code = await d.StopAsync();
        Assert.True(code == 0, $"fastpathd exited with {code}:\n{d.Log}");
    }

    [Fact]
    public async Task AfterKillDashNineDuringABurstTheRestartedSwitchMatchesTheDatabase()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = BridgeName("k");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev");

        // A burst of changes (no waiting), and the daemon dies in the middle of it.
        Task burst = Task.Run(async () =>
        {
            for (int i = 1; i <= 40; i++)
            {
                string n = $"k{i}";
                await d.TryRunAsync("ovs-vsctl", "--no-wait", "add-port", br, n, "--", "set", "interface", n, "type=null", $"ofport_request={100 + i}");
            }
        });
        await Task.Delay(1500);
        await d.KillAsync();
        await burst;

        await d.StartAsync();
        await d.SyncAsync();
        string show = await d.RunAsync("ovs-ofctl", "show", br);
        var switchPorts = PortLine().Matches(show).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
        string[] names = (await d.RunAsync("ovs-vsctl", "list-ports", br)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(40, names.Length);
        foreach (string n in names)
        {
            string ofport = (await d.RunAsync("ovs-vsctl", "get", "interface", n, "ofport")).Trim();
            Assert.Equal((100 + int.Parse(n[1..], CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture), ofport);
            Assert.True(switchPorts.TryGetValue(n, out string? p), $"{n} is in the database but not on the switch:\n{show}");
            Assert.Equal(ofport, p);
        }

        Assert.Equal(40, switchPorts.Count);
    }

    [Fact]
    public async Task APlainAddBrRunsInTheUserspaceDatapath()
    {
        // Tutorials start with a bare `ovs-vsctl add-br br0` (datapath type system, the default): FastPath has no
        // kernel datapath and runs such a bridge in its userspace one, as ovs-vswitchd --enable-dummy=override does.
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = BridgeName("s");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br);
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-port", br, "n1", "--", "set", "interface", "n1", "type=null", "ofport_request=3");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-port", br, "n2", "--", "set", "interface", "n2", "type=null", "ofport_request=4");

        Assert.Equal("3", (await d.RunAsync("ovs-vsctl", "get", "interface", "n1", "ofport")).Trim());
        Assert.Equal("[]", (await d.RunAsync("ovs-vsctl", "get", "interface", "n1", "error")).Trim());
        Assert.Equal("65534", (await d.RunAsync("ovs-vsctl", "get", "interface", br, "ofport")).Trim());
        Assert.Matches(HexDpid(), await d.RunAsync("ovs-vsctl", "get", "bridge", br, "datapath_id"));
        Assert.Contains("system", await d.RunAsync("ovs-vsctl", "get", "open_vswitch", ".", "datapath_types"), StringComparison.Ordinal);

        await d.RunAsync("ovs-ofctl", "add-flow", br, "in_port=3,actions=output:4");
        string show = await d.RunAsync("ovs-ofctl", "show", br);
        Assert.Contains(" 3(n1): addr:", show, StringComparison.Ordinal);
        string trace = await d.RunAsync("ovs-appctl", "ofproto/trace", br, "in_port=3,udp");
        Assert.Contains("Datapath actions: 4", trace, StringComparison.Ordinal);

        // Switching it to netdev later is the same datapath: the flow and ports stay.
        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "bridge", br, "datapath_type=netdev");
        Assert.Contains("in_port=3 actions=output:4", await d.RunAsync("ovs-ofctl", "dump-flows", br, "--no-stats"), StringComparison.Ordinal);
        Assert.Equal(0, await d.StopAsync());
    }

    [Fact]
    public async Task StopsCleanlyOnSigtermAndStopsItsPrivateDatabase()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string pid = File.ReadAllText(Path.Combine(d.RunDir, "ovsdb-server.pid")).Trim();
        Assert.Equal(0, await d.StopAsync());
        Assert.False(Directory.Exists($"/proc/{pid}"), "the private ovsdb-server outlived a clean shutdown");
    }

    [Fact]
    public async Task ABadDatabaseAddressIsRefusedInOneLine()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "fastpathd.dll"), "--db=bogus:x"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.NotEqual(0, p.ExitCode);
        Assert.Equal("fastpathd: bogus:x: the database must be unix:PATH or tcp:IP:PORT", err.Trim());
    }

    [GeneratedRegex("^\"?[0-9a-f]{16}\"?\\s*$")]
    private static partial Regex HexDpid();

    [GeneratedRegex(@"^ (\d+)\(([^)]+)\): addr:", RegexOptions.Multiline)]
    private static partial Regex PortLine();
}
