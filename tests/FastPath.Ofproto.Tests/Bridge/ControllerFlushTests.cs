using FastPath.Connmgr;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Service;
using FastPath.Ofproto.Tests.Ovs;
using FastPath.Ofproto.Tests.Service;

namespace FastPath.Ofproto.Tests.Bridge;

/// <summary>
/// Configuring the first controller of a bridge flushes its flow tables, and removing the last one flushes them again
/// (a standalone bridge then gets its priority=0,actions=NORMAL rule back): FastPath against Open vSwitch, both
/// dumped by ovs-ofctl at each step. Without it a standalone bridge kept forwarding by NORMAL under a controller.
/// </summary>
public class ControllerFlushTests
{
    // Nothing listens there: the controller is configured but never connects (no fail-open within the test).
    private const string Unreachable = "tcp:127.0.0.1:1";

    [Theory]
    [InlineData(OfFailMode.Standalone)]
    [InlineData(OfFailMode.Secure)]
    public async Task TheFirstControllerFlushesTheTablesAndTheLastOneGoingFlushesThemAgain(OfFailMode mode)
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(2, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Start(2, new BridgeHostOptions
        {
            FailMode = mode,
            OpenFlow = new OpenFlowEndpointOptions { DatapathId = 0x0000aa55aa550001 },
        });
        if (mode == OfFailMode.Standalone)
        {
            // Open vSwitch flushes the tables on this change too, and a standalone bridge without controllers gets NORMAL.
            ovs.VsCtl("set-fail-mode", OvsDummySwitch.Bridge, "standalone");
        }

        const string Flow = "priority=5,in_port=1,actions=output:2";
        ovs.OfCtl("add-flow", Flow);
        OvsTool.RunChecked(fastpath.Directory, "ovs-ofctl", ["add-flow", fastpath.Target, Flow], TimeSpan.FromSeconds(30));
        List<string> before = AssertSame(ovs, fastpath, "before any controller");
        Assert.Contains(before, f => f.Contains("priority=5,in_port=1", StringComparison.Ordinal));
        Assert.Equal(mode == OfFailMode.Standalone, before.Any(f => f.Contains("actions=NORMAL", StringComparison.Ordinal)));

        ovs.VsCtl("set-controller", OvsDummySwitch.Bridge, Unreachable);
        OfRemote remote = fastpath.Host.AddController(Unreachable);
        Assert.Empty(AssertSame(ovs, fastpath, "with a controller"));

        ovs.VsCtl("del-controller", OvsDummySwitch.Bridge);
        await fastpath.Host.RemoveRemoteAsync(remote);
        List<string> after = AssertSame(ovs, fastpath, "after the controller went");
        Assert.Equal(mode == OfFailMode.Standalone ? ["priority=0 actions=NORMAL"] : [], after);
    }

    private static List<string> AssertSame(OvsDummySwitch ovs, HostedBridge fastpath, string when)
    {
        List<string> reference = Dump("unix:" + ovs.BridgeManagementSocket, ovs.Directory);
        List<string> ours = Dump(fastpath.Target, fastpath.Directory);
        Assert.True(reference.SequenceEqual(ours), $"{when}: Open vSwitch has [{string.Join("; ", reference)}], FastPath [{string.Join("; ", ours)}]");
        return ours;
    }

    private static List<string> Dump(string target, string dir) =>
        [.. OvsTool.RunChecked(dir, "ovs-ofctl", ["--no-stats", "dump-flows", target], TimeSpan.FromSeconds(30))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.Contains(" reply", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
