using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// Open_vSwitch <c>other_config:pmd-cpu-mask</c> changed while traffic runs between two namespaces through system
/// ports: the PMDs are re-created on the new cores as ovs-vswitchd re-creates them, <c>dpif-netdev/pmd-rxq-show</c>
/// shows the rx queues there, the ports keep their numbers, the OpenFlow rules stay, and pings go through again.
/// </summary>
public sealed class FastpathdPmdCpuMaskTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task NewPmdCpuMaskMovesThePmdsAndForwardingResumes()
    {
        string? why = NetnsTopology.Unavailable() ?? (Environment.ProcessorCount < 2 ? "needs cores 0 and 1" : null);
        Skip.If(why != null, why);
        using var topo = new NetnsTopology();
        string ns1 = topo.AddNamespace("m1");
        string ns2 = topo.AddNamespace("m2");
        NetnsTopology.VethPair a = topo.AddVeth(ns1);
        NetnsTopology.VethPair b = topo.AddVeth(ns2);
        topo.AddAddress(ns1, a.HostName, "10.204.0.1/24");
        topo.AddAddress(ns2, b.HostName, "10.204.0.2/24");

        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpc{Environment.ProcessId % 100000}";
        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "open_vswitch", ".", "other_config:pmd-cpu-mask=0x1");
        await d.RunAsync(
            "ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, a.RootName, "--", "set", "interface", a.RootName, "ofport_request=1",
            "--", "add-port", br, b.RootName, "--", "set", "interface", b.RootName, "ofport_request=2");
        await d.RunAsync("ovs-ofctl", "add-flow", br, "priority=100,icmp,actions=NORMAL");
        Assert.Equal(["0"], await RxqCoresAsync(d, a.RootName, b.RootName));
        Ping(ns1, "10.204.0.2");

        // One PMD moved from core 0 to core 1.
        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "open_vswitch", ".", "other_config:pmd-cpu-mask=0x2");
        Assert.Equal(["1"], await RxqCoresAsync(d, a.RootName, b.RootName));
        Ping(ns1, "10.204.0.2");

        // Two PMDs: each takes one port's queue.
        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "open_vswitch", ".", "other_config:pmd-cpu-mask=3");
        Assert.Equal(["0", "1"], await RxqCoresAsync(d, a.RootName, b.RootName));
        Ping(ns2, "10.204.0.1");

        // Ports kept their numbers, the rule its place and the traffic it matched after the moves.
        Assert.Equal("1", (await d.RunAsync("ovs-vsctl", "get", "interface", a.RootName, "ofport")).Trim());
        Assert.Equal("2", (await d.RunAsync("ovs-vsctl", "get", "interface", b.RootName, "ofport")).Trim());
        string flows = await d.RunAsync("ovs-ofctl", "dump-flows", br);
        output.WriteLine(flows);
        Match rule = Regex.Match(flows, @"n_packets=(\d+), .*priority=100,icmp actions=NORMAL");
        Assert.True(rule.Success, flows);
        Assert.True(long.Parse(rule.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 6, flows);
        Assert.Contains("PMD thread on core 0 destroyed", d.Log, StringComparison.Ordinal);
    }

    /// <summary>The cores of the PMDs that poll <paramref name="ports"/>, checking that every port is polled by exactly one of them.</summary>
    private async Task<string[]> RxqCoresAsync(FastpathdProcess d, params string[] ports)
    {
        string show = await d.RunAsync("ovs-appctl", "dpif-netdev/pmd-rxq-show");
        output.WriteLine(show);
        var cores = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string port in ports)
        {
            string core = Assert.Single(
                Regex.Matches(show, @"^pmd thread numa_id 0 core_id (\d+):\n(?:  .*\n)*?  port: " + Regex.Escape(port) + " ", RegexOptions.Multiline),
                m => true).Groups[1].Value;
            cores.Add(core);
        }

        return [.. cores];
    }

    /// <summary>Pings from <paramref name="ns"/> until one reply comes (the first packets may go to ARP and upcalls).</summary>
    private void Ping(string ns, string address)
    {
        string reply = NetnsTopology.Run("ip", "netns", "exec", ns, "ping", "-c", "5", "-i", "0.2", "-W", "1", address);
        output.WriteLine(reply);
        Assert.Matches(@"[1-5] received", reply);
    }
}
