using System.Globalization;
using System.Text.RegularExpressions;
using FastPath.Ofproto.Tests.Interop;
using FastPath.Ofproto.Tests.Ovs;
using FastPath.Ofproto.Tests.Upcalls;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// dump-tables' lookup and matched counts: the same flows and the same packets (upcalls, packets that then hit the
/// megaflow, table misses, a drop, a packet-out through the tables) on Open vSwitch's dummy datapath and on
/// FastPath must give the same counts, table by table.
/// </summary>
public partial class TableCountersVersusOvsTests
{
    private static readonly string[] Flows =
    [
        "table=0,priority=10,in_port=1,udp,actions=output:2",
        "table=0,priority=5,tcp,actions=goto_table:1",
        "table=1,priority=5,tcp,tp_dst=80,actions=output:2",
        "table=1,priority=4,tcp,tp_dst=82,actions=drop",
    ];

    [Fact]
    public async Task LookupsAndMatchesAreCountedPerTableAsOpenVSwitchCountsThem()
    {
        using OvsDummySwitch ovs = OvsDummySwitch.Start(2, fixedAddresses: true);
        await using HostedBridge fastpath = HostedBridge.Start(2);
        foreach (string flow in Flows)
        {
            ovs.OfCtl("add-flow", flow);
            OfCtl(fastpath, "add-flow", flow);
        }

        Assert.Equal(Tables(ovs.OfCtl("dump-tables")), Tables(OfCtl(fastpath, "dump-tables")));
        Assert.All(Tables(OfCtl(fastpath, "dump-tables")), t => Assert.Equal((0L, 0L), (t.Lookups, t.Matched)));

        // Per port: three packets of one flow (the first an upcall, the others megaflow hits the revalidator credits),
        // a table-1 miss twice, a drop rule twice, a table-0 match, and on port 2 a table-0 miss.
        var traffic = new List<(int Port, byte[] Frame)>();
        traffic.AddRange(Enumerable.Repeat((1, Tcp(80)), 3));
        traffic.AddRange(Enumerable.Repeat((1, Tcp(81)), 2));
        traffic.AddRange(Enumerable.Repeat((1, Tcp(82)), 2));
        traffic.Add((1, UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", 1000, 53)));
        traffic.Add((2, UpcallTestPackets.Udp4("10.0.0.2", "10.0.0.1", 53, 1000)));
        foreach ((int port, byte[] frame) in traffic)
        {
            ovs.AppCtl("netdev-dummy/receive", "p" + port.ToString(CultureInfo.InvariantCulture), Convert.ToHexStringLower(frame));
            fastpath.Ports[port - 1].Inject(frame);
        }

        string packetOut = "in_port=1 packet=" + Convert.ToHexStringLower(Tcp(80)) + " actions=table";
        ovs.OfCtl("packet-out", packetOut);
        OfCtl(fastpath, "packet-out", packetOut);

        // Table 0 saw all ten packets (nine received, one sent out) and matched all but the one from port 2; table 1 the
        // eight TCP ones, of which the two to port 81 missed.
        (int Table, long Active, long Lookups, long Matched)[] expected = [(0, 2, 10, 9), (1, 2, 8, 6), (2, 0, 0, 0)];
        Eventually.Until(() => Tables(ovs.OfCtl("dump-tables")).SequenceEqual(expected), "Open vSwitch to count every packet");
        Eventually.Until(
            () => Tables(OfCtl(fastpath, "dump-tables")).SequenceEqual(expected),
            $"FastPath to count as Open vSwitch: {string.Join(' ', Tables(OfCtl(fastpath, "dump-tables")))}");

        // OpenFlow 1.0's table statistics carry the same counts.
        string of10 = OvsTool.RunChecked(fastpath.Directory, "ovs-ofctl", ["dump-tables", fastpath.Target], TimeSpan.FromSeconds(30));
        Assert.Equal(Tables(ovs.OfCtl("dump-tables")), Tables(of10));
    }

    private static string OfCtl(HostedBridge b, string command, string arg = "") =>
        OvsTool.RunChecked(b.Directory, "ovs-ofctl", ["-O", "OpenFlow13", command, b.Target, .. arg.Length > 0 ? new[] { arg } : []], TimeSpan.FromSeconds(30));

    private static byte[] Tcp(ushort dstPort) => Convert.FromHexString(
        "000000000002000000000001080045000028000000004006669a0a0000010a000002" + "04d2" + dstPort.ToString("x4", CultureInfo.InvariantCulture)
        + "00000000000000005002000000000000");

    // "table 0:" then "active=2, lookup=10, matched=9"; tables 0-2 (the rest print as "ditto").
    private static (int Table, long Active, long Lookups, long Matched)[] Tables(string dump) =>
        [.. TableLine().Matches(dump).Select(m => (
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))
            .Where(t => t.Item1 <= 2)];

    [GeneratedRegex(@"table (\d+):\s*\n\s*active=(\d+), lookup=(\d+), matched=(\d+)")]
    private static partial Regex TableLine();
}
