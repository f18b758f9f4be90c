using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// The reference harness is a real Open vSwitch: rules installed through it change what ofproto/trace
/// reports, as Open vSwitch documents. These tests never skip: without Open vSwitch's binaries they fail.
/// </summary>
public class OvsDummySwitchTests(ITestOutputHelper output)
{
    private const string SeedRule = "in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2";

    [Fact]
    public void SeedRuleRewritesSourceAndOutputsToPort2()
    {
        using OvsDummySwitch ovs = StartSwitch();
        ovs.AddFlows([SeedRule]);

        OvsTrace t = ovs.Trace("in_port=1,udp,nw_src=192.168.1.1,nw_dst=10.0.0.1,nw_ttl=64,udp_src=1000,udp_dst=53");
        output.WriteLine(t.Text);

        Assert.Equal("set(ipv4(src=192.181.137.1)),2", t.DatapathActionsText);
        Assert.Equal(2, t.DatapathActions.Count);
        OdpAction set = t.DatapathActions[0];
        Assert.Equal("set", set.Name);
        OdpAction ipv4 = Assert.Single(set.Arguments);
        Assert.Equal("ipv4", ipv4.Name);
        Assert.Equal("192.181.137.1", ipv4.Argument("src")?.Value);
        Assert.Equal([2], t.OutputPorts);

        // The rule looked at in_port, dl_type and the whole nw_src; the rewrite needs the IP header to be
        // an unfragmented one; nothing else (not nw_dst, not the UDP ports) is in the megaflow.
        OvsMegaflow m = t.Megaflow;
        Assert.Equal(new OvsFieldMatch("192.168.1.1", null), m.Fields["nw_src"]);
        Assert.Equal("1", m.Fields["in_port"].Value);
        Assert.Equal("0x0800", m.ExpandedFields["dl_type"].Value);
        Assert.False(m.Matches("nw_dst"));
        Assert.False(m.Matches("tp_src"));
        Assert.Contains("nw_src=192.181.137.1", t.FinalFlow, StringComparison.Ordinal);
        Assert.False(t.FinalFlowUnchanged);
    }

    [Fact]
    public void FlowThatMissesIsDropped()
    {
        using OvsDummySwitch ovs = StartSwitch();
        ovs.AddFlows([SeedRule]);

        // Same packet from another source: table 0 has no other rule, and fail_mode=secure drops a miss.
        OvsTrace t = ovs.Trace("in_port=1,udp,nw_src=192.168.1.2,nw_dst=10.0.0.1,nw_ttl=64,udp_src=1000,udp_dst=53");
        output.WriteLine(t.Text);
        Assert.True(t.IsDrop, t.ToString());
        Assert.Empty(t.OutputPorts);
        Assert.True(t.FinalFlowUnchanged);
        // The megaflow still says why it missed: the source it looked at.
        Assert.True(t.Megaflow.Matches("nw_src"), t.Megaflow.Text);

        // Another in_port misses without looking at the IP header at all.
        OvsTrace other = ovs.Trace("in_port=3,udp,nw_src=192.168.1.1,nw_dst=10.0.0.1,nw_ttl=64");
        Assert.True(other.IsDrop, other.ToString());
        Assert.Equal("3", other.Megaflow.Fields["in_port"].Value);
        Assert.False(other.Megaflow.Matches("nw_src"), other.Megaflow.Text);
    }

    [Fact]
    public void GotoTableRunsBothTables()
    {
        using OvsDummySwitch ovs = StartSwitch();
        ovs.AddFlows([
            "table=0,priority=10,in_port=2,ip,actions=mod_dl_dst:02:00:00:00:00:99,goto_table:1",
            "table=1,priority=20,ip,nw_dst=10.0.0.0/8,actions=output:3",
            "table=1,priority=10,ip,actions=output:1",
        ]);

        OvsTrace hit = ovs.Trace("in_port=2,tcp,nw_src=1.1.1.1,nw_dst=10.2.3.4,nw_ttl=64,tcp_src=1,tcp_dst=80");
        output.WriteLine(hit.Text);
        Assert.Contains(" 1. ip,nw_dst=10.0.0.0/8, priority 20", hit.Text, StringComparison.Ordinal);
        Assert.Equal([3], hit.OutputPorts);
        OdpAction eth = Assert.Single(hit.DatapathActions[0].Arguments);
        Assert.Equal("eth", eth.Name);
        Assert.Equal("02:00:00:00:00:99", eth.Argument("dst")?.Value);
        // Table 1's prefix match puts only the prefix bits in the megaflow.
        Assert.Equal(new OvsFieldMatch("10.0.0.0", "8"), hit.Megaflow.Fields["nw_dst"]);

        OvsTrace fallThrough = ovs.Trace("in_port=2,tcp,nw_src=1.1.1.1,nw_dst=11.2.3.4,nw_ttl=64,tcp_src=1,tcp_dst=80");
        Assert.Equal([1], fallThrough.OutputPorts);

        OvsTrace miss = ovs.Trace("in_port=1,tcp,nw_src=1.1.1.1,nw_dst=10.2.3.4,nw_ttl=64");
        Assert.True(miss.IsDrop, miss.ToString());
    }

    [Fact]
    public void AppCtlConnectionAnswersAsOvsAppctlDoes()
    {
        using OvsDummySwitch ovs = StartSwitch();
        ovs.AddFlows([SeedRule]);
        const string Flow = "in_port=1,udp,nw_src=192.168.1.1,nw_dst=10.0.0.1,nw_ttl=64,udp_src=1000,udp_dst=53";
        string viaProgram = ovs.AppCtlProcess("ofproto/trace", "br0", Flow);
        Assert.Equal(viaProgram, ovs.AppCtl("ofproto/trace", "br0", Flow));
        Assert.Equal(viaProgram, ovs.Trace(Flow).Text);

        var e = Assert.Throws<OvsHarnessException>(() => ovs.AppCtlProcess("ofproto/trace", "br0", "in_port=1,nonsense=5"));
        var e2 = Assert.Throws<OvsHarnessException>(() => ovs.AppCtl("ofproto/trace", "br0", "in_port=1,nonsense=5"));
        Assert.Contains("nonsense", e.Message, StringComparison.Ordinal);
        Assert.Contains("nonsense", e2.Message, StringComparison.Ordinal);

        // The kept connection survives an error reply and many commands.
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal([2], ovs.Trace(Flow).OutputPorts);
        }
    }

    [Fact]
    public void PacketTraceParsesTheFrame()
    {
        using OvsDummySwitch ovs = StartSwitch();
        ovs.AddFlows([SeedRule]);
        byte[] frame = UdpFrame("192.168.1.1", "10.0.0.1", 1000, 53);

        OvsTrace t = ovs.TracePacket(1, frame);
        output.WriteLine(t.Text);
        Assert.Equal("set(ipv4(src=192.181.137.1)),2", t.DatapathActionsText);
        Assert.Contains("nw_dst=10.0.0.1", t.Text, StringComparison.Ordinal);

        OvsTrace other = ovs.TracePacket(1, UdpFrame("192.168.1.9", "10.0.0.1", 1000, 53));
        Assert.True(other.IsDrop, other.ToString());
    }

    [Fact]
    public void AddDumpAndDeleteFlows()
    {
        using OvsDummySwitch ovs = StartSwitch();
        Assert.Empty(ovs.DumpFlows());
        ovs.AddFlows([SeedRule, "table=1,priority=7,udp,tp_dst=53,actions=drop"]);

        IReadOnlyList<string> dump = ovs.DumpFlows();
        Assert.Equal(2, dump.Count);
        Assert.Contains(dump, l => l.Contains("ip,in_port=1,nw_src=192.168.1.1 actions=set_field:192.181.137.1->ip_src,output:2", StringComparison.Ordinal));
        Assert.Contains(dump, l => l.Contains("table=1", StringComparison.Ordinal) && l.Contains("actions=drop", StringComparison.Ordinal));

        ovs.ReplaceFlows(["table=1,priority=7,udp,tp_dst=53,actions=drop", "table=2,priority=8,actions=output:1"]);
        dump = ovs.DumpFlows();
        Assert.Equal(2, dump.Count);
        Assert.DoesNotContain(dump, l => l.Contains("nw_src=192.168.1.1", StringComparison.Ordinal));
        Assert.Contains(dump, l => l.Contains("table=2", StringComparison.Ordinal));

        ovs.DelFlows("table=1");
        Assert.Single(ovs.DumpFlows());
        ovs.DelFlows();
        Assert.Empty(ovs.DumpFlows());
        Assert.True(ovs.Trace("in_port=1,udp,nw_src=192.168.1.1").IsDrop);
    }

    [Fact]
    public void BadRuleAndBadFlowGiveClearErrors()
    {
        using OvsDummySwitch ovs = StartSwitch();
        // A transport rewrite on a rule that does not match a transport protocol is inconsistent in OpenFlow
        // 1.3.
        var bad = Assert.Throws<OvsHarnessException>(() => ovs.AddFlows(["in_port=1,ip,actions=mod_tp_dst:80,output:2"]));
        Assert.Contains("ovs-ofctl", bad.Message, StringComparison.Ordinal);
        Assert.Contains("flow formats", bad.Message, StringComparison.Ordinal);
        Assert.Empty(ovs.DumpFlows());

        // A transport match without its protocol is not an error for ovs-ofctl: it drops the field and logs
        // "normalization changed ofp_match". The harness refuses it unless told otherwise.
        var normalized = Assert.Throws<OvsHarnessException>(() => ovs.AddFlows(["priority=9,in_port=1,tp_dst=80,actions=output:2"]));
        Assert.Contains("normalization changed", normalized.Message, StringComparison.Ordinal);
        ovs.DelFlows();
        ovs.AddFlows(["priority=9,in_port=1,tp_dst=80,actions=output:2"], allowNormalization: true);
        Assert.Contains(ovs.DumpFlows(), l => l.Contains("priority=9,in_port=1 actions=output:2", StringComparison.Ordinal));
        ovs.DelFlows();

        var badFlow = Assert.Throws<OvsHarnessException>(() => ovs.Trace("in_port=1,nonsense=5"));
        Assert.Contains("nonsense", badFlow.Message, StringComparison.Ordinal);

        // The switch is still usable after both.
        ovs.AddFlows([SeedRule]);
        Assert.Equal([2], ovs.Trace("in_port=1,udp,nw_src=192.168.1.1").OutputPorts);
    }

    [Fact]
    public void SwitchIsPrivateAndDisposeRemovesEverything()
    {
        OvsDummySwitch ovs = StartSwitch(ports: 3);
        string dir = ovs.Directory;
        int vswitchd = ovs.VswitchdPid;
        int db = ovs.DbServerPid;
        try
        {
            // The daemons wrote their pidfiles where they were told, with the PIDs we hold.
            Assert.Equal(vswitchd, int.Parse(File.ReadAllText(Path.Combine(dir, "ovs-vswitchd.pid")).Trim(), CultureInfo.InvariantCulture));
            Assert.Equal(db, int.Parse(File.ReadAllText(Path.Combine(dir, "ovsdb-server.pid")).Trim(), CultureInfo.InvariantCulture));
            Assert.StartsWith(dir, ovs.VswitchdControl, StringComparison.Ordinal);
            Assert.StartsWith(dir, ovs.BridgeManagementSocket, StringComparison.Ordinal);
            Assert.True(File.Exists(ovs.BridgeManagementSocket));

            // Only the dummy datapath with our bridge and its ports: ovs-vswitchd opened no system datapath.
            string show = ovs.AppCtl("dpif/show");
            output.WriteLine(show);
            Assert.StartsWith("dummy@ovs-dummy:", show, StringComparison.Ordinal);
            Assert.DoesNotContain("system@", show, StringComparison.Ordinal);
            Assert.Contains("p3 3/3: (dummy)", show, StringComparison.Ordinal);
            Assert.DoesNotContain("p4", show, StringComparison.Ordinal);
            Assert.Equal("dummy", ovs.VsCtl("get", "bridge", "br0", "datapath_type").Trim());
        }
        finally
        {
            ovs.Dispose();
        }

        Assert.False(Directory.Exists(dir));
        Assert.False(IsRunning(vswitchd), $"ovs-vswitchd {vswitchd} still runs");
        Assert.False(IsRunning(db), $"ovsdb-server {db} still runs");
        ovs.Dispose(); // Idempotent.
        Assert.Throws<ObjectDisposedException>(() => ovs.DumpFlows());
    }

    [Fact]
    public void StartThatTimesOutCleansUpAndShowsTheLog()
    {
        var e = Assert.Throws<OvsHarnessException>(() => OvsDummySwitch.Start(4, TimeSpan.Zero));
        output.WriteLine(e.Message);
        Assert.Contains("did not start", e.Message, StringComparison.Ordinal);
        Assert.Contains("in time", e.Message, StringComparison.Ordinal);
        Assert.Contains("log tail", e.Message, StringComparison.Ordinal);

        var m = System.Text.RegularExpressions.Regex.Match(e.Message, "private Open vSwitch in (\\S+) did not start");
        Assert.True(m.Success, e.Message);
        string dir = m.Groups[1].Value;
        Assert.False(Directory.Exists(dir), $"{dir} was left behind");
        Assert.Empty(ProcessesMentioning(dir));
    }

    [Fact]
    public void CrashedDaemonIsReportedWithItsLog()
    {
        using OvsDummySwitch ovs = StartSwitch();
        using (var p = Process.GetProcessById(ovs.VswitchdPid))
        {
            p.Kill();
            Assert.True(p.WaitForExit(10_000));
        }

        var e = Assert.Throws<OvsHarnessException>(() => ovs.Trace("in_port=1,ip"));
        output.WriteLine(e.Message);
        Assert.Contains("ovs-vswitchd", e.Message, StringComparison.Ordinal);
        Assert.Contains("has exited", e.Message, StringComparison.Ordinal);
        Assert.Contains("log tail", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoSwitchesRunSideBySide()
    {
        using OvsDummySwitch a = StartSwitch();
        using OvsDummySwitch b = StartSwitch();
        Assert.NotEqual(a.Directory, b.Directory);
        a.AddFlows(["in_port=1,actions=output:2"]);
        b.AddFlows(["in_port=1,actions=output:3"]);
        Assert.Equal([2], a.Trace("in_port=1,ip").OutputPorts);
        Assert.Equal([3], b.Trace("in_port=1,ip").OutputPorts);
    }

    /// <summary>
    /// What ofproto/trace's Megaflow line leaves out: Open vSwitch's datapath flows always match whether the
    /// packet has a VLAN tag, and a tagged packet's VID, even when no rule looked at them. The differential
    /// tests compare FastPath's megaflows with this, the flow OVS actually installs.
    /// </summary>
    [Fact]
    public void DatapathFlowsMatchTagPresenceAndVidThoughTheMegaflowLineOmitsThem()
    {
        using OvsDummySwitch ovs = StartSwitch();
        ovs.AddFlows(["in_port=1,ip,actions=output:2"]);
        const string Ip = "eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)";
        const string Eth = "in_port(1),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),";
        Assert.DoesNotContain("vlan", ovs.Trace("in_port=1,udp,dl_vlan=5,dl_vlan_pcp=3").Megaflow.Text, StringComparison.Ordinal);

        // Untagged, then tagged VID 5 PCP 3, then VID 5 PCP 6 (same megaflow), then VID 6 (a new one).
        ovs.AppCtl("netdev-dummy/receive", "p1", Eth + Ip);
        ovs.AppCtl("netdev-dummy/receive", "p1", Eth + $"eth_type(0x8100),vlan(vid=5,pcp=3),encap({Ip})");
        ovs.AppCtl("netdev-dummy/receive", "p1", Eth + $"eth_type(0x8100),vlan(vid=5,pcp=6),encap({Ip})");
        ovs.AppCtl("netdev-dummy/receive", "p1", Eth + $"eth_type(0x8100),vlan(vid=6,pcp=3),encap({Ip})");
        string[] flows = [];
        Eventually.Until(
            () => (flows = ovs.AppCtl("dpctl/dump-flows").Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("actions:", StringComparison.Ordinal)).ToArray()).Length >= 3,
            "three datapath flows");
        output.WriteLine(string.Join("\n", flows));
        Assert.Equal(3, flows.Length);
        Assert.Single(flows, f => !f.Contains("vlan(", StringComparison.Ordinal));
        Assert.Single(flows, f => f.Contains("vlan(vid=5,pcp=3/0x0)", StringComparison.Ordinal) && f.Contains("packets:1,", StringComparison.Ordinal));
        Assert.Single(flows, f => f.Contains("vlan(vid=6,pcp=3/0x0)", StringComparison.Ordinal));
    }

    private OvsDummySwitch StartSwitch(int ports = 4)
    {
        OvsDummySwitch s = OvsDummySwitch.Start(ports);
        output.WriteLine($"private Open vSwitch with {ports} ports started in {s.StartupTime.TotalMilliseconds:0} ms ({s.Directory})");
        return s;
    }

    /// <summary>Live processes whose command line names <paramref name="dir"/> (the daemons of one switch).</summary>
    private static List<int> ProcessesMentioning(string dir)
    {
        var found = new List<int>();
        foreach (string p in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(p), CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(p, "cmdline")).Contains(dir, StringComparison.Ordinal) && IsRunning(pid))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // It exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static bool IsRunning(int pid)
    {
        // A zombie has exited; /proc/PID/stat's third field is its state.
        string stat = $"/proc/{pid}/stat";
        return File.Exists(stat) && File.ReadAllText(stat).Split(' ')[2] != "Z";
    }

    private static byte[] UdpFrame(string src, string dst, ushort sport, ushort dport)
    {
        var f = new byte[14 + 20 + 8 + 4];
        f[5] = 2;
        f[11] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
        Span<byte> ip = f.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(f.Length - 14));
        ip[8] = 64;
        ip[9] = 17;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(ip[12..]);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(ip[16..]);
        Span<byte> udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], 12);
        return f;
    }
}
