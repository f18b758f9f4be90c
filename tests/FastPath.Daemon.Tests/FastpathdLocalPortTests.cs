using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// The bridge's own port (LOCAL, the kernel device named after the bridge) as a NORMAL port like any other, as the
/// ovs-vsctl(8) cookbook uses it (<c>ip addr add ... dev br0</c>): frames the host sends through it are learned and
/// forwarded, and fdb/show names the port LOCAL.
/// </summary>
public sealed class FastpathdLocalPortTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task TheBridgePortTakesPartInNormalSwitching()
    {
        string? why = NetnsTopology.Unavailable();
        Skip.If(why != null, why);
        using var topo = new NetnsTopology();
        string sw = topo.AddNamespace("lsw");
        string host = topo.AddNamespace("lh");
        NetnsTopology.Run("ip", "-n", sw, "link", "add", "eth0", "type", "veth", "peer", "name", "h0", "netns", host);
        NetnsTopology.Run("ip", "-n", sw, "link", "set", "eth0", "up");
        NetnsTopology.Run("ip", "-n", host, "link", "set", "h0", "up");
        topo.AddAddress(host, "h0", "10.207.0.1/24");

        await using var d = new FastpathdProcess(netns: sw);
        await d.StartAsync();
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "--", "add-port", "br0", "eth0");
        NetnsTopology.Run("ip", "-n", sw, "addr", "add", "10.207.0.100/24", "dev", "br0");
        NetnsTopology.Run("ip", "-n", sw, "link", "set", "br0", "up");

        (int code, string text) = Ping(sw, "10.207.0.1");
        output.WriteLine(text);
        Assert.True(code == 0, $"ping from br0 through NORMAL failed:\n{text}\n{d.Log}");

        string fdb = await d.RunAsync("ovs-appctl", "fdb/show", "br0");
        output.WriteLine(fdb);
        Assert.Matches(new Regex(@"^LOCAL\s+0\s+[0-9a-f:]{17}\s+\d+$", RegexOptions.Multiline), fdb);
        string trace = await d.RunAsync("ovs-appctl", "ofproto/trace", "br0", "in_port=LOCAL,dl_src=02:00:00:00:00:aa,dl_dst=ff:ff:ff:ff:ff:ff");
        output.WriteLine(trace);
        Assert.Contains("-> no learned MAC for destination, flooding", trace, StringComparison.Ordinal);
        Assert.Contains("Datapath actions: 1\n", trace, StringComparison.Ordinal);
    }

    private static (int Code, string Text) Ping(string ns, string address)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ip", ["netns", "exec", ns, "ping", "-c", "3", "-i", "0.3", "-W", "2", address])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, text);
    }
}
