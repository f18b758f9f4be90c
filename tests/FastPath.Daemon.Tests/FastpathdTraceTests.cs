using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// <c>ovs-appctl ofproto/trace</c> against fastpathd, through the rules ovs-ofctl installed: the report in Open
/// vSwitch's layout for a flow and for a packet in hex, and a bad flow as one error line. (The report's formatting
/// is tested in detail at library level, in FastPath.Ofproto.Tests' TraceReportTests.)
/// </summary>
public sealed class FastpathdTraceTests(ITestOutputHelper output)
{
    private const string Seed = "in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2";

    [Fact]
    public async Task TheSeedExampleTracesThroughTheBridgesOwnRules()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpr{Environment.ProcessId % 100000}";
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev", "fail_mode=secure",
            "--", "add-port", br, "n1", "--", "set", "interface", "n1", "type=null", "ofport_request=1",
            "--", "add-port", br, "n2", "--", "set", "interface", "n2", "type=null", "ofport_request=2");
        await d.RunAsync("ovs-ofctl", "add-flow", br, Seed);

        string trace = await d.RunAsync("ovs-appctl", "ofproto/trace", br, "in_port=1,udp,nw_src=192.168.1.1,nw_dst=10.0.0.2,udp_src=1000,udp_dst=53");
        output.WriteLine(trace);
        Assert.Equal(
            $"""
            Flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=192.168.1.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=1000,tp_dst=53

            bridge("{br}")
            {new string('-', br.Length + 10)}
             0. ip,in_port=1,nw_src=192.168.1.1, priority 32768
                set_field:192.181.137.1->ip_src
                output:2

            Final flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=192.181.137.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=1000,tp_dst=53
            Megaflow: recirc_id=0,eth,ip,in_port=1,nw_src=192.168.1.1
            Datapath actions: set(ipv4(src=192.181.137.1)),2

            """.Replace("\r", "", StringComparison.Ordinal),
            trace);

        // UDP/IPv4 192.168.1.1:1024 -> 192.168.1.2:53, TTL 64, as a frame in hex.
        const string Frame = "ffffffffffff0000000000010800450000240000000040117a7dc0a80101c0a801020400003500105fe4000000000000000000000000";
        string packet = await d.RunAsync("ovs-appctl", "ofproto/trace", br, "in_port=1", Frame);
        Assert.StartsWith("Flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=192.168.1.1,nw_dst=192.168.1.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1024,tp_dst=53\n", packet, StringComparison.Ordinal);
        Assert.EndsWith("Datapath actions: set(ipv4(src=192.181.137.1)),2\n", packet, StringComparison.Ordinal);

        (int code, string stdout, string error) = await d.TryRunAsync("ovs-appctl", "ofproto/trace", br, "in_port=1,udp,frobnicate=1");
        Assert.NotEqual(0, code);
        Assert.Equal(string.Empty, stdout);
        // One line from the daemon, then ovs-appctl's own "server returned an error".
        string[] lines = error.TrimEnd('\n').Split('\n');
        Assert.StartsWith("bad flow: frobnicate: unknown field", lines[0], StringComparison.Ordinal);
        Assert.Equal("ovs-appctl: ovs-vswitchd: server returned an error", lines[^1]);
    }
}
