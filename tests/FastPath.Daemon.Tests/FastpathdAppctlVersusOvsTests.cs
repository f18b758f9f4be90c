using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// ovs-appctl commands of features FastPath does not have (bonds, LACP, CFM, BFD, STP, RSTP, tunnels, QoS,
/// multicast snooping, connection tracking) and of bridge maintenance, run against fastpathd and against Debian's
/// ovs-vswitchd side by side, on a netdev bridge of the same name with ports of the same names: the same exit
/// code, output and error message. And <c>ovs/route/*</c> against both in one network namespace, whose routes both
/// read from the kernel.
/// </summary>
public sealed class FastpathdAppctlVersusOvsTests(ITestOutputHelper output)
{
    private static readonly string[][] Commands =
    [
        ["bond/show"], ["bond/show", "p1"], ["bond/list"], ["lacp/show"], ["lacp/show", "p1"], ["lacp/show-stats"], ["lacp/show-stats", "p1"],
        ["cfm/show"], ["cfm/show", "p1"], ["bfd/show"], ["bfd/show", "p1"],
        ["stp/show"], ["stp/show", "BR"], ["rstp/show"], ["rstp/show", "BR"], ["stp/tcn"], ["stp/tcn", "BR"], ["rstp/tcn"], ["rstp/tcn", "BR"],
        ["tnl/ports/show"], ["tnl/ports/show", "-v"], ["tnl/arp/show"], ["tnl/neigh/show"],
        ["qos/show-types", "p1"], ["qos/show", "p2"], ["qos/show", "nosuch"],
        ["mdb/show", "BR"], ["mdb/flush", "BR"], ["mdb/flush", "nosuch"],
        ["dpctl/dump-conntrack"], ["dpctl/dump-conntrack", "-m"], ["dpctl/dump-conntrack", "zone=5"], ["dpctl/dump-conntrack", "nosuch"],
        ["dpctl/flush-conntrack"], ["dpctl/ct-stats-show"], ["dpctl/ct-get-nconns"],
        ["bridge/reconnect"], ["bridge/reconnect", "BR"], ["bridge/reconnect", "nosuch"],
        ["revalidator/purge"], ["revalidator/wait"], ["dpif-netdev/bond-show"], ["dpif/show-dp-features", "nosuch"],
        ["coverage/read-counter", "nosuch"], ["vlog/set", "nosuch:dbg"], ["vlog/disable-rate-limit", "dpif"], ["vlog/enable-rate-limit", "nosuch"],
        ["ovs/route/lookup", "10.1.2.3", "pkt_mark=7"],
    ];

    [SkippableFact]
    public async Task CommandsOfAbsentFeaturesAnswerAsOvsVswitchdDoes()
    {
        string? why = OvsVswitchdProcess.Unavailable();
        Skip.If(why != null, why);
        string br = $"fpv{Environment.ProcessId % 100000}";
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, "p1", "--", "set", "interface", "p1", "type=null",
            "--", "add-port", br, "p2", "--", "set", "interface", "p2", "type=null");
        await using OvsVswitchdProcess ovs = await OvsVswitchdProcess.StartAsync();
        await ovs.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, "p1", "--", "add-port", br, "p2");

        var differences = new List<string>();
        foreach (string[] command in Commands)
        {
            string[] args = [.. command.Select(a => a == "BR" ? br : a)];
            (int code, string text, string error) ours = await d.TryRunAsync("ovs-appctl", args);
            (int code, string text, string error) theirs = await ovs.TryRunAsync("ovs-appctl", args);
            string line = $"{string.Join(' ', command)}: ovs-vswitchd {theirs.code} {Show(theirs.text, theirs.error)}, fastpathd {ours.code} {Show(ours.text, ours.error)}";
            output.WriteLine(line);
            if (ours.code != theirs.code || ours.text != theirs.text || FirstLine(ours.error) != FirstLine(theirs.error))
            {
                differences.Add(line);
            }
        }

        Assert.Empty(differences);

        // The features FastPath has not are said to be absent, in OVS's layout, line for line.
        string features = await d.RunAsync("ovs-appctl", "dpif/show-dp-features", br);
        string reference = await ovs.RunAsync("ovs-appctl", "dpif/show-dp-features", br);
        Assert.Equal(Names(reference), Names(features));
        Assert.Contains("Recirc: No\n", features, StringComparison.Ordinal);
        Assert.Contains("Masked set action: Yes\n", features, StringComparison.Ordinal);

        // A counter both have, read by name.
        Assert.Matches(@"^\d+\n$", await d.RunAsync("ovs-appctl", "coverage/read-counter", "bridge_reconfigure"));
    }

    [SkippableFact]
    public async Task RouteShowAndLookupListTheNamespacesKernelRoutesAsOvsVswitchdDoes()
    {
        string? why = NetnsTopology.Unavailable() ?? OvsVswitchdProcess.Unavailable();
        Skip.If(why != null, why);
        using var topo = new NetnsTopology();
        string ns = topo.AddNamespace("rt");
        NetnsTopology.VethPair v = topo.AddVeth(ns);
        topo.AddAddress(ns, v.HostName, "10.205.0.5/24");
        NetnsTopology.Run("ip", "netns", "exec", ns, "ip", "route", "add", "default", "via", "10.205.0.1");
        NetnsTopology.Run("ip", "netns", "exec", ns, "ip", "route", "add", "10.77.0.0/16", "via", "10.205.0.2");
        // IPv6 on for this device only, without a link-local address (whose late arrival would race the two reads).
        NetnsTopology.Run("ip", "netns", "exec", ns, "sysctl", "-qw", $"net.ipv6.conf.{v.HostName}.addr_gen_mode=1", $"net.ipv6.conf.{v.HostName}.disable_ipv6=0");
        NetnsTopology.Run("ip", "netns", "exec", ns, "ip", "-6", "addr", "add", "2001:db8:205::5/64", "dev", v.HostName, "nodad");

        await using var d = new FastpathdProcess(netns: ns);
        await d.StartAsync();
        await using OvsVswitchdProcess ovs = await OvsVswitchdProcess.StartAsync(ns);

        string ours = await d.RunAsync("ovs-appctl", "ovs/route/show");
        string theirs = await ovs.RunAsync("ovs-appctl", "ovs/route/show");
        output.WriteLine($"ovs-vswitchd:\n{theirs}\nfastpathd:\n{ours}");

        // The same routes (OVS's order within one priority follows its classifier's hash).
        Assert.StartsWith("Route Table:\n", ours, StringComparison.Ordinal);
        Assert.Equal(Lines(theirs), Lines(ours));
        Assert.Contains($"Cached: 10.77.0.0/16 dev {v.HostName} GW 10.205.0.2 SRC 10.205.0.5\n", ours, StringComparison.Ordinal);

        foreach (string address in new[] { "10.77.1.1", "8.8.8.8", "10.205.0.9", "127.0.0.1", "2001:db8:205::9", "not-an-address" })
        {
            (int code, string text, string error) a = await d.TryRunAsync("ovs-appctl", "ovs/route/lookup", address);
            (int code, string text, string error) b = await ovs.TryRunAsync("ovs-appctl", "ovs/route/lookup", address);
            output.WriteLine($"lookup {address}: ovs-vswitchd {b.code} {Show(b.text, b.error)}, fastpathd {a.code} {Show(a.text, a.error)}");
            Assert.Equal((b.code, b.text, FirstLine(b.error)), (a.code, a.text, FirstLine(a.error)));
        }
    }

    private static string Show(string text, string error) => $"[{text.Replace("\n", "\\n", StringComparison.Ordinal)}] [{FirstLine(error)}]";

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static SortedSet<string> Lines(string text) => new(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    private static string[] Names(string features) => [.. Regex.Matches(features, "^([^:]+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value)];
}
