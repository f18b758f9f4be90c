using FastPath.Ofproto.Tests.Interop;
using FastPath.Ofproto.Tests.Ovs;
using FastPath.Ofproto.Trace;
using FastPath.Ofproto.Xlate;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// learn's limit= and result_dst= (Open vSwitch 2.8's NXAST_LEARN2) side by side with Debian's ovs-vswitchd: the same
/// rules added with ovs-ofctl, the same packets traced with <c>ofproto/trace -generate</c> through both; the learn
/// lines, the result bit's report, the limit's refusal, the datapath actions and the learned rules must be the same.
/// </summary>
public class LearnLimitVersusOvsTests
{
    // Table 1 takes at most two learned rules of cookie 0 (a third source address is refused: reg1[0]=0, output 3);
    // table 3 at most one of cookie 0x9 (no result_dst: the packet goes on the same either way).
    private static readonly string[] Pipeline =
    [
        "table=0,priority=10,actions=learn(table=1,limit=2,result_dst=reg1[0],NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),learn(table=3,cookie=0x9,limit=1,NXM_OF_ETH_DST[]),resubmit(,2)",
        "table=2,reg1=0x1/0x1,actions=output:2",
        "table=2,reg1=0/0x1,actions=output:3",
    ];

    private static readonly (string Flow, bool Generate)[] Traces =
    [
        ("in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:01:01", true),
        ("in_port=1,dl_src=00:00:00:00:00:02,dl_dst=00:00:00:00:01:02", true),
        ("in_port=1,dl_src=00:00:00:00:00:03,dl_dst=00:00:00:00:01:01", true), // over the limit; table 3's rule is there already
        ("in_port=4,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:01:01", true), // the same rule again, with another port: a modify, not a new rule
        ("in_port=1,dl_src=00:00:00:00:00:07,dl_dst=00:00:00:00:01:07", false), // no side effects: nothing learned, reg1 untouched
    ];

    [Fact]
    public async Task LimitAndResultDstLearnAndRefuseAsOpenVSwitchDoes()
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(4, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Like(ovs);
        OfctlScript add = OfctlScript.Parse("learn-limit", null, Pipeline.Select(f => "add-flow {target} \"" + f + "\"").ToList());
        Assert.All(OfctlRunner.Run(add, "unix:" + ovs.BridgeManagementSocket), r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.All(OfctlRunner.Run(add, fastpath.Target), r => Assert.True(r.ExitCode == 0, r.Stderr));

        var reports = new List<string>();
        foreach (var (flow, generate) in Traces)
        {
            string theirs = generate ? ovs.AppCtl("ofproto/trace", OvsDummySwitch.Bridge, flow, "-generate") : ovs.AppCtl("ofproto/trace", OvsDummySwitch.Bridge, flow);
            FlowKey key = TraceInput.Parse(flow);
            XlateTrace trace = fastpath.Host.Bridge.Trace(key, generate);
            Assert.True(trace.Succeeded, trace.Error);
            string ours = TraceReport.Format(trace, key);
            Assert.True(LearnLines(theirs).SequenceEqual(LearnLines(ours)), $"{flow}:\n--- Open vSwitch\n{theirs}\n--- FastPath\n{ours}");
            Assert.True(Line(theirs, "Datapath actions: ") == Line(ours, "Datapath actions: "), $"{flow}:\n--- Open vSwitch\n{theirs}\n--- FastPath\n{ours}");
            reports.AddRange(LearnLines(ours));
        }

        // What the comparison must have seen, so that it is not two switches agreeing on nothing.
        Assert.Contains("     -> NXM_NX_REG1[0] is now 0x1", reports);
        Assert.Contains("     -> NXM_NX_REG1[0] is now 0", reports);
        Assert.Contains("     -> Limit exceeded, learn failed", reports);

        OfctlScript dump = OfctlScript.Parse("dump", null, ["dump-flows {target}", "-O OpenFlow13 dump-flows {target} table=1", "dump-flows {target} table=3"]);
        IReadOnlyList<OfctlResult> reference = OfctlRunner.Run(dump, "unix:" + ovs.BridgeManagementSocket);
        IReadOnlyList<OfctlResult> other = OfctlRunner.Run(dump, fastpath.Target);
        OfctlComparison comparison = OfctlDifferential.Compare(dump.Name, reference, other);
        Assert.True(comparison.Differences.Count == 0, comparison.Report());
        Assert.Equal(2, other[1].Stdout.Split('\n').Count(l => l.Contains("table=1,", StringComparison.Ordinal)));
        Assert.Equal(1, other[2].Stdout.Split('\n').Count(l => l.Contains("table=3,", StringComparison.Ordinal)));
    }

    private static List<string> LearnLines(string trace) =>
        trace.Split('\n').Select(l => l.TrimEnd('\r')).Where(l =>
            l.TrimStart().StartsWith("-> table=", StringComparison.Ordinal) || l.Contains(" is now ", StringComparison.Ordinal)
            || l.Contains("Limit exceeded", StringComparison.Ordinal) || l.Contains("suppressing side effects", StringComparison.Ordinal)
            || l.Contains("learn(", StringComparison.Ordinal)).ToList();

    private static string Line(string text, string prefix) =>
        text.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].TrimEnd('\r');
}
