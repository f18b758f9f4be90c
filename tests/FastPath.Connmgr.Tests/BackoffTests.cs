using System.Net;
using System.Net.Sockets;

namespace FastPath.Connmgr.Tests;

public class BackoffTests
{
    [Fact]
    public void Backoff_doubles_to_the_maximum_and_restarts_after_a_connection_that_lasted()
    {
        var b = new OfBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
        Assert.Equal([1, 2, 4, 8, 8], Enumerable.Range(0, 5).Select(_ => b.Next(TimeSpan.Zero).TotalSeconds).ToArray());
        Assert.Equal(1, b.Next(TimeSpan.FromSeconds(30)).TotalSeconds);
        Assert.Equal(2, b.Next(TimeSpan.FromMilliseconds(500)).TotalSeconds);
    }

    [Fact]
    public async Task An_active_target_reconnects_with_exponential_backoff()
    {
        // A "controller" that accepts and hangs up at once: each attempt is one accept.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(8);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using var m = new OfConnectionManager(new RecordingHandler());
        var remote = (OfActiveRemote)m.AddRemote(
            $"tcp:127.0.0.1:{port}",
            new OfRemoteOptions { MinBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(400) });

        var times = new List<long>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (times.Count < 6)
        {
            using Socket s = await listener.AcceptAsync(cts.Token);
            times.Add(Environment.TickCount64);
            s.Close();
        }

        long[] gaps = [.. times.Zip(times.Skip(1), (a, b) => b - a)];
        long[] expected = [100, 200, 400, 400, 400];
        for (int i = 0; i < gaps.Length; i++)
        {
            // The lower bound proves each wait and its growth; the upper one only that no wait runs away (a loaded
            // 2-core CI machine can delay a timer by a second), while the cap itself is checked on the backoff below.
            Assert.True(gaps[i] >= expected[i] - 20 && gaps[i] <= expected[i] + 1500, $"gap {i}: {gaps[i]} ms, expected about {expected[i]} ({string.Join(", ", gaps)})");
        }

        Assert.True(remote.Attempts >= 6);
        Assert.Equal(TimeSpan.FromMilliseconds(400), remote.Backoff.Current);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_and_the_target_connects_once_the_controller_is_up()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var handler = new RecordingHandler();
        await using var m = new OfConnectionManager(handler);
        var remote = (OfActiveRemote)m.AddRemote($"tcp:127.0.0.1:{port}", new OfRemoteOptions { MinBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(100) });
        Assert.True(await Wait.UntilAsync(() => remote.Attempts >= 3));
        Assert.NotNull(remote.LastError);

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(1);
        using RawPeer peer = RawPeer.Wrap(await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        await peer.HandshakeAsync();
        Assert.True(await Wait.UntilAsync(() => handler.Connected.Count == 1));
        Assert.Equal(OfActiveRemoteState.Connected, remote.State);
        Assert.Equal(OfConnectionKind.Controller, remote.Connection!.Kind);
        Assert.True(m.IsControllerConnected);
    }
}
