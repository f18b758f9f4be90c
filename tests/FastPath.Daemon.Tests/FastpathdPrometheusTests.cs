using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>fastpathd's Prometheus endpoint: off unless asked, on 127.0.0.1, with per-port and per-PMD counters of real traffic.</summary>
public sealed class FastpathdPrometheusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ServesPortAndPmdCountersOfTheTrafficOnLoopback()
    {
        int port = FreePort();
        await using var d = new FastpathdProcess();
        await d.StartAsync($"--prometheus={port}");
        string br = $"fpt{Environment.ProcessId % 100000}m";
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-port", br, "r1", "--", "set", "interface", "r1", "type=replay",
            $"options:file={TestData.Path("demo.pcap")}", "options:loops=1", "ofport_request=1");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string text = "";
        for (int i = 0; i < 50; i++)
        {
            text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            if (Regex.IsMatch(text, $"fastpath_port_rx_packets_total\\{{bridge=\"{br}\",port=\"r1\",ofport=\"1\"\\}} [1-9]"))
            {
                break;
            }

            await Task.Delay(200);
        }

        output.WriteLine(string.Join('\n', text.Split('\n').Where(l => l.StartsWith("fastpath_", StringComparison.Ordinal))));
        Assert.Matches($"fastpath_port_rx_packets_total\\{{bridge=\"{br}\",port=\"r1\",ofport=\"1\"\\}} [1-9]", text);
        Assert.Matches($"fastpath_pmd_packets_total\\{{bridge=\"{br}\",core=\"\\d+\"\\}} [1-9]", text);
        Assert.Contains("# TYPE fastpath_pmd_upcalls_total counter", text, StringComparison.Ordinal);

        // Bound to 127.0.0.1 alone: another loopback address of this host does not reach it.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.ThrowsAny<SocketException>(() => probe.Connect(new IPEndPoint(IPAddress.Parse("127.0.0.2"), port)));
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
