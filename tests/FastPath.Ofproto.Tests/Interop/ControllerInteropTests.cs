using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FastPath.Connmgr;
using FastPath.Native;
using FastPath.Ofproto.Tests.Ovs;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>
/// FastPath with real OpenFlow controllers: two hosts in network namespaces, joined by veth pairs to AF_XDP ports of
/// a FastPath bridge whose only forwarding is what the controller decides (os-ken's simple_switch_13, Open vSwitch's
/// ovs-testcontroller). The hosts must ping each other both ways, the controller's flows must show in
/// <c>ovs-ofctl dump-flows</c>, and their counters must grow with more pings. Runs for real as root; skips with the
/// reason only where namespaces and AF_XDP cannot work.
/// </summary>
[Collection(ControllerInteropCollection.Name)]
public sealed partial class ControllerInteropTests(ITestOutputHelper output)
{
    private const string Host1 = "10.0.0.1";
    private const string Host2 = "10.0.0.2";
    private const int MeasuredPings = 10;
    private static readonly TimeSpan ToolLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    // ovs-testcontroller is held to OpenFlow 1.3 or 1.0: over 1.5 (which both it and FastPath offer by default) the
    // packet-outs of Open vSwitch 3.1's learning switch carry a match it never initialised (heap bytes; it cannot
    // decode them itself), which any switch must refuse.
    [SkippableTheory]
    [InlineData(ControllerProcess.OsKen, null, OfFailMode.Secure)]
    [InlineData(ControllerProcess.OsKen, null, OfFailMode.Standalone)]
    [InlineData(ControllerProcess.OvsTestController, "OpenFlow13", OfFailMode.Secure)]
    [InlineData(ControllerProcess.OvsTestController, "OpenFlow13", OfFailMode.Standalone)]
    [InlineData(ControllerProcess.OvsTestController, "OpenFlow10", OfFailMode.Secure)]
    public async Task HostsPingThroughTheControllersFlows(string controller, string? protocols, OfFailMode failMode)
    {
        SkipUnlessNetworkTestsCanRun();
        using var topo = new NetnsTopology();
        string ns1 = topo.AddNamespace("ctl1");
        string ns2 = topo.AddNamespace("ctl2");
        NetnsTopology.VethPair a = topo.AddVeth(ns1);
        NetnsTopology.VethPair b = topo.AddVeth(ns2);
        topo.AddAddress(ns1, a.HostName, Host1 + "/24");
        topo.AddAddress(ns2, b.HostName, Host2 + "/24");

        using ControllerProcess ctl = ControllerProcess.Start(controller, protocols);
        output.WriteLine($"{controller} (pid {ctl.Pid}) listens on {ctl.Target}");
        await using AfxdpBridge bridge = AfxdpBridge.Start(failMode, a.RootName, b.RootName);
        try
        {
            bridge.Host.AddController(ctl.Target);
            Until(() => bridge.Host.Connections.IsControllerConnected, $"the bridge to connect to {controller}");

            // Before any traffic only what the controller installed on connecting may be there (no NORMAL flow,
            // whatever the fail mode: Open vSwitch flushes the tables when the first controller is configured).
            List<DumpedFlow> initial = protocols == "OpenFlow10"
                ? DumpFlows(bridge)
                : Until(() => DumpFlows(bridge), f => f.Count > 0, $"{controller}'s table-miss flow");
            Log("flows before traffic", initial);
            Assert.DoesNotContain(initial, f => f.Actions.Contains("NORMAL", StringComparison.Ordinal));

            // The controller learns both hosts from the first pings (packet-in, flow-mod, packet-out); on two busy cores
            // the first exchange may take longer than a ping waits, so each side pings until one is answered (bounded).
            PingUntilAnswered(ns1, Host2);
            PingUntilAnswered(ns2, Host1);
            List<DumpedFlow> learned = DumpFlows(bridge);
            Log("flows after learning", learned);
            AssertControllersFlows(controller, protocols, learned, a, b);
            long forward = Counted(learned, 1, 2);
            long backward = Counted(learned, 2, 1);

            // Now the pings run through the installed flows, in the datapath, and the flows count them: each answered
            // ping is a request one way and a reply the other.
            int answered = Ping(ns1, Host2, MeasuredPings) + Ping(ns2, Host1, MeasuredPings);
            List<DumpedFlow> later = Until(
                () => DumpFlows(bridge),
                f => Counted(f, 1, 2) >= forward + answered && Counted(f, 2, 1) >= backward + answered,
                $"the controller's flows to count the {answered} answered pings both ways");
            Log("flows after more pings", later);
            AssertControllersFlows(controller, protocols, later, a, b);
        }
        catch
        {
            output.WriteLine(bridge.Diagnostics());
            throw;
        }
        finally
        {
            output.WriteLine($"--- {controller} output ---\n{ctl.Output}");
        }
    }

    private static void SkipUnlessNetworkTestsCanRun()
    {
        string? why = NetnsTopology.Unavailable();
        if (why != null)
        {
            Console.WriteLine($"{nameof(ControllerInteropTests)} skipped: {why}");
        }

        Skip.If(why != null, why);
        AfxdpLibrary.SetLibraryLogLevel(1);
    }

    // Packets counted by the flows that take in_port=IN to output:OUT (exact or wildcarded, ARP or IP).
    private static long Counted(List<DumpedFlow> flows, uint inPort, uint outPort) =>
        flows.Where(f => f.Field("in_port") == inPort.ToString(CultureInfo.InvariantCulture) && OutputsTo(f, outPort)).Sum(f => f.Packets);

    private static bool OutputsTo(DumpedFlow f, uint port) =>
        f.Actions == "output:" + port.ToString(CultureInfo.InvariantCulture) || f.Actions == port.ToString(CultureInfo.InvariantCulture);

    private static string Mac(byte[] mac) => string.Join(':', mac.Select(x => x.ToString("x2", CultureInfo.InvariantCulture)));

    private static void AssertControllersFlows(string controller, string? protocols, List<DumpedFlow> flows, NetnsTopology.VethPair a, NetnsTopology.VethPair b)
    {
        string mac1 = Mac(a.HostMac);
        string mac2 = Mac(b.HostMac);
        if (controller == ControllerProcess.OsKen)
        {
            // simple_switch_13: the table-miss flow, and one flow per learned (in_port, source, destination).
            Assert.Contains(flows, f => f.Priority == 0 && f.Match.Count == 0 && f.Actions == "CONTROLLER:65535");
            Assert.Contains(flows, f => f.Priority == 1 && f.Field("in_port") == "1" && f.Field("dl_src") == mac1 && f.Field("dl_dst") == mac2 && OutputsTo(f, 2));
            Assert.Contains(flows, f => f.Priority == 1 && f.Field("in_port") == "2" && f.Field("dl_src") == mac2 && f.Field("dl_dst") == mac1 && OutputsTo(f, 1));
            Assert.All(flows, f => Assert.True(f.Priority is 0 or 1, "a flow simple_switch_13 does not install: " + f.Text));
        }
        else
        {
            // ovs-testcontroller: over OpenFlow 1.3 a table-miss flow to the controller (128 bytes of each packet; over
            // 1.0 a miss goes to the controller by itself), and exact-match flows (every OpenFlow 1.0 field) for what it
            // has learned, idle_timeout=60.
            Assert.Equal(protocols != "OpenFlow10", flows.Any(f => f.Priority == 0 && f.Match.Count == 0 && f.Actions == "CONTROLLER:128"));
            Assert.Contains(flows, f => f.Match.ContainsKey("icmp") && f.Field("in_port") == "1" && f.Field("dl_src") == mac1 && f.Field("dl_dst") == mac2
                && f.Field("nw_src") == Host1 && f.Field("nw_dst") == Host2 && OutputsTo(f, 2));
            Assert.Contains(flows, f => f.Match.ContainsKey("icmp") && f.Field("in_port") == "2" && f.Field("dl_src") == mac2 && f.Field("dl_dst") == mac1
                && f.Field("nw_src") == Host2 && f.Field("nw_dst") == Host1 && OutputsTo(f, 1));
            Assert.All(flows.Where(f => f.Priority != 0), f => Assert.True(f.Priority == 1 && f.Text.Contains("idle_timeout=60", StringComparison.Ordinal), "a flow ovs-testcontroller does not install: " + f.Text));
        }
    }

    private List<DumpedFlow> DumpFlows(AfxdpBridge bridge)
    {
        string text = OvsTool.RunChecked(bridge.Directory, "ovs-ofctl", ["-O", "OpenFlow13", "--timeout=10", "dump-flows", bridge.Target], ToolLimit);
        return DumpedFlow.ParseDump(text);
    }

    // Answered pings: all of them, once the controller has installed its flows.
    private int Ping(string ns, string address, int count)
    {
        int received = RunPing(ns, address, count, out string text);
        Assert.True(received == count, $"only {received} of {count} pings from {ns} to {address} answered:\n{text}");
        return received;
    }

    private void PingUntilAnswered(string ns, string address)
    {
        var sw = Stopwatch.StartNew();
        while (RunPing(ns, address, 1, out string text) == 0)
        {
            Assert.True(sw.Elapsed < WaitLimit, $"no ping from {ns} to {address} answered within {WaitLimit.TotalSeconds} s:\n{text}");
        }
    }

    private int RunPing(string ns, string address, int count, out string text)
    {
        OvsTool.Result r = OvsTool.Run(
            Path.GetTempPath(),
            "ip",
            ["netns", "exec", ns, "ping", "-n", "-D", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", "0.2", "-W", "2", address],
            ToolLimit);
        text = r.Stdout + r.Stderr;
        output.WriteLine($"ping from {ns} to {address}: exit {r.ExitCode}\n{text.Trim()}");
        Match m = Received().Match(r.Stdout);
        Assert.True(m.Success, $"ping from {ns} to {address} printed no statistics (exit {r.ExitCode}): {text}");
        return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private void Log(string what, List<DumpedFlow> flows)
    {
        output.WriteLine($"{what}:");
        foreach (DumpedFlow f in flows)
        {
            output.WriteLine("  " + f.Text);
        }
    }

    private static void Until(Func<bool> done, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(sw.Elapsed < WaitLimit, $"timed out after {WaitLimit.TotalSeconds} s waiting for {what}");
            Thread.Sleep(50);
        }
    }

    private static T Until<T>(Func<T> get, Func<T, bool> done, string what)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            T value = get();
            if (done(value))
            {
                return value;
            }

            Assert.True(sw.Elapsed < WaitLimit, $"timed out after {WaitLimit.TotalSeconds} s waiting for {what}; last: {value}");
            Thread.Sleep(200);
        }
    }

    [GeneratedRegex(@"(\d+) received")]
    private static partial Regex Received();
}
