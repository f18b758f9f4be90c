namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// The parsers of ofproto/trace's closing lines, on text Open vSwitch 3.1 printed (copied from traces of the
/// harness), and on malformed text.
/// </summary>
public class OvsTraceParsingTests
{
    private const string SeedTrace = """
        Flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,nw_src=192.168.1.1,nw_dst=10.0.0.1,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1,tp_dst=2

        bridge("br0")
        -------------
         0. ip,in_port=1,nw_src=192.168.1.1, priority 32768
            set_field:192.181.137.1->ip_src
            output:2

        Final flow: udp,in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,nw_src=192.181.137.1,nw_dst=10.0.0.1,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1,tp_dst=2
        Megaflow: recirc_id=0,eth,udp,in_port=1,nw_src=192.168.1.1,nw_frag=no
        Datapath actions: set(ipv4(src=192.181.137.1)),2

        """;

    [Fact]
    public void TraceClosingLines()
    {
        OvsTrace t = OvsTrace.Parse(SeedTrace);
        Assert.Equal(SeedTrace, t.Text);
        Assert.StartsWith("udp,in_port=1,", t.FinalFlow, StringComparison.Ordinal);
        Assert.Contains("nw_src=192.181.137.1", t.FinalFlow, StringComparison.Ordinal);
        Assert.False(t.FinalFlowUnchanged);
        Assert.Equal("recirc_id=0,eth,udp,in_port=1,nw_src=192.168.1.1,nw_frag=no", t.Megaflow.Text);
        Assert.Equal("set(ipv4(src=192.181.137.1)),2", t.DatapathActionsText);
        Assert.Equal([2], t.OutputPorts);
        Assert.False(t.IsDrop);
    }

    [Fact]
    public void TraceWithoutClosingLinesIsAnError()
    {
        string cut = SeedTrace[..SeedTrace.IndexOf("Megaflow:", StringComparison.Ordinal)];
        var e = Assert.Throws<FormatException>(() => OvsTrace.Parse(cut));
        Assert.Contains("Megaflow", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => OvsTrace.Parse(""));
        var bad = Assert.Throws<FormatException>(() => OvsTrace.Parse(SeedTrace.Replace("src=192.181.137.1)),2", "src=192.181.137.1),2", StringComparison.Ordinal)));
        Assert.Contains("unbalanced", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnchangedFinalFlowAndDrop()
    {
        OvsTrace t = OvsTrace.Parse("""
            Final flow: unchanged
            Megaflow: recirc_id=0,eth,ip,in_port=2,nw_dst=11.0.0.0/8,nw_frag=no
            Datapath actions: drop
            """);
        Assert.True(t.FinalFlowUnchanged);
        Assert.True(t.IsDrop);
        Assert.Empty(t.OutputPorts);
    }

    [Fact]
    public void MegaflowFieldsMasksAndShorthands()
    {
        OvsMegaflow m = OvsMegaflow.Parse(
            "recirc_id=0,eth,udp6,in_port=1,dl_vlan=1078,dl_vlan_pcp=7,dl_src=00:90:22:4f:0a:2e/01:98:22:7f:4a:2f,"
            + "dl_dst=e2:35:df:f7:5c:93,ipv6_src=2001:db8::/123,ipv6_dst=fe80::/65,ipv6_label=0xd2349,nw_frag=no,"
            + "tp_src=0x2ae0/0xfff0,tp_dst=0x8ea0/0xfff0");
        Assert.Equal(["eth", "udp6"], m.Keywords);
        Assert.Equal(
            ["recirc_id", "in_port", "dl_vlan", "dl_vlan_pcp", "dl_src", "dl_dst", "ipv6_src", "ipv6_dst", "ipv6_label", "nw_frag", "tp_src", "tp_dst"],
            m.Fields.Keys);
        Assert.Equal(new OvsFieldMatch("00:90:22:4f:0a:2e", "01:98:22:7f:4a:2f"), m.Fields["dl_src"]);
        Assert.True(m.Fields["dl_dst"].IsExact);
        Assert.Equal(new OvsFieldMatch("2001:db8::", "123"), m.Fields["ipv6_src"]);
        Assert.Equal(new OvsFieldMatch("0x8ea0", "0xfff0"), m.Fields["tp_dst"]);
        Assert.Equal("no", m.Fields["nw_frag"].Value);

        // udp6 stands for dl_type and nw_proto.
        Assert.Equal("0x86dd", m.ExpandedFields["dl_type"].Value);
        Assert.Equal("17", m.ExpandedFields["nw_proto"].Value);
        Assert.True(m.Matches("nw_proto"));
        Assert.False(m.Matches("nw_tos"));
        Assert.False(m.Fields.ContainsKey("nw_proto"));

        OvsMegaflow ip = OvsMegaflow.Parse("recirc_id=0,eth,ip,in_port=4,nw_src=64.0.0.1/192.0.255.1,nw_proto=47,nw_frag=no");
        Assert.Equal(new OvsFieldMatch("64.0.0.1", "192.0.255.1"), ip.Fields["nw_src"]);
        Assert.Equal("47", ip.ExpandedFields["nw_proto"].Value);
        Assert.Equal("0x0800", ip.ExpandedFields["dl_type"].Value);

        // A non-Ethernet packet type holds a comma inside parentheses.
        OvsMegaflow pt = OvsMegaflow.Parse("recirc_id=0,packet_type=(1,0x800),in_port=1,nw_frag=no");
        Assert.Equal("(1,0x800)", pt.Fields["packet_type"].Value);
        Assert.Equal(4, pt.Fields.Count);
    }

    [Theory]
    [InlineData("recirc_id=0,,eth", "empty")]
    [InlineData("recirc_id=0,bogus,in_port=1", "unknown protocol shorthand 'bogus'")]
    [InlineData("in_port=1,in_port=2", "appears twice")]
    [InlineData("in_port=", "malformed")]
    [InlineData("nw_src=1.2.3.4/", "malformed")]
    [InlineData("=5", "malformed")]
    [InlineData("packet_type=(1,0x800", "unbalanced")]
    public void MalformedMegaflowsAreErrors(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => OvsMegaflow.Parse(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestedSetAction()
    {
        IReadOnlyList<OdpAction> a = OdpAction.ParseList("set(ipv4(src=10.0.0.1,dst=10.0.0.2,tos=0x20/0xfc,ttl=63)),set(udp(dst=80)),3");
        Assert.Equal(3, a.Count);
        Assert.Equal("set", a[0].Name);
        Assert.Null(a[0].Value);
        OdpAction ipv4 = Assert.Single(a[0].Arguments);
        Assert.Equal("ipv4", ipv4.Name);
        Assert.Equal(["src", "dst", "tos", "ttl"], ipv4.Arguments.Select(x => x.Name));
        Assert.Equal("0x20/0xfc", ipv4.Argument("tos")?.Value);
        Assert.Equal("63", ipv4.Argument("ttl")?.Value);
        Assert.Null(ipv4.Argument("proto"));
        Assert.Equal("ipv4(src=10.0.0.1,dst=10.0.0.2,tos=0x20/0xfc,ttl=63)", ipv4.Text);
        Assert.Equal("80", a[1].Arguments[0].Argument("dst")?.Value);
        Assert.True(a[2].IsOutput);
        Assert.Equal(3, a[2].OutputPort);
        Assert.False(a[0].IsOutput);
        Assert.Throws<InvalidOperationException>(() => a[0].OutputPort);
    }

    [Fact]
    public void VlanOutputsAndBareActions()
    {
        const string Text = "push_vlan(vid=2,pcp=0),4,pop_vlan,pop_vlan,push_vlan(vid=2,pcp=1),2";
        IReadOnlyList<OdpAction> a = OdpAction.ParseList(Text);
        Assert.Equal(["push_vlan", "4", "pop_vlan", "pop_vlan", "push_vlan", "2"], a.Select(x => x.Name));
        Assert.Equal("2", a[0].Argument("vid")?.Value);
        Assert.Equal("1", a[4].Argument("pcp")?.Value);
        Assert.Empty(a[2].Arguments);
        Assert.Equal([4, 2], a.Where(x => x.IsOutput).Select(x => x.OutputPort));
        Assert.Equal(Text, string.Join(',', a.Select(x => x.Text)));

        OdpAction drop = Assert.Single(OdpAction.ParseList("drop"));
        Assert.Equal("drop", drop.Name);
        Assert.False(drop.IsOutput);
    }

    [Fact]
    public void DeeplyNestedActions()
    {
        IReadOnlyList<OdpAction> a = OdpAction.ParseList(
            "ct(commit,zone=1,nat(src=10.0.0.1-10.0.0.2:100-200)),recirc(0x1),clone(set(eth(dst=02:00:00:00:00:99)),3),"
            + "userspace(pid=0,slow_path(controller))");
        Assert.Equal(["ct", "recirc", "clone", "userspace"], a.Select(x => x.Name));
        Assert.Equal(["commit", "zone", "nat"], a[0].Arguments.Select(x => x.Name));
        Assert.Equal("10.0.0.1-10.0.0.2:100-200", a[0].Argument("nat")?.Argument("src")?.Value);
        Assert.Equal("0x1", Assert.Single(a[1].Arguments).Name);
        OdpAction clone = a[2];
        Assert.Equal("02:00:00:00:00:99", clone.Arguments[0].Arguments[0].Argument("dst")?.Value);
        Assert.Equal(3, clone.Arguments[1].OutputPort);
        Assert.Equal("controller", a[3].Argument("slow_path")?.Arguments[0].Name);
    }

    [Theory]
    [InlineData("set(ipv4(src=1.1.1.1)")]
    [InlineData("2)")]
    [InlineData("1,,2")]
    [InlineData("")]
    [InlineData("set(ipv4(src=1.1.1.1)))")]
    [InlineData("set(x)y")]
    public void MalformedActionsAreErrors(string text)
    {
        Assert.Throws<FormatException>(() => OdpAction.ParseList(text));
    }
}
