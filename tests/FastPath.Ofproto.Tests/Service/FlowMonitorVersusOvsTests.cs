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
