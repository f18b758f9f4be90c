using FastPath.Ofproto.Tests.Ovs;

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>
/// The ovs-ofctl differential harness against itself: two Open vSwitch bridges started alike must print the same
/// for the whole issue-14 script (plain, OpenFlow 1.0, OpenFlow 1.3) once masked — otherwise a mask is missing and
/// any FastPath comparison would report noise — and a real difference between two bridges must be reported, on the
/// command that shows it.
/// </summary>
public class OfctlDifferentialSelfTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow10")]
    [InlineData("OpenFlow13")]
    public void TwoOpenVSwitchBridgesPrintTheSameForTheIssue14Script(string? protocol)
    {
        OfctlScript script = OfctlScript.Load(ScriptPath, protocol);
        using OvsDummySwitch a = OvsDummySwitch.Start(4, fixedAddresses: true);
        using OvsDummySwitch b = OvsDummySwitch.Start(4, fixedAddresses: true);
        IReadOnlyList<OfctlResult> ra = OfctlRunner.Run(script, "unix:" + a.BridgeManagementSocket);
        IReadOnlyList<OfctlResult> rb = OfctlRunner.Run(script, "unix:" + b.BridgeManagementSocket);
        OfctlComparison comparison = OfctlDifferential.Compare(script.Name, ra, rb);

        Assert.True(comparison.Differences.Count == 0, comparison.Report());

        // The script did what it says, so the comparison compared something.
        Assert.Equal(script.Steps.Sum(s => s.Commands.Count()), ra.Count);
        Assert.DoesNotContain(ra, r => r.ExitCode == -1);
        static bool Is(OfctlResult r, string command) => r.Command == command || r.Command.EndsWith(" " + command, StringComparison.Ordinal);
        OfctlResult Only(string command) => Assert.Single(ra, r => Is(r, command));
        Assert.Equal(0, Only("add-flow {target} in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2").ExitCode);
        Assert.Contains("OFPBAC_BAD_OUT_GROUP", Only("add-flow {target} priority=5,actions=group:99").Stderr, StringComparison.Ordinal);
        Assert.Contains("priority=200,udp,in_port=1", Only("--sort dump-flows {target}").Stdout, StringComparison.Ordinal);
        OfctlResult packetInMonitor = Only("monitor {target} 65535");
        Assert.Contains("PACKET_IN", packetInMonitor.Stdout + packetInMonitor.Stderr, StringComparison.Ordinal);
        OfctlResult watch = Only("monitor {target} watch:");
        Assert.Contains("event=DELETED", watch.Stdout + watch.Stderr, StringComparison.Ordinal);
        string show = ra.First(r => Is(r, "show {target}")).Stdout;
        Assert.Contains("dpid:0000aa55aa550001", show, StringComparison.Ordinal); // what README.md tells FastPath to copy
        Assert.Contains(" LOCAL(br0): addr:aa:55:aa:55:00:01", show, StringComparison.Ordinal);
        Assert.Contains(" 1(p1): addr:aa:55:aa:55:00:0f", show, StringComparison.Ordinal);
        Assert.Contains(" 4(p4): addr:aa:55:aa:55:00:12", show, StringComparison.Ordinal);
        Assert.Contains("NO_PACKET_IN", ra.Last(r => Is(r, "show {target}")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("issue14-meters.ofctl", null)]
    [InlineData("issue14-meters.ofctl", "OpenFlow13")]
    [InlineData("issue14-nx-actions.ofctl", null)]
    [InlineData("issue14-nx-actions.ofctl", "OpenFlow13")]
    public void TwoOpenVSwitchBridgesPrintTheSameForTheOtherIssue14Scripts(string file, string? protocol)
    {
        OfctlScript script = OfctlScript.Load(TestData.Path("ofctl-differential", file), protocol);
        using OvsDummySwitch a = OvsDummySwitch.Start(4, fixedAddresses: true);
        using OvsDummySwitch b = OvsDummySwitch.Start(4, fixedAddresses: true);
        IReadOnlyList<OfctlResult> ra = OfctlRunner.Run(script, "unix:" + a.BridgeManagementSocket);
        IReadOnlyList<OfctlResult> rb = OfctlRunner.Run(script, "unix:" + b.BridgeManagementSocket);
        OfctlComparison comparison = OfctlDifferential.Compare(script.Name, ra, rb);
        Assert.True(comparison.Differences.Count == 0, comparison.Report());

        // Open vSwitch took the flows the script is about (meters only where the protocol has them: not 1.0).
        string flows = ra.First(r => r.Command.EndsWith("dump-flows {target}", StringComparison.Ordinal)).Stdout;
        bool meters = file.Contains("meters", StringComparison.Ordinal);
        if (!meters || protocol == "OpenFlow13")
        {
            Assert.Contains(meters ? "meter:1" : "resubmit(,1)", flows, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(ra, r => r.Command.StartsWith("add-meter", StringComparison.Ordinal) && r.ExitCode != 0);
        }
    }

    [Fact]
    public void ADifferenceBetweenTwoBridgesIsReportedOnTheCommandsThatShowIt()
    {
        OfctlScript script = OfctlScript.Parse("small", "OpenFlow13",
        [
            "add-flow {target} priority=5,in_port=1,actions=output:2",
            "dump-flows {target}",
            "add-group {target} group_id=7,type=all,bucket=output:1",
            "show {target}",
        ]);
        using OvsDummySwitch a = OvsDummySwitch.Start(4, fixedAddresses: true);
        using OvsDummySwitch b = OvsDummySwitch.Start(4, fixedAddresses: true);
        b.AddFlows(["priority=9,in_port=3,actions=output:4"]);
        b.AddGroups(["group_id=7,type=all,bucket=output:3"]);

        OfctlComparison comparison = OfctlDifferential.Compare(script, "unix:" + a.BridgeManagementSocket, "unix:" + b.BridgeManagementSocket);

        Assert.Equal([1, 2], comparison.Differences.Select(d => d.Index));
        string flows = comparison.Differences[0].Describe();
        Assert.Contains("  +  cookie=0x0, duration=#s, table=0, n_packets=#, n_bytes=#, priority=9,in_port=3 actions=output:4", flows, StringComparison.Ordinal);
        Assert.DoesNotContain("  - ", flows, StringComparison.Ordinal);
        string group = comparison.Differences[1].Describe();
        Assert.Contains("exit: 0 vs 1", group, StringComparison.Ordinal);
        Assert.Contains("OFPGMFC_GROUP_EXISTS", group, StringComparison.Ordinal);
        Assert.Contains("2 of 4 commands print the same", comparison.Report(), StringComparison.Ordinal);
    }

    [Fact]
    public void ASwitchThatIsNotThereCostsEachCommandNotTheRun()
    {
        OfctlScript script = OfctlScript.Parse("absent", null, ["show {target}", "dump-flows {target}"]);
        string missing = "unix:" + Path.Combine(Path.GetTempPath(), "no-such-switch-" + Guid.NewGuid().ToString("N")[..8]);
        IReadOnlyList<OfctlResult> results = OfctlRunner.Run(script, missing);
        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("{target}", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(missing, r.Stderr, StringComparison.Ordinal);
        });
    }

    private static string ScriptPath => TestData.Path("ofctl-differential", "issue14.ofctl");

}
