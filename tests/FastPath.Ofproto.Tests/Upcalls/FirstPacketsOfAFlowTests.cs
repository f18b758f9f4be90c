using FastPath.Ofproto.Tests.Service;

namespace FastPath.Ofproto.Tests.Upcalls;

/// <summary>
/// The first packets of a new flow that arrive together (a host flushing what it queued while it resolved the
/// next hop) all miss before their megaflow is installed: every one must be forwarded, as Open vSwitch forwards them.
/// A ping through ovs-testcontroller lost two of its three first packets this way.
/// </summary>
public class FirstPacketsOfAFlowTests
{
    [Fact]
    public async Task PacketsOfANewFlowArrivingTogetherAreAllForwarded()
    {
        await using HostedBridge b = HostedBridge.Start(2);
        b.Host.Bridge.AddFlows(["priority=5,in_port=1,actions=output:2"]);
        byte[] frame = UpcallTestPackets.Udp4("192.168.1.1", "10.0.0.2", 1000, 53);
        for (int i = 0; i < 3; i++)
        {
            b.Ports[0].Inject(frame);
        }

        Eventually.Until(() => b.Ports[1].Sent.Count >= 3, "three packets on p2");
        Thread.Sleep(100);
        Assert.Equal(3, b.Ports[1].Sent.Count);
    }
}
