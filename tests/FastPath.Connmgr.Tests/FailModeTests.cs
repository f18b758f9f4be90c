using System.Net;
using System.Net.Sockets;

namespace FastPath.Connmgr.Tests;

public class FailModeTests
{
    [Fact]
    public async Task Standalone_without_controllers_forwards_normally_secure_never_does()
    {
        await using var standalone = new OfConnectionManager(new RecordingHandler(), OfFailMode.Standalone);
        Assert.True(standalone.ForwardNormally);
        Assert.False(standalone.HasControllers);

        await using var secure = new OfConnectionManager(new RecordingHandler(), OfFailMode.Secure);
        Assert.False(secure.ForwardNormally);
        secure.FailMode = OfFailMode.Standalone;
        Assert.True(secure.ForwardNormally);
    }

    [Fact]
    public async Task Standalone_fails_open_after_the_delay_without_a_controller_and_closes_when_one_connects()
    {
        using var controller = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        controller.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        controller.Listen(4);
        int port = ((IPEndPoint)controller.LocalEndPoint!).Port;

        await using var m = new OfConnectionManager(new RecordingHandler(), OfFailMode.Standalone) { FailOpenDelay = TimeSpan.FromMilliseconds(400) };
        var events = new List<bool>();
        var connectedEvents = new List<bool>();
        m.ForwardNormallyChanged += v => { lock (events) { events.Add(v); } };
        m.ControllerConnectedChanged += v => { lock (connectedEvents) { connectedEvents.Add(v); } };
        m.AddRemote($"tcp:127.0.0.1:{port}", new OfRemoteOptions { MinBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(200) });
        Assert.True(m.HasControllers);
        Assert.False(m.ForwardNormally); // a controller is configured and the delay has not passed

        // The controller's socket accepts but says nothing yet: no controller is connected, so after the delay, fail open.
        using Socket accepted = await controller.AcceptAsync();
        Assert.False(m.IsControllerConnected);
        Assert.True(await Wait.UntilAsync(() => m.ForwardNormally, 3000));
        lock (events)
        {
            Assert.Equal([false, true], events); // configuring a controller ended "no controller: NORMAL"
        }

        // Hello done: connected, fail-open ends at once.
        using RawPeer peer = RawPeer.Wrap(accepted);
        await peer.HandshakeAsync();
        Assert.True(await Wait.UntilAsync(() => m.IsControllerConnected));
        Assert.True(await Wait.UntilAsync(() => !m.ForwardNormally, 1000));

        // The controller goes away: disconnected at once, fail-open again after the delay.
        peer.Dispose();
        Assert.True(await Wait.UntilAsync(() => !m.IsControllerConnected));
        long t0 = Environment.TickCount64;
        Assert.True(await Wait.UntilAsync(() => m.ForwardNormally, 3000));
        Assert.InRange(Environment.TickCount64 - t0, 250, 3000);
        lock (connectedEvents)
        {
            Assert.Equal([true, false], connectedEvents);
        }
    }
}
