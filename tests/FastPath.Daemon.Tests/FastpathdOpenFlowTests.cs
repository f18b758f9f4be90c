using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// The OpenFlow side of the Bridge and Controller rows, through the real ovs-vsctl and ovs-ofctl: the versions a
/// bridge's <c>protocols</c> allows, and a controller's <c>is_connected</c>.
/// </summary>
public sealed class FastpathdOpenFlowTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BridgeProtocolsLimitTheVersionsOvsOfctlNegotiates()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpv{Environment.ProcessId % 100000}";
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev");

        // The default set is OpenFlow 1.0 to 1.5, as in ovs-vswitchd 3.1.
        Assert.Contains("OFPT_FEATURES_REPLY (xid=", await d.RunAsync("ovs-ofctl", "show", br), StringComparison.Ordinal);
        Assert.Contains("OFPT_FEATURES_REPLY (OF1.5)", await d.RunAsync("ovs-ofctl", "-O", "OpenFlow15", "show", br), StringComparison.Ordinal);

        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "bridge", br, "protocols=OpenFlow13");
        (int code, _, string error) = await d.TryRunAsync("ovs-ofctl", "show", br);
        output.WriteLine(error);
        Assert.NotEqual(0, code);
        Assert.Contains("version negotiation failed (we support version 0x01, peer supports version 0x04)", error, StringComparison.Ordinal);
        Assert.Contains("OFPT_FEATURES_REPLY (OF1.3)", await d.RunAsync("ovs-ofctl", "-O", "OpenFlow13", "show", br), StringComparison.Ordinal);

        await d.RunAsync("ovs-vsctl", "--timeout=30", "set", "bridge", br, "protocols=OpenFlow10,OpenFlow13");
        Assert.Contains("OFPT_FEATURES_REPLY (xid=", await d.RunAsync("ovs-ofctl", "show", br), StringComparison.Ordinal);
        (code, _, error) = await d.TryRunAsync("ovs-ofctl", "-O", "OpenFlow14", "show", br);
        Assert.NotEqual(0, code);
        Assert.Contains("peer supports versions 0x01, 0x04", error, StringComparison.Ordinal);

        await d.RunAsync("ovs-vsctl", "--timeout=30", "clear", "bridge", br, "protocols");
        Assert.Contains("OFPT_FEATURES_REPLY (OF1.4)", await d.RunAsync("ovs-ofctl", "-O", "OpenFlow14", "show", br), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControllerIsConnectedFollowsARealHelloExchange()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpc{Environment.ProcessId % 100000}";
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev", "protocols=OpenFlow13");

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await d.RunAsync("ovs-vsctl", "--timeout=30", "set-controller", br, $"tcp:127.0.0.1:{port}");
        Assert.Equal($"tcp:127.0.0.1:{port}", (await d.RunAsync("ovs-vsctl", "get-controller", br)).Trim());

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using (TcpClient switchSide = await listener.AcceptTcpClientAsync(cancel.Token))
        {
            NetworkStream s = switchSide.GetStream();
            byte[] header = new byte[8];
            await s.ReadExactlyAsync(header, cancel.Token);
            Assert.Equal(0, header[1]); // OFPT_HELLO
            Assert.Equal(0x04, header[0]); // protocols=OpenFlow13: the switch offers 1.3 only
            await s.ReadExactlyAsync(new byte[(header[2] << 8 | header[3]) - 8], cancel.Token);
            await s.WriteAsync(new byte[] { 0x04, 0, 0, 8, 0, 0, 0, 1 }, cancel.Token);

            // Drain what the switch sends (features request and the like) while the row is watched.
            Task drain = s.CopyToAsync(Stream.Null, cancel.Token);
            await WaitForAsync(d, br, "true", cancel.Token);
            Assert.Equal("true", (await d.RunAsync("ovs-vsctl", "get", "controller", br, "is_connected")).Trim());
            Assert.Equal("other", (await d.RunAsync("ovs-vsctl", "get", "controller", br, "role")).Trim());
        }

        listener.Stop();
        await WaitForAsync(d, br, "false", cancel.Token);
        await d.RunAsync("ovs-vsctl", "--timeout=30", "del-controller", br);
        Assert.Equal(string.Empty, (await d.RunAsync("ovs-vsctl", "get-controller", br)).Trim());
    }

    private static async Task WaitForAsync(FastpathdProcess d, string br, string connected, CancellationToken cancel)
    {
        while ((await d.RunAsync("ovs-vsctl", "get", "controller", br, "is_connected")).Trim() != connected)
        {
            await Task.Delay(250, cancel);
        }
    }
}
