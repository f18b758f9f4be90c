using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;

namespace FastPath.OpenFlow.Tests.Rules;

/// <summary>Rule parsing (add-flow lines and add-flows files) and dump-flows printing beyond what the OVS differential reaches.</summary>
public class FlowTextTests
{
    [Fact]
    public void AnAddFlowLineFillsEveryRuleField()
    {
        FlowRule r = FlowText.Parse("table=2, priority=7 cookie=0xabc,idle_timeout=30,hard_timeout=60,importance=4,send_flow_rem,no_byte_counts,tcp,tp_dst=22 actions=output:3");
        Assert.Equal(2, r.TableId);
        Assert.Equal(7, r.Priority);
        Assert.Equal(0xabcul, r.Cookie);
        Assert.Equal(30, r.IdleTimeout);
        Assert.Equal(60, r.HardTimeout);
        Assert.Equal(4, r.Importance);
        Assert.Equal(FlowModFlags.SendFlowRem | FlowModFlags.NoByteCounts, r.Flags);
        Assert.Equal(22u, (uint)OfFields.TcpDst.Read(r.Match.Key));
        Assert.Equal([new OutputAction(3)], r.Instructions.ApplyActions);
    }

    [Fact]
    public void DefaultsAreOpenFlowsDefaults()
    {
        FlowRule r = FlowText.Parse("actions=drop");
        Assert.Equal(FlowRule.DefaultPriority, r.Priority);
        Assert.Equal(0, r.TableId);
        Assert.True(r.Instructions.IsDrop);
        Assert.Equal("actions=drop", FlowText.FormatDumpFlow(r, stats: null));
        Assert.Equal("actions=drop", r.ToString());
    }

    [Fact]
    public void NoStatsFormOmitsZeroCookieAndTable()
    {
        Assert.Equal("priority=5,ip actions=drop", FlowText.FormatDumpFlow(FlowText.Parse("priority=5,ip,actions=drop"), null));
        Assert.Equal("cookie=0x7, table=4, priority=5,ip actions=drop", FlowText.FormatDumpFlow(FlowText.Parse("table=4,cookie=7,priority=5,ip,actions=drop"), null));
    }

    [Fact]
    public void AgesAndImportancePrintAsOvsPrintsThem()
    {
        // Recorded from ovs-ofctl 3.1 ofp-print of an NXST_FLOW reply (idle_age 5, hard_age 10) and an OpenFlow 1.4 reply (importance 7).
        FlowRule nx = FlowText.Parse("idle_timeout=60,hard_timeout=90,in_port=1,actions=output:2");
        Assert.Equal(
            "cookie=0x0, duration=30s, table=0, n_packets=0, n_bytes=0, idle_timeout=60, hard_timeout=90, idle_age=5, hard_age=10, in_port=1 actions=output:2",
            FlowText.FormatDumpFlow(nx, new FlowStats(0, 0, 30, 0, IdleAge: 5, HardAge: 10)));
        Assert.DoesNotContain("hard_age", FlowText.FormatDumpFlow(nx, new FlowStats(0, 0, 30, 0, IdleAge: 5, HardAge: 30)), StringComparison.Ordinal);
        FlowRule of14 = FlowText.Parse("priority=9,idle_timeout=5,send_flow_rem,importance=7,ip,actions=drop");
        Assert.Equal(
            "cookie=0x0, duration=1s, table=0, n_packets=0, n_bytes=0, idle_timeout=5, send_flow_rem importance=7, priority=9,ip actions=drop",
            FlowText.FormatDumpFlow(of14, new FlowStats(0, 0, 1, 0)));
    }

    [Fact]
    public void AFileOfFlowsSkipsCommentsAndBlankLinesAndJoinsContinuations()
    {
        const string file = """
            # a comment line
            priority=1,actions=drop

               ip,nw_src=10.0.0.1 actions=output:1   # trailing comment
            tcp,tp_dst=80,\
              actions=output:2
            """;
        List<FlowRule> rules = FlowText.ParseFile(new StringReader(file));
        Assert.Equal(3, rules.Count);
        Assert.Equal(1, rules[0].Priority);
        Assert.Equal("ip,nw_src=10.0.0.1 actions=output:1", FlowText.FormatDumpFlow(rules[1], null));
        Assert.Equal("tcp,tp_dst=80 actions=output:2", FlowText.FormatDumpFlow(rules[2], null));
    }

    [Fact]
    public void AnErrorInAFileNamesTheLine()
    {
        var e = Assert.Throws<FlowSyntaxException>(() => FlowText.ParseFile(new StringReader("actions=drop\n\n# x\nip,nw_src=1.2.3.4.5,actions=drop\n")));
        Assert.StartsWith("line 4: ", e.Message, StringComparison.Ordinal);
        Assert.Throws<FlowSyntaxException>(() => FlowText.ParseFile(new StringReader("ip,\\\n")));
    }

    [Fact]
    public void CookieMasksAreForFiltersOnly()
    {
        FlowRule filter = FlowText.Parse("cookie=0x1234/0xff00,tcp", requireActions: false);
        Assert.Equal(0x1200ul, filter.Cookie);
        Assert.Equal(0xff00ul, filter.CookieMask);
        Assert.Contains("cookie mask", Assert.Throws<FlowSyntaxException>(() => FlowText.Parse("cookie=1/1,actions=drop")).Message, StringComparison.Ordinal);
        Assert.Throws<FlowSyntaxException>(() => FlowText.Parse("tcp,actions=drop", requireActions: false));
    }

    [Theory]
    [InlineData("table=255,actions=drop", "table must be 0-254")]
    [InlineData("priority=65536,actions=drop", "priority")]
    [InlineData("idle_timeout=,actions=drop", "needs a value")]
    [InlineData("actions=goto_table:255", "goto_table must name a table")]
    [InlineData("actions=goto_table:1,goto_table:2", "only once")]
    [InlineData("actions=output:1,(", "unbalanced")]
    [InlineData("actions=push_vlan:0x0800", "push_vlan takes")]
    [InlineData("actions=push_mpls:0x0800", "push_mpls takes")]
    [InlineData("actions=pop_mpls:0x0800", "needs an MPLS packet")]
    [InlineData("actions=dec_mpls_ttl", "needs an MPLS packet")]
    [InlineData("actions=mod_vlan_vid:4096", "VLAN id")]
    [InlineData("ip,actions=mod_nw_tos:3", "low two bits")]
    [InlineData("actions=load:0x10->NXM_NX_REG0[0..3]", "does not fit")]
    [InlineData("actions=load:1->NXM_NX_REG0[0..32]", "bad bit range")]
    [InlineData("actions=move:NXM_NX_REG0[0..3]->NXM_NX_REG1[0..4]", "widths differ")]
    [InlineData("actions=move:NXM_NX_REG0[0..15]->NXM_OF_ETH_TYPE[]", "read-only")]
    [InlineData("actions=write_actions(goto_table:1)", "is an instruction")]
    [InlineData("actions=controller(reason=no_match)", "only max_len")]
    [InlineData("actions=set_field:5->vlan_vid", "OFPVID_PRESENT")]
    [InlineData("actions=set_field:1->nope", "unknown field nope")]
    [InlineData("actions=strip_vlan:1", "takes no argument")]
    public void BadFlowsGetAClearError(string flow, string message)
    {
        var e = Assert.Throws<FlowSyntaxException>(() => FlowText.Parse(flow));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionsParseIntoTheModel()
    {
        FlowRule r = FlowText.Parse("tcp,dl_vlan=3,actions=meter:2,mod_vlan_vid:5,mod_tp_dst:8080,load:0x3->NXM_NX_REG1[4..5],move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31],strip_vlan,controller:64,clear_actions,write_actions(group:9),write_metadata:0x5/0xff,goto_table:7");
        var i = r.Instructions;
        Assert.Equal(2u, i.Meter);
        Assert.Equal(
            [
                new SetVlanVidAction(5),
                new SetFieldAction(OfFields.TpDst, 8080, 0xffff),
                new SetFieldAction(OfFields.Reg(1), 0x30, 0x30, IsLoad: true),
                new MoveAction(OfFields.Reg(0), 0, OfFields.Reg(1), 16, 16),
                new PopVlanAction(),
                new OutputAction(OfPorts.Controller, 64),
            ],
            i.ApplyActions);
        Assert.True(i.ClearActions);
        Assert.Equal([new GroupAction(9)], i.WriteActions!);
        Assert.Equal((5ul, 0xfful), i.WriteMetadata);
        Assert.Equal((byte)7, i.GotoTable);
        Assert.Equal(
            "meter:2,set_field:4101->vlan_vid,set_field:8080->tcp_dst,load:0x3->NXM_NX_REG1[4..5],move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31],pop_vlan,CONTROLLER:64,clear_actions,write_actions(group:9),write_metadata:0x5/0xff,goto_table:7",
            ActionText.Format(i, r.Match));

        // The printed OpenFlow 1.3 form spells mod_vlan_vid as set_field, so only the rest of the rule round-trips as is.
        Assert.Equal(r, FlowText.Parse(FlowText.FormatDumpFlow(r, null)) with { Instructions = r.Instructions });
    }

    [Fact]
    public void ModVlanVidPushesATagOnlyWhenThePacketMayHaveNone()
    {
        FlowRule untagged = FlowText.Parse("actions=mod_vlan_vid:5,mod_vlan_pcp:3,strip_vlan,mod_vlan_pcp:1");
        Assert.Equal(
            "push_vlan:0x8100,set_field:4101->vlan_vid,set_field:3->vlan_pcp,pop_vlan,push_vlan:0x8100,set_field:1->vlan_pcp",
            ActionText.Format(untagged.Instructions, untagged.Match));
        Assert.Equal("mod_vlan_vid:5,mod_vlan_pcp:3,strip_vlan,mod_vlan_pcp:1", ActionText.Format(untagged.Instructions, untagged.Match, OpenFlowVersion.OF10));
    }

    [Fact]
    public void SetFieldOnAnIpv6AddressPrintsAsTwoLoadsInOpenFlow10()
    {
        FlowRule r = FlowText.Parse("ipv6,actions=set_field:fe80::1->ipv6_src");
        Assert.Equal("load:0x1->NXM_NX_IPV6_SRC[0..63],load:0xfe80000000000000->NXM_NX_IPV6_SRC[64..127]", ActionText.Format(r.Instructions, r.Match, OpenFlowVersion.OF10));
        var set = Assert.IsType<SetFieldAction>(r.Instructions.ApplyActions[0]);
        Assert.Equal((UInt128.Parse("fe80", System.Globalization.NumberStyles.HexNumber, null) << 112) | 1, set.Value);
    }
}
