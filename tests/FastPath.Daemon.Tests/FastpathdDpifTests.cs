using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// The datapath-level ovs-appctl commands over every netdev bridge, in Open vSwitch 3.1's layouts (ovs-vswitchd
/// shows all netdev bridges under one <c>netdev@ovs-netdev</c>; FastPath has a datapath per bridge and prints
/// them the same way).
/// </summary>
public sealed class FastpathdDpifTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DpifShowDpctlShowAndOfprotoListSeeEveryBridge()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        int id = Environment.ProcessId % 100000;
        string a = $"fpa{id}", b = $"fpb{id}";
        await d.RunAsync(
            "ovs-vsctl", "--timeout=30", "add-br", a, "--", "set", "bridge", a, "datapath_type=netdev",
            "--", "add-port", a, "n1", "--", "set", "interface", "n1", "type=null", "ofport_request=1",
            "--", "add-br", b, "--", "set", "bridge", b, "datapath_type=netdev",
            "--", "add-port", b, "m7", "--", "set", "interface", "m7", "type=null", "ofport_request=7");

        string dpif = await d.RunAsync("ovs-appctl", "dpif/show");
        output.WriteLine(dpif);
        Assert.Equal(
            $"netdev@ovs-netdev: hit:0 missed:0\n  {a}:\n    {a} 65534/1023: (tap)\n    n1 1/1: (null)\n  {b}:\n    {b} 65534/1023: (tap)\n    m7 7/7: (null)\n",
            dpif);

        string dpctl = await d.RunAsync("ovs-appctl", "dpctl/show");
        output.WriteLine(dpctl);
        Assert.StartsWith("netdev@ovs-netdev:\n  lookups: hit:0 missed:0 lost:0\n  flows: 0\n", dpctl, StringComparison.Ordinal);
        Assert.Contains("  port 1: n1 (null)\n", dpctl, StringComparison.Ordinal);
        Assert.Contains("  port 7: m7 (null)\n", dpctl, StringComparison.Ordinal);

        Assert.Equal($"{a}\n{b}\n", await d.RunAsync("ovs-appctl", "ofproto/list"));

        await d.RunAsync("ovs-ofctl", "add-flow", b, "table=3,priority=5,in_port=7,actions=drop");
        string flows = await d.RunAsync("ovs-appctl", "bridge/dump-flows", b);
        output.WriteLine(flows);
        Assert.Matches(@"^duration=\d+s, n_packets=0, n_bytes=0, priority=0,actions=NORMAL\ntable_id=3, duration=\d+s, n_packets=0, n_bytes=0, priority=5,in_port=7,actions=drop\n$", flows);
        Assert.NotEqual(0, (await d.TryRunAsync("ovs-appctl", "bridge/dump-flows", "nosuchbr")).Code);
    }
}
