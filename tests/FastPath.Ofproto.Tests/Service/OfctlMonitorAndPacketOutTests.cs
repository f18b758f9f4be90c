using FastPath.Ofproto.Tests.Interop;
using FastPath.Ofproto.Tests.Ovs;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// What issue14.ofctl cannot say: <c>ovs-ofctl monitor</c> seeing packet-ins that traffic (not a packet-out) causes,
/// as against Open vSwitch, and <c>ovs-ofctl packet-out</c> putting its packet on the wire.
/// </summary>
public class OfctlMonitorAndPacketOutTests
{
    private const string Udp = "000000000002000000000001080045000020000000004011669a0a0000010a00000204d2162e000c0000deadbeef";

    [Theory]
    [InlineData(null, "cookie=0x5,priority=250,in_port=4,udp,actions=controller", 4)] // a rule's controller action
    [InlineData("OpenFlow13", "cookie=0x5,priority=250,in_port=4,udp,actions=controller", 4)]
    [InlineData(null, "priority=250,in_port=4,udp,actions=output:1", 3)] // a table miss: OpenFlow 1.0 gets it
    [InlineData("OpenFlow13", "table=0,priority=0,actions=controller", 3)] // OpenFlow 1.3's table-miss rule
    public async Task TheMonitorSeesTheSamePacketInForTraffic(string? protocol, string flow, int port)
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(4, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Like(ovs);
        ovs.AddFlows([flow]);
        fastpath.Host.Bridge.AddFlows([flow]);
        byte[] frame = Convert.FromHexString(Udp);

        OfctlResult theirs = OfctlRunner.Monitor("unix:" + ovs.BridgeManagementSocket, protocol, "monitor {target} 65535", () =>
        {
            ovs.AppCtl("netdev-dummy/receive", "p" + port, Udp);
            Eventually.Until(() => ovs.OfCtl("dump-flows").Contains("n_packets=1", StringComparison.Ordinal) || port == 3, "Open vSwitch to take the packet");
            Thread.Sleep(500); // the handler thread sends the packet-in as it handles the upcall; give it time
        });
        long before = fastpath.Host.OpenFlow.PacketInsSent;
        OfctlResult ours = OfctlRunner.Monitor(fastpath.Target, protocol, "monitor {target} 65535", () =>
        {
            fastpath.Ports[port - 1].Inject(frame);
            Eventually.Until(() => fastpath.Host.OpenFlow.PacketInsSent > before, "FastPath's packet-in");
        });

        Assert.Contains("NXT_PACKET_IN2", theirs.Stderr + theirs.Stdout, StringComparison.Ordinal);
        OfctlCommandComparison c = OfctlDifferential.Compare("monitor", [theirs], [ours]).Commands[0];
        Assert.True(c.Equal, c.Describe());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow13")]
    public async Task PacketOutSendsThePacketInEitherSyntax(string? protocol)
    {
        await using HostedBridge b = HostedBridge.Start();
        OfctlScript script = OfctlScript.Parse("packet-out", protocol,
        [
            $"packet-out {{target}} 1 output:2 {Udp}",
            $"packet-out {{target}} \"in_port=LOCAL packet={Udp} actions=output:3,output:4\"",
        ]);
        Assert.All(OfctlRunner.Run(script, b.Target), r => Assert.True(r.ExitCode == 0, r.Stderr));
        byte[] frame = Convert.FromHexString(Udp);
        foreach (int p in new[] { 1, 2, 3 })
        {
            Eventually.Until(() => b.Ports[p].Sent.Count == 1, $"the packet on p{p + 1}");
            Assert.Equal(frame, b.Ports[p].Sent.Single());
        }

        Assert.Empty(b.Ports[0].Sent);
    }
}
