using System.Diagnostics;
using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Packets;
using PacketDotNet;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>
/// A port whose megaflow matches on the port alone and outputs to one port is forwarded without a parse or a lookup
/// (Open vSwitch's simple match): same packets out, same megaflow statistics, counted as simple-match hits.
/// </summary>
public class PortOnlyForwardingTests
{
    private static FlowMatch PortOnly(uint port)
    {
        FlowKey key = default;
        FlowKey mask = default;
        key.InPort = port;
        mask.InPort = uint.MaxValue;
        mask.RecircId = uint.MaxValue;
        return new FlowMatch(key, mask);
    }

    private const ushort Fin = 0x01;
    private const ushort Syn = 0x02;
    private const ushort Ack = 0x10;

    private static byte[] Tcp4(ushort sport, ushort flags)
    {
        var tcp = new TcpPacket(sport, 80) { Finished = (flags & Fin) != 0, Synchronize = (flags & Syn) != 0, Acknowledgment = (flags & Ack) != 0 };
        var ip = new IPv4Packet(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")) { PayloadPacket = tcp, TimeToLive = 64 };
        var eth = new EthernetPacket(TestPackets.MacA, TestPackets.MacB, EthernetType.IPv4) { PayloadPacket = ip };
        tcp.UpdateTcpChecksum();
        ip.UpdateIPChecksum();
        eth.UpdateCalculatedValues();
        return eth.Bytes;
    }

    private static void WaitFor(Func<bool> done)
    {
        var sw = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting for the PMD");
            Thread.Sleep(2);
        }
    }

    [Fact]
    public void PacketsOfAPortOnlyOutputFlowAreForwardedUnparsedWithTheFlowsStatistics()
    {
        using var dp = new NetdevDatapath([-1]);
        dp.Start();
        MemoryNetdev p1 = new("p1"), p2 = new("p2"), p3 = new("p3");
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        dp.AddPort(p3, 3);
        dp.PutFlow(PortOnly(1), new ActionProgramBuilder().Output(2).ToArray());

        // Port 3 has a flow of another shape: its packets still take the lookup.
        dp.PutFlow(new MatchBuilder().InPort(3).EthType(EtherTypes.Ipv4).Build(), new ActionProgramBuilder().Output(2).ToArray());
        var sent = new List<byte[]>();
        long bytes = 0;
        for (int i = 0; i < 50; i++)
        {
            byte[] f = i % 2 == 0 ? Tcp4((ushort)(1000 + i), Syn) : TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2);
            sent.Add(f);
            bytes += f.Length;
            p1.Inject(f);
        }

        p1.Inject(Tcp4(7, Fin | Ack));
        p1.Inject(new byte[9]); // a runt: the flow takes it as it is, as a lookup would (the mask reads nothing of it)
        WaitFor(() => p2.Sent.Count == 52);
        for (int i = 0; i < 10; i++)
        {
            p3.Inject(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2));
        }

        WaitFor(() => p2.Sent.Count == 62);
        byte[][] out2 = [.. p2.Sent];
        Assert.Equal(sent, out2.Take(50));

        PmdStatsSnapshot s = dp.GetPmdStats()[0];
        Assert.Equal(62, s.Packets);
        Assert.Equal(52, s.SimpleMatchHits);
        Assert.Equal(10, s.EmcHits + s.MegaflowHits);
        Assert.Equal(0, s.Misses);

        DatapathFlow flow = Assert.Single(dp.Pmds[0].DumpFlows(chunk: 10), f => f.Match.Key.InPort == 1);
        Assert.Equal(52, flow.Packets);
        Assert.Equal(bytes + out2[50].Length + 9, flow.Bytes);

        // SYN, FIN and ACK, in the host order the dump prints them in.
        Assert.Equal((ushort)(Syn | Fin | Ack), flow.TcpFlags);
        Assert.True(flow.UsedTsc > 0);
    }

    [Fact]
    public void APortOnlyFlowWithOtherActionsOrAfterItsRemovalTakesTheLookup()
    {
        using var dp = new NetdevDatapath([-1]);
        dp.Start();
        MemoryNetdev p1 = new("p1"), p2 = new("p2");
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);

        // A rewrite needs the parsed offsets: no shortcut.
        dp.PutFlow(PortOnly(1), new ActionProgramBuilder().SetIpv4Src(IPAddress.Parse("192.0.2.1")).Output(2).ToArray());
        p1.Inject(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2));
        WaitFor(() => p2.Sent.Count == 1);
        var ip = (IPv4Packet)PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, p2.Sent.First()).PayloadPacket;
        Assert.Equal(IPAddress.Parse("192.0.2.1"), ip.SourceAddress);
        Assert.True(ip.ValidIPChecksum);
        PmdStatsSnapshot s = dp.GetPmdStats()[0];
        Assert.Equal(0, s.SimpleMatchHits);
        Assert.Equal(1, s.EmcHits + s.MegaflowHits);

        // Modified to a bare output, the same flow takes the shortcut; deleted, the packets miss.
        dp.PutFlow(PortOnly(1), new ActionProgramBuilder().Output(2).ToArray());
        p1.Inject(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2));
        WaitFor(() => p2.Sent.Count == 2);
        Assert.Equal(1, dp.GetPmdStats()[0].SimpleMatchHits);
        Assert.True(dp.DeleteFlow(PortOnly(1)));
        p1.Inject(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2));
        WaitFor(() => dp.GetPmdStats()[0].Misses == 1);
        Assert.Equal(2, p2.Sent.Count);
        Assert.Equal(1, dp.GetPmdStats()[0].SimpleMatchHits);
    }
}
