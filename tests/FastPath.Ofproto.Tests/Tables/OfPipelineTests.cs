using System.Diagnostics;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Rules;

namespace FastPath.Ofproto.Tests.Tables;

/// <summary>Flow-mod semantics of OpenFlow 1.3 on the pipeline's tables.</summary>
public class OfPipelineTests
{
    private static readonly long Second = Stopwatch.Frequency;

    private static FlowMod Mod(FlowModCommand cmd, string rule, uint outPort = OfPorts.Any, bool allTables = false) =>
        new(cmd, FlowText.Parse(rule, requireActions: cmd is FlowModCommand.Add or FlowModCommand.Modify or FlowModCommand.ModifyStrict), outPort, AllTables: allTables);

    private static OfPipeline With(params string[] rules)
    {
        var p = new OfPipeline();
        foreach (string r in rules)
        {
            p.Apply(Mod(FlowModCommand.Add, r), 0);
        }

        return p;
    }

    // Open vSwitch (ofproto_flow_mod_init's modify_keep_counts) carries the counters over unless the add says
    // reset_counts; ControllerFlowCountersVersusOvsTests checks the same against Open vSwitch itself.
    [Fact]
    public void AnIdenticalAddReplacesTheRuleAndKeepsItsCountersUnlessReset()
    {
        OfPipeline p = With("priority=5,ip,nw_src=10.0.0.1,actions=output:1");
        OfRule first = p.Rules.Single();
        first.Credit(3, 300, 1);
        long version = p.Version;
        p.Apply(Mod(FlowModCommand.Add, "priority=5,ip,nw_src=10.0.0.1,actions=output:2"), 10);
        OfRule second = p.Rules.Single();
        Assert.NotSame(first, second);
        Assert.True(first.Removed);
        Assert.Equal(3, second.Packets);
        Assert.Equal(300, second.Bytes);
        Assert.Equal(10, second.CreatedTicks);
        Assert.True(p.Version > version);

        // A megaflow translated before the replacement still credits the old rule: the new one gets it.
        first.Credit(1, 100, 20);
        Assert.Equal(4, second.Packets);
        Assert.Equal(3, first.Packets);

        p.Apply(Mod(FlowModCommand.Add, "priority=5,reset_counts,ip,nw_src=10.0.0.1,actions=output:2"), 30);
        Assert.Equal(0, p.Rules.Single().Packets);
    }

    [Fact]
    public void CheckOverlapRefusesAnOverlappingRuleOfTheSamePriorityOnly()
    {
        OfPipeline p = With("priority=5,ip,nw_src=10.0.0.0/8,actions=output:1");
        FlowModException e = Assert.Throws<FlowModException>(() => p.Apply(Mod(FlowModCommand.Add, "priority=5,check_overlap,ip,nw_dst=10.0.0.1,actions=output:2"), 0));
        Assert.Equal(FlowModError.Overlap, e.Error);
        Assert.Single(p.Rules);

        // Disjoint values, or another priority, do not overlap.
        p.Apply(Mod(FlowModCommand.Add, "priority=5,check_overlap,ip,nw_src=11.0.0.0/8,actions=output:2"), 0);
        p.Apply(Mod(FlowModCommand.Add, "priority=6,check_overlap,ip,nw_src=10.0.0.1,actions=output:2"), 0);
        Assert.Equal(3, p.Count);
    }

    [Fact]
    public void ModifyChangesTheActionsOfEveryCoveredRuleAndKeepsCountersUnlessReset()
    {
        OfPipeline p = With(
            "priority=5,ip,nw_src=10.0.0.1,actions=output:1",
            "priority=6,ip,nw_src=10.0.0.2,actions=output:1",
            "priority=7,arp,actions=output:1");
        foreach (OfRule r in p.Rules)
        {
            r.Credit(1, 64, 1);
        }

        p.Apply(Mod(FlowModCommand.Modify, "ip,actions=output:3"), 0);
        Assert.All(p.Rules.Where(r => r.Spec.Priority < 7), r => Assert.Equal("output:3", Actions(r)));
        Assert.Equal("output:1", Actions(p.Rules.Single(r => r.Spec.Priority == 7)));
        Assert.All(p.Rules, r => Assert.Equal(1, r.Packets));

        p.Apply(Mod(FlowModCommand.ModifyStrict, "priority=5,reset_counts,ip,nw_src=10.0.0.1,actions=output:4"), 0);
        OfRule five = p.Rules.Single(r => r.Spec.Priority == 5);
        Assert.Equal("output:4", Actions(five));
        Assert.Equal(0, five.Packets);
        Assert.Equal("output:3", Actions(p.Rules.Single(r => r.Spec.Priority == 6)));
    }

    [Fact]
    public void ModifyKeepsTheRulesFlags()
    {
        OfPipeline p = With("cookie=0x123,priority=8,send_flow_rem,arp,actions=NORMAL");
        p.Apply(new FlowMod(FlowModCommand.Modify, FlowText.Parse("actions=output:2") with { Cookie = 0x123, CookieMask = ulong.MaxValue }, OfPorts.Any), 0);
        OfRule rule = p.Rules.Single();
        Assert.Equal("output:2", Actions(rule));
        Assert.Equal(FlowModFlags.SendFlowRem, rule.Spec.Flags & FlowModFlags.SendFlowRem);
    }

    [Fact]
    public void AModifyThatMatchesNothingAddsOnlyUnderOpenFlow10()
    {
        var p = new OfPipeline();
        p.Apply(Mod(FlowModCommand.Modify, "ip,actions=output:3"), 0);
        Assert.Equal(0, p.Count);
        p.Apply(Mod(FlowModCommand.Modify, "ip,actions=output:3") with { ModifyAddsIfNone = true }, 0);
        Assert.Equal(1, p.Count);
    }

    [Fact]
    public void DeleteByCoverageStrictnessCookieMaskOutPortAndAllTables()
    {
        OfPipeline p = With(
            "table=0,priority=5,cookie=0x11,ip,nw_src=10.0.0.1,actions=output:1",
            "table=0,priority=6,cookie=0x12,ip,nw_src=10.0.0.2,actions=output:2",
            "table=1,priority=5,cookie=0x21,ip,actions=output:1",
            "table=0,priority=7,cookie=0x13,arp,actions=output:1");

        List<RemovedRule> gone = p.Apply(Mod(FlowModCommand.Delete, "table=0,ip", outPort: 2), 0);
        Assert.Equal(0x12ul, Assert.Single(gone).Rule.Spec.Cookie);
        Assert.Equal(FlowRemovedReason.Delete, gone[0].Reason);

        gone = p.Apply(Mod(FlowModCommand.Delete, "cookie=0x10/0xf0", allTables: true), 0);
        Assert.Equal([0x11ul, 0x13ul], gone.Select(g => g.Rule.Spec.Cookie).Order());

        // Strict needs the exact match and priority.
        Assert.Empty(p.Apply(Mod(FlowModCommand.DeleteStrict, "table=1,priority=6,ip"), 0));
        Assert.Single(p.Apply(Mod(FlowModCommand.DeleteStrict, "table=1,priority=5,ip"), 0));
        Assert.Equal(0, p.Count);
    }

    [Fact]
    public void IdleAndHardTimeoutsExpireRules()
    {
        var p = new OfPipeline();
        p.Apply(Mod(FlowModCommand.Add, "priority=1,idle_timeout=10,ip,actions=output:1"), 0);
        p.Apply(Mod(FlowModCommand.Add, "priority=2,hard_timeout=30,arp,actions=output:1"), 0);
        p.Apply(Mod(FlowModCommand.Add, "priority=3,actions=output:1"), 0);
        OfRule idle = p.Rules.Single(r => r.Spec.Priority == 1);

        // Traffic at 8 s keeps the idle rule until 18 s.
        idle.Credit(1, 64, 8 * Second);
        Assert.Empty(p.Expire(17 * Second));
        RemovedRule r1 = Assert.Single(p.Expire(18 * Second));
        Assert.Equal(FlowRemovedReason.IdleTimeout, r1.Reason);
        RemovedRule r2 = Assert.Single(p.Expire(30 * Second));
        Assert.Equal(FlowRemovedReason.HardTimeout, r2.Reason);
        Assert.Equal(1, p.Count);
    }

    // The bridge's timer asks every second whether a rule expired; the answer "none" used to be a new list each time.
    [Fact]
    public void AnExpiryTickThatExpiresNothingAllocatesNothing()
    {
        var p = new OfPipeline();
        p.Apply(Mod(FlowModCommand.Add, "priority=1,idle_timeout=10,ip,actions=output:1"), 0);
        p.Apply(Mod(FlowModCommand.Add, "priority=3,actions=output:1"), 0);
        int ticks = 0;
        Action tick = () =>
        {
            if (p.Expire(Second).Count != 0)
            {
                throw new InvalidOperationException("nothing is due at 1 s");
            }

            ticks++;
        };
        Assert.Equal(0, SteadyState.AllocatedBytes(tick));
        Assert.True(ticks > 2);
        Assert.Equal(2, p.Count);
    }

    [Theory]
    [InlineData("actions=group:5", FlowModError.BadOutGroup)]
    [InlineData("actions=meter:1,output:1", FlowModError.InvalidMeter)]
    public void InvalidRulesAreRefusedWithTheirOpenFlowErrorAndChangeNothing(string rule, FlowModError error)
    {
        var p = new OfPipeline();
        long version = p.Version;
        FlowModException e = Assert.Throws<FlowModException>(() => p.Apply(Mod(FlowModCommand.Add, rule), 0));
        Assert.Equal(error, e.Error);
        Assert.Equal(0, p.Count);
        Assert.Equal(version, p.Version);
    }

    [Fact]
    public void AGotoBackwardsIsRefusedEvenWhenNoParserCaughtIt()
    {
        // The text parser refuses it too; a flow-mod from the wire reaches the pipeline without it.
        FlowRule r = FlowText.Parse("table=1,actions=output:1");
        r = r with { Instructions = r.Instructions with { GotoTable = 1 } };
        var p = new OfPipeline();
        FlowModException e = Assert.Throws<FlowModException>(() => p.Apply(new FlowMod(FlowModCommand.Add, r), 0));
        Assert.Equal(FlowModError.BadGotoTable, e.Error);
    }

    private static string Actions(OfRule r) => OpenFlow.Text.ActionText.Format(r.Spec.Instructions, r.Spec.Match);
}
