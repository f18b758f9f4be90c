using FastPath.Ofproto.Tests.Interop;
using FastPath.Ofproto.Tests.Ovs;
using FastPath.Ofproto.Tests.Upcalls;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// A controller that installs the same flow again (ovs-testcontroller does for every packet-in of a known flow)
/// must not zero its counters: an identical add keeps them unless it says reset_counts. FastPath against Open
/// vSwitch, packets counted on both, every step dumped by ovs-ofctl.
/// </summary>
public class ReAddedFlowCountersVersusOvsTests
{
    private const string Flow = "priority=5,in_port=1,actions=output:2";

    [Fact]
    public async Task AnIdenticalAddKeepsTheCountersUnlessItSaysResetCounts()
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(2, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Start(2);
        AddFlow(ovs, fastpath, Flow);

        byte[] frame = UpcallTestPackets.Udp4("192.168.1.1", "10.0.0.2", 1000, 53);
        ovs.AppCtl("netdev-dummy/receive", "p1", Convert.ToHexStringLower(frame));
        fastpath.Ports[0].Inject(frame);
        Eventually.Until(() => Packets(ovs.OfCtl("dump-flows")) == 1 && Packets(FastPathDump(fastpath)) == 1, "both to count the packet");

        AddFlow(ovs, fastpath, Flow);
        Assert.Equal(1, Packets(ovs.OfCtl("dump-flows")));
        Assert.Equal(1, Packets(FastPathDump(fastpath)));

        AddFlow(ovs, fastpath, "reset_counts," + Flow);
        Assert.Equal(0, Packets(ovs.OfCtl("dump-flows")));
        Assert.Equal(0, Packets(FastPathDump(fastpath)));
    }

    /// <summary>
    /// OpenFlow 1.0 (ovs-ofctl's default) has no reset_counts flag: there an add always resets the counters of a rule
    /// it replaces, and Open vSwitch records reset_counts on the rule, which an OpenFlow 1.3 dump shows.
    /// </summary>
    [Fact]
    public async Task AnOpenFlow10AddResetsTheCountersAndTheRuleSaysResetCounts()
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(2, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Start(2);
        AddFlow10(ovs, fastpath, Flow);
        string[] dumps = [ovs.OfCtl("dump-flows"), FastPathDump(fastpath)];
        Assert.All(dumps, d => Assert.Contains(" reset_counts priority=5,in_port=1 actions=output:2", d, StringComparison.Ordinal));

        byte[] frame = UpcallTestPackets.Udp4("192.168.1.1", "10.0.0.2", 1000, 53);
        ovs.AppCtl("netdev-dummy/receive", "p1", Convert.ToHexStringLower(frame));
        fastpath.Ports[0].Inject(frame);
        Eventually.Until(() => Packets(ovs.OfCtl("dump-flows")) == 1 && Packets(FastPathDump(fastpath)) == 1, "both to count the packet");

        AddFlow10(ovs, fastpath, Flow);
        Assert.Equal(0, Packets(ovs.OfCtl("dump-flows")));
        Assert.Equal(0, Packets(FastPathDump(fastpath)));
    }

    private static void AddFlow10(OvsDummySwitch ovs, HostedBridge fastpath, string flow)
    {
        OvsTool.RunChecked(ovs.Directory, "ovs-ofctl", ["--timeout=30", "add-flow", "unix:" + ovs.BridgeManagementSocket, flow], TimeSpan.FromSeconds(30));
        OvsTool.RunChecked(fastpath.Directory, "ovs-ofctl", ["add-flow", fastpath.Target, flow], TimeSpan.FromSeconds(30));
    }

    private static void AddFlow(OvsDummySwitch ovs, HostedBridge fastpath, string flow)
    {
        ovs.OfCtl("add-flow", flow);
        OvsTool.RunChecked(fastpath.Directory, "ovs-ofctl", ["-O", "OpenFlow13", "add-flow", fastpath.Target, flow], TimeSpan.FromSeconds(30));
    }

    private static string FastPathDump(HostedBridge fastpath) =>
        OvsTool.RunChecked(fastpath.Directory, "ovs-ofctl", ["-O", "OpenFlow13", "dump-flows", fastpath.Target], TimeSpan.FromSeconds(30));

    private static long Packets(string dump) => Assert.Single(DumpedFlow.ParseDump(dump)).Packets;
}
