using System.Collections.Immutable;
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
