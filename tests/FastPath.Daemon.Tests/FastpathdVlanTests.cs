using System.Collections.Immutable;
using System.Text.RegularExpressions;
using FastPath.Daemon.Switch;
using FastPath.Ofproto.Normal;
using FastPath.Ovsdb.Vswitch;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// Port <c>tag</c>, <c>trunks</c> and <c>vlan_mode</c> set with ovs-vsctl and honoured by NORMAL, traced with
/// ovs-appctl ofproto/trace. The expected datapath actions are those ovs-vswitchd 3.1 gives for the same ports and
/// flows (its LOCAL port is datapath port 6 there, 1023 here; Open vSwitch floods in hash order, so outputs are
/// compared as sets of (VLAN state, port)).
/// </summary>
public sealed class FastpathdVlanTests(ITestOutputHelper output)
{
    private const string Bcast = "dl_dst=ff:ff:ff:ff:ff:ff";

    [Fact]
    public async Task NormalSwitchesWithinVlansAsOvsVswitchdDoes()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpl{Environment.ProcessId % 100000}";
        await d.RunAsync(
            "ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, "v1", "tag=10", "--", "set", "interface", "v1", "type=null", "ofport_request=1",
            "--", "add-port", br, "v2", "tag=10", "--", "set", "interface", "v2", "type=null", "ofport_request=2",
            "--", "add-port", br, "v3", "tag=20", "--", "set", "interface", "v3", "type=null", "ofport_request=3",
            "--", "add-port", br, "v4", "trunks=10,20", "--", "set", "interface", "v4", "type=null", "ofport_request=4",
            "--", "add-port", br, "v5", "tag=10", "vlan_mode=native-untagged", "--", "set", "interface", "v5", "type=null", "ofport_request=5");

        // Access port in: untagged to the other VLAN-10 access and native-untagged ports, tagged to the trunks.
        Assert.Equal(Set("u:2", "10:4", "u:5", "10:L"), await OutputsAsync(d, br, $"in_port=1,dl_src=50:54:00:00:00:01,{Bcast}"));

        // Trunk in with VLAN 20: untagged to the VLAN-20 access port, tagged to the native port (it trunks all VLANs).
        Assert.Equal(Set("u:3", "20:5", "20:L"), await OutputsAsync(d, br, $"in_port=4,dl_vlan=20,dl_src=50:54:00:00:00:04,{Bcast}"));
        Assert.Equal(Set("u:1", "u:2", "u:5", "10:L"), await OutputsAsync(d, br, $"in_port=4,dl_vlan=10,dl_src=50:54:00:00:00:04,{Bcast}"));

        // Native-untagged in, untagged: in VLAN 10.
        Assert.Equal(Set("u:1", "u:2", "10:4", "10:L"), await OutputsAsync(d, br, $"in_port=5,dl_src=50:54:00:00:00:05,{Bcast}"));

        // Frames a port does not carry are dropped: untagged on a trunk of 10,20; tagged on an access port.
        Assert.Empty(await OutputsAsync(d, br, $"in_port=4,dl_src=50:54:00:00:00:04,{Bcast}"));
        Assert.Empty(await OutputsAsync(d, br, $"in_port=1,dl_vlan=10,dl_src=50:54:00:00:00:01,{Bcast}"));

        // Changes apply at run time: v4 no longer trunks 10; v1 loses its tag and becomes a trunk of every VLAN.
        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "port", "v4", "trunks=20", "--", "clear", "port", "v1", "tag");
        Assert.Empty(await OutputsAsync(d, br, $"in_port=4,dl_vlan=10,dl_src=50:54:00:00:00:04,{Bcast}"));
        Assert.Equal(Set("u:2", "u:5", "10:L"), await OutputsAsync(d, br, $"in_port=1,dl_vlan=10,dl_src=50:54:00:00:00:01,{Bcast}"));
    }

    /// <summary>
    /// The NORMAL part of ofproto/trace through access, trunk and native-untagged ports, in ovs-vswitchd 3.1's words:
    /// the same lines for flooding, for a tagged frame on an access port, and for a VLAN a trunk does not carry.
    /// </summary>
    [SkippableFact]
    public async Task TraceThroughNormalSaysWhatOvsVswitchdSays()
    {
        string? why = OvsVswitchdProcess.Unavailable();
        Skip.If(why != null, why);
        string br = $"fpw{Environment.ProcessId % 100000}";
        string[] ports = ["v1", "tag=10", "v2", "tag=10", "v3", "tag=20", "v4", "trunks=10,20", "v5", "tag=10 vlan_mode=native-untagged"];
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        await using OvsVswitchdProcess ovs = await OvsVswitchdProcess.StartAsync();
        foreach ((Func<string, string[], Task<string>> run, string type) in new (Func<string, string[], Task<string>>, string)[] { (d.RunAsync, "null"), (ovs.RunAsync, "dummy") })
        {
            var args = new List<string> { "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev" };
            for (int i = 0; i < ports.Length; i += 2)
            {
                args.AddRange(["--", "add-port", br, ports[i], .. ports[i + 1].Split(' '), "--", "set", "interface", ports[i], $"type={type}", $"ofport_request={(i / 2) + 1}"]);
            }

            await run("ovs-vsctl", [.. args]);
        }

        foreach (string flow in new[]
        {
            $"in_port=1,dl_src=50:54:00:00:00:01,{Bcast}",
            $"in_port=4,dl_vlan=20,dl_src=50:54:00:00:00:04,{Bcast}",
            $"in_port=4,dl_src=50:54:00:00:00:04,{Bcast}",
            $"in_port=4,dl_vlan=30,dl_src=50:54:00:00:00:04,{Bcast}",
            $"in_port=1,dl_vlan=10,dl_src=50:54:00:00:00:01,{Bcast}",
            $"in_port=5,dl_src=50:54:00:00:00:05,{Bcast}",
            $"in_port=5,dl_vlan=20,dl_src=50:54:00:00:00:05,{Bcast}",
        })
        {
            string ours = await d.RunAsync("ovs-appctl", "ofproto/trace", br, flow);
            string theirs = await ovs.RunAsync("ovs-appctl", "ofproto/trace", br, flow);
            output.WriteLine($"{flow}\novs-vswitchd:\n{theirs}\nfastpathd:\n{ours}");
            Assert.Equal(Pipeline(theirs), Pipeline(ours));
            Assert.Equal(theirs.Split('\n')[0], ours.Split('\n')[0]);
        }

        // With -generate a trace learns, and says so as OVS does.
        string learned = await d.RunAsync("ovs-appctl", "ofproto/trace", br, $"in_port=2,dl_src=50:54:00:00:00:02,{Bcast}", "-generate");
        Assert.Contains("     -> learned that 50:54:00:00:00:02 is on port v2 in VLAN 10\n", learned, StringComparison.Ordinal);
        string forwarded = await d.RunAsync("ovs-appctl", "ofproto/trace", br, "in_port=1,dl_src=50:54:00:00:00:01,dl_dst=50:54:00:00:00:02");
        Assert.Contains("     -> forwarding to learned port\n", forwarded, StringComparison.Ordinal);
    }

    /// <summary>
    /// Real frames: two namespaces on access ports of VLAN 10 ping each other through fastpathd's NORMAL; a third on
    /// VLAN 20, in the same IP subnet, is not reached and receives nothing of their traffic (not even the ARP floods).
    /// </summary>
    [SkippableFact]
    public async Task AccessPortsOfOneVlanTalkAndAnotherVlanHearsNothing()
    {
        string? why = NetnsTopology.Unavailable();
        Skip.If(why != null, why);
        using var topo = new NetnsTopology();
        string ns1 = topo.AddNamespace("a1");
        string ns2 = topo.AddNamespace("a2");
        string ns3 = topo.AddNamespace("a3");
        NetnsTopology.VethPair a = topo.AddVeth(ns1);
        NetnsTopology.VethPair b = topo.AddVeth(ns2);
        NetnsTopology.VethPair c = topo.AddVeth(ns3);
        topo.AddAddress(ns1, a.HostName, "10.206.0.1/24");
        topo.AddAddress(ns2, b.HostName, "10.206.0.2/24");
        topo.AddAddress(ns3, c.HostName, "10.206.0.3/24");

        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpx{Environment.ProcessId % 100000}";
        await d.RunAsync(
            "ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, a.RootName, "tag=10", "--", "add-port", br, b.RootName, "tag=10", "--", "add-port", br, c.RootName, "tag=20");
        long before = RxPackets(ns3, c.HostName);

        string reply = NetnsTopology.Run("ip", "netns", "exec", ns1, "ping", "-c", "5", "-i", "0.2", "-W", "1", "10.206.0.2");
        output.WriteLine(reply);
        Assert.Matches(@"[1-5] received", reply);
        var (code, text, _) = await RunInAsync(ns1, "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.206.0.3");
        output.WriteLine(text);
        Assert.NotEqual(0, code);
        Assert.Contains(" 0 received", text, StringComparison.Ordinal);
        Assert.Equal(before, RxPackets(ns3, c.HostName));

        // The two learned in VLAN 10; nothing in VLAN 20.
        string fdb = await d.RunAsync("ovs-appctl", "fdb/show", br);
        output.WriteLine(fdb);
        Assert.Contains(fdb.Split('\n'), l => Regex.IsMatch(l, @"^\s+\d+\s+10\s+" + FieldMac(a.HostMac)));
        Assert.Contains(fdb.Split('\n'), l => Regex.IsMatch(l, @"^\s+\d+\s+10\s+" + FieldMac(b.HostMac)));
        Assert.DoesNotContain(fdb.Split('\n'), l => Regex.IsMatch(l, @"^\s+\d+\s+20\s+"));
    }

    private static string FieldMac(byte[] mac) => string.Join(':', mac.Select(x => x.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static long RxPackets(string ns, string ifname) =>
        long.Parse(NetnsTopology.Run("ip", "netns", "exec", ns, "cat", $"/sys/class/net/{ifname}/statistics/rx_packets").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(int Code, string Output, string Error)> RunInAsync(string ns, params string[] command)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ip", ["netns", "exec", ns, .. command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        Task<string> o = p.StandardOutput.ReadToEndAsync();
        Task<string> e = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await o, await e);
    }

    /// <summary>The trace's pipeline: the lines between the bridge header and "Final flow", with the NORMAL report.</summary>
    private static string Pipeline(string trace)
    {
        string[] lines = trace.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith("bridge(", StringComparison.Ordinal));
        int end = Array.FindIndex(lines, l => l.StartsWith("Final flow", StringComparison.Ordinal) || l.StartsWith("Megaflow", StringComparison.Ordinal));
        return string.Join('\n', lines[start..end]).TrimEnd();
    }

    [Fact]
    public void PortColumnsAreReadAsBridgeDotCReadsThem()
    {
        Assert.Equal("access tag=10", PortVlans.From(Port(tag: 10), out string? w).ToString());
        Assert.Null(w);
        Assert.Equal("trunk", PortVlans.From(Port(), out _).ToString());

        // A trunk's tag is ignored; a tagged port without vlan_mode is access and its trunks are ignored, with a warning.
        Assert.Equal("trunk", PortVlans.From(Port(tag: 10, mode: "trunk"), out _).ToString());
        PortVlanConfig access = PortVlans.From(Port(tag: 10, trunks: [20]), out w);
        Assert.Equal("access tag=10", access.ToString());
        Assert.Equal("ignoring trunks in favor of implicit vlan", w);
        Assert.False(access.Trunks(20));

        PortVlanConfig native = PortVlans.From(Port(tag: 10, trunks: [20], mode: "native-tagged"), out _);
        Assert.Equal(PortVlanMode.NativeTagged, native.Mode);
        Assert.True(native.AcceptsInput(0));
        Assert.Equal(10, native.InputVlan(0));
        Assert.True(native.Trunks(20));
        Assert.False(native.Trunks(30));

        PortVlans.From(Port(mode: "dot1q-tunnel", tag: 5), out w);
        Assert.Contains("not supported", w, StringComparison.Ordinal);
    }

    private static PortConfig Port(long? tag = null, long[]? trunks = null, string? mode = null) =>
        new(Guid.NewGuid(), "p", [], tag, [.. trunks ?? []], mode, ImmutableSortedDictionary<string, string>.Empty, ImmutableSortedDictionary<string, string>.Empty);

    private static SortedSet<string> Set(params string[] outputs) => new(outputs, StringComparer.Ordinal);

    /// <summary>The trace's datapath outputs as "VLAN:port" ("u" untagged, "L" the LOCAL port), from its actions in order.</summary>
    private async Task<SortedSet<string>> OutputsAsync(FastpathdProcess d, string br, string flow)
    {
        string trace = await d.RunAsync("ovs-appctl", "ofproto/trace", br, flow);
        output.WriteLine(trace);
        string actions = trace.Split('\n').Single(l => l.StartsWith("Datapath actions: ", StringComparison.Ordinal))["Datapath actions: ".Length..];
        var outputs = Set();
        if (actions == "drop")
        {
            return outputs;
        }

        // The frame's VLAN as it arrived: the flow's dl_vlan, if any.
        string vlan = flow.Split(',').FirstOrDefault(f => f.StartsWith("dl_vlan=", StringComparison.Ordinal))?["dl_vlan=".Length..] ?? "u";
        foreach (string a in System.Text.RegularExpressions.Regex.Split(actions, @",(?![^(]*\))"))
        {
            if (a == "pop_vlan")
            {
                vlan = "u";
            }
            else if (a.StartsWith("push_vlan(vid=", StringComparison.Ordinal))
            {
                vlan = a["push_vlan(vid=".Length..a.IndexOf(',', StringComparison.Ordinal)];
            }
            else
            {
                outputs.Add(vlan + ":" + (a == "1023" ? "L" : a));
            }
        }

        return outputs;
    }
}
