using FastPath.Ofproto.Tests.Interop;
using FastPath.Ofproto.Tests.Ovs;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// <c>ovs-ofctl monitor BR watch:[spec]</c> against FastPath and against Open vSwitch 3.1, while other connections
/// change the flows: the initial dump, added, modified, deleted (with the reason), filters by table, out_port and match,
/// !actions, !add, !own and the abbreviation of the monitor's own changes, a monitor that asks for nothing: what
/// ovs-ofctl prints must be the same, plain (NXST_FLOW_MONITOR), over OpenFlow 1.3 (ONFST_FLOW_MONITOR) and 1.5
/// (OFPMP_FLOW_MONITOR).
/// </summary>
public class FlowMonitorVersusOvsTests
{
    private static string DataDir => TestData.Path("ofctl-differential");

    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow13")]
    [InlineData("OpenFlow15")]
    public async Task TheFlowMonitorScriptPrintsAsAgainstOpenVSwitch(string? protocol)
    {
        OfctlScript script = OfctlScript.Load(Path.Combine(DataDir, "flow-monitor.ofctl"), protocol);
        (IReadOnlyList<OfctlResult> reference, IReadOnlyList<OfctlResult> ours) = await RunBothAsync(script);
        OfctlComparison comparison = OfctlDifferential.Compare(script.Name, reference, ours);
        Assert.True(comparison.Differences.Count == 0, comparison.Report());

        // It compared something: the monitors saw the initial dump, every kind of update and the refusal.
        string all = string.Concat(ours.Select(r => r.Stdout + r.Stderr));
        foreach (string seen in new[] { "event=ADDED", "event=MODIFIED", "event=DELETED reason=delete", "actions=output:3", "cookie=0x5" })
        {
            Assert.Contains(seen, all, StringComparison.Ordinal);
        }

        Assert.Contains(protocol == "OpenFlow15" ? "event=INITIAL" : "event=ADDED table=0 cookie=0 udp actions=output:2", all, StringComparison.Ordinal);
    }

    /// <summary>
    /// The monitor's own flow-mods (sent through its connection with ofctl/send): reported in full by default (ovs-ofctl
    /// sets "own"), abbreviated to the flow-mod's xid with !own, once per flow-mod however many flows it changed.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow13")]
    [InlineData("OpenFlow15")]
    public async Task OwnChangesAreAbbreviatedUnlessTheMonitorSaysOwn(string? protocol)
    {
        string flowMod = FlowModPriority11InPort4(protocol);
        OfctlScript script = OfctlScript.Parse("own", protocol,
        [
            "@monitor monitor {target} watch:!initial",
            "{monitor} ofctl/send " + flowMod,
            "add-flow {target} table=1,priority=8,tcp,actions=output:1",
            "@end",
            "@monitor monitor {target} watch:!own,!initial",
            "{monitor} ofctl/send " + flowMod,
            "add-flow {target} table=1,priority=9,tcp,actions=output:1",
            "{monitor} ofctl/send " + flowMod.Replace("0000abcd", "0000abce", StringComparison.Ordinal),
            "@end",
        ]);
        (IReadOnlyList<OfctlResult> reference, IReadOnlyList<OfctlResult> ours) = await RunBothAsync(script);
        OfctlComparison comparison = OfctlDifferential.Compare(script.Name, reference, ours);
        Assert.True(comparison.Differences.Count == 0, comparison.Report());
        Assert.Contains("event=ABBREV xid=0xabce", ours[^1].Stdout + ours[^1].Stderr, StringComparison.Ordinal);
        Assert.Contains("in_port=4 actions=output:1", ours[2].Stdout + ours[2].Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// A monitor that asks for nothing but the initial dump is refused with OFPMOFC_BAD_FLAGS, which ovs-ofctl prints.
    /// (Open vSwitch 3.1 answers it with an error whose header ovs-ofctl cannot match to its request, so ovs-ofctl
    /// waits forever there: no comparison.)
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow13")]
    [InlineData("OpenFlow15")]
    public async Task AMonitorOfNothingIsRefusedWithBadFlags(string? protocol)
    {
        await using HostedBridge fastpath = HostedBridge.Start(4);
        OfctlScript script = OfctlScript.Parse("bad-flags", protocol, ["@monitor monitor {target} watch:!add,!delete,!modify", "@end"]);
        OfctlResult r = Assert.Single(OfctlRunner.Run(script, fastpath.Target));
        Assert.Contains("OFPMOFC_BAD_FLAGS", r.Stdout + r.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Flow control as Open vSwitch 3.1 does it, the reference for <see cref="FlowMonitorPauseTests"/>: the monitor
    /// stops reading (ofctl/block) while another connection adds 10000 flows; past 128 KiB of unsent updates the switch
    /// says PAUSED and holds them back, and once the monitor reads again (ofctl/unblock) it sends the flows added
    /// meanwhile and RESUMED: every flow reported exactly once. (FastPath's OpenFlow flow-mod path takes 10000 flows
    /// from ovs-ofctl too slowly to fill the socket buffers within ovs-ofctl's timeout, so FastPath's side of this is
    /// FlowMonitorPauseTests, which changes the flows through the bridge.)
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow15")]
    public void OpenVSwitchPausesAMonitorThatStopsReadingThenResumesWithWhatItMissed(string? protocol)
    {
        const int Flows = 10_000; // about 800 KB of updates: more than the socket buffers and the 128 KiB bound
        OfctlScript script = OfctlScript.Parse("pause", protocol,
        [
            "@file flows.txt",
            .. Enumerable.Range(1, Flows).Select(i => $"table=1,priority=8,tcp,tp_dst={i},actions=output:1"),
            "@end",
            "@monitor monitor {target} watch:!initial",
            "{monitor} ofctl/block",
            "add-flows {target} {file:flows.txt}",
            "{monitor} ofctl/unblock",
            "dump-flows {target} table=9",
            "dump-flows {target} table=9",
            "@end",
        ]);
        using OvsDummySwitch ovs = OvsDummySwitch.Start(4, fixedAddresses: true);
        OfctlResult theirs = OfctlRunner.Run(script, "unix:" + ovs.BridgeManagementSocket)[^1];
        string[] lines = (theirs.Stdout + theirs.Stderr).Split('\n');
        int paused = Array.FindIndex(lines, l => l.Contains("PAUSED", StringComparison.Ordinal));
        int resumed = Array.FindIndex(lines, l => l.Contains("RESUMED", StringComparison.Ordinal));
        Assert.True(paused >= 0 && resumed > paused, $"PAUSED at line {paused}, RESUMED at {resumed} of {lines.Length}");
        List<string> added = [.. lines.Where(l => l.Contains("event=ADDED", StringComparison.Ordinal))];
        Assert.Equal(Flows, added.Count);
        Assert.Equal(Flows, added.Distinct().Count());
    }

    /// <summary>
    /// The same pause and resume, run through both switches with the same ovs-ofctl script: the monitor stops reading
    /// (ofctl/block) while another connection adds 1500 flows whose 1000-byte note makes each update about 1 KiB (so
    /// that ovs-ofctl's add-flows takes seconds, not minutes, against FastPath too), then reads again. Where PAUSED
    /// falls depends on the socket buffers, so what is compared is what must hold in both: PAUSED, then RESUMED, and
    /// every flow reported added exactly once; and the tables after it print the same.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow13")]
    public async Task APausedMonitorResumesWithWhatItMissedInBothSwitches(string? protocol)
    {
        const int Flows = 1500;
        string note = string.Join('.', Enumerable.Repeat("aa", 1000));
        OfctlScript script = OfctlScript.Parse("pause-both", protocol,
        [
            "@file flows.txt",
            .. Enumerable.Range(1, Flows).Select(i => $"table=1,priority=8,tcp,tp_dst={i},actions=note:{note},output:1"),
            "@end",
            "@monitor monitor {target} watch:!initial",
            "{monitor} ofctl/block",
            "add-flows {target} {file:flows.txt}",
            "{monitor} ofctl/unblock",
            "dump-flows {target} table=9",
            "@end",
            "dump-aggregate {target} table=1",
        ]);
        (IReadOnlyList<OfctlResult> reference, IReadOnlyList<OfctlResult> ours) = await RunBothAsync(script);
        foreach ((string who, IReadOnlyList<OfctlResult> results) in new[] { ("Open vSwitch", reference), ("FastPath", ours) })
        {
            Assert.All(results, r => Assert.True(r.ExitCode == 0, $"{who}: {r.Stderr}"));
            string[] lines = results.Select(r => r.Stdout + r.Stderr).First(t => t.Contains("event=ADDED", StringComparison.Ordinal)).Split('\n');
            int paused = Array.FindIndex(lines, l => l.Contains("PAUSED", StringComparison.Ordinal));
            int resumed = Array.FindIndex(lines, l => l.Contains("RESUMED", StringComparison.Ordinal));
            Assert.True(paused >= 0 && resumed > paused, $"{who}: PAUSED at line {paused}, RESUMED at {resumed} of {lines.Length}");
            List<string> added = [.. lines.Where(l => l.Contains("event=ADDED", StringComparison.Ordinal))];
            Assert.True(added.Count == Flows && added.Distinct().Count() == Flows, $"{who}: {added.Count} ADDED, {added.Distinct().Count()} distinct");
        }

        Assert.Equal(reference[^1].Stdout, ours[^1].Stdout); // flow_count=1500
    }

    /// <summary>
    /// Cancel (NXT_FLOW_MONITOR_CANCEL, ONFT_FLOW_MONITOR_CANCEL, OpenFlow 1.4+'s delete command) sent through the
    /// monitor's connection: nothing is reported after it; a cancel of a monitor that does not exist is
    /// OFPMOFC_UNKNOWN_MONITOR. (Open vSwitch 3.1 answers 1.4+'s unknown delete with an OpenFlow 1.0 error ovs-ofctl
    /// drops the connection over, so that one is not compared.) ovs-ofctl's first monitor has id 0.
    /// </summary>
    [Theory]
    [InlineData(null, "0104001400000007000023200000001500000000", "0104001400000008000023200000001500000007")]
    [InlineData("OpenFlow13", "04040014000000074f4e46000000074e00000000", "04040014000000084f4e46000000074e00000007")]
    [InlineData("OpenFlow15", "0612002800000007001000000000000000000000ffffffffffffffff005fff020001000400000000", null)]
    public async Task ACancelledMonitorReportsNothingMore(string? protocol, string cancel, string? cancelUnknown)
    {
        List<string> lines =
        [
            "@monitor monitor {target} watch:!initial",
            "add-flow {target} table=1,priority=8,tcp,actions=output:1",
            "{monitor} ofctl/send " + cancel,
            "{monitor} ofctl/barrier",
            "add-flow {target} table=1,priority=9,tcp,actions=output:1",
        ];
        if (cancelUnknown != null)
        {
            lines.Add("{monitor} ofctl/send " + cancelUnknown);
        }

        lines.AddRange(["del-flows {target} table=1", "@end", "dump-flows {target}"]);
        OfctlScript script = OfctlScript.Parse("cancel", protocol, lines);
        (IReadOnlyList<OfctlResult> reference, IReadOnlyList<OfctlResult> ours) = await RunBothAsync(script);
        OfctlComparison comparison = OfctlDifferential.Compare(script.Name, reference, ours);
        Assert.True(comparison.Differences.Count == 0, comparison.Report());
        string monitor = ours[^2].Stdout + ours[^2].Stderr;
        // The first add is reported, the second (after the cancel) and the delete are not.
        Assert.Single(monitor.Split('\n'), l => l.Contains("event=ADDED", StringComparison.Ordinal));
        Assert.DoesNotContain("event=DELETED", monitor, StringComparison.Ordinal);
        if (cancelUnknown != null)
        {
            Assert.Contains("OFPMOFC_UNKNOWN_MONITOR", monitor, StringComparison.Ordinal);
        }
    }

    /// <summary>Flows that time out are reported deleted with the timeout as the reason, as by Open vSwitch.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow13")]
    [InlineData("OpenFlow15")]
    public async Task ATimedOutFlowIsReportedDeletedWithItsReason(string? protocol)
    {
        const string Hard = "table=1,priority=8,hard_timeout=1,tcp,actions=output:1";
        const string Idle = "table=1,priority=9,idle_timeout=3,udp,actions=output:2";
        using OvsDummySwitch ovs = OvsDummySwitch.Start(4, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Like(ovs);
        OfctlResult theirs = OfctlRunner.Monitor("unix:" + ovs.BridgeManagementSocket, protocol, "monitor {target} watch:!initial", () =>
        {
            ovs.OfCtl("add-flow", Hard);
            ovs.OfCtl("add-flow", Idle);
            Eventually.Until(() => !ovs.OfCtl("dump-flows").Contains("table=1", StringComparison.Ordinal), "Open vSwitch to expire both flows");
        });
        OfctlResult ours = OfctlRunner.Monitor(fastpath.Target, protocol, "monitor {target} watch:!initial", () =>
        {
            fastpath.Host.Bridge.AddFlows([Hard]);
            fastpath.Host.Bridge.AddFlows([Idle]);
            Eventually.Until(() => fastpath.Host.Bridge.Invoke(() => fastpath.Host.Bridge.Pipeline.Count) == 0, "FastPath to expire both flows");
            Thread.Sleep(200); // the updates of the last expiry pass go out once the pass is done
        });

        OfctlCommandComparison c = OfctlDifferential.Compare("monitor", [theirs], [ours]).Commands[0];
        Assert.True(c.Equal, c.Describe());
        Assert.Contains("event=DELETED reason=hard", ours.Stdout + ours.Stderr, StringComparison.Ordinal);
        Assert.Contains("event=DELETED reason=idle", ours.Stdout + ours.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A flow-mod adding priority=11,in_port=4,actions=output:1 with xid 0xabcd, as the monitor's version speaks.</summary>
    private static string FlowModPriority11InPort4(string? protocol) => protocol switch
    {
        null => "010e00500000abcd003ffffe0004000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000bffffffffffff00000000000800010000",
        "OpenFlow13" => "040e00580000abcd00000000000000000000000000000000000000000000000bffffffffffffffffffffffff000000000001000c800000040000000400000000000400180000000000000010000000010000000000000000",
        _ => "060e00580000abcd00000000000000000000000000000000000000000000000bffffffffffffffffffffffff000000000001000c800000040000000400000000000400180000000000000010000000010000000000000000",
    };

    private static async Task<(IReadOnlyList<OfctlResult> Reference, IReadOnlyList<OfctlResult> Ours)> RunBothAsync(OfctlScript script)
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(4, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Like(ovs);
        IReadOnlyList<OfctlResult> reference = OfctlRunner.Run(script, "unix:" + ovs.BridgeManagementSocket);
        IReadOnlyList<OfctlResult> ours = OfctlRunner.Run(script, fastpath.Target);
        return (reference, ours);
    }
}
