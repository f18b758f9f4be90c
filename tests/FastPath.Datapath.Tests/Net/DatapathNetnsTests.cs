using System.Diagnostics;
using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Afxdp;
using FastPath.Datapath.Ports.Pcap;
using FastPath.Datapath.Tests.Afxdp;
using FastPath.Native;
using PacketDotNet;
using Xunit.Abstractions;

namespace FastPath.Datapath.Tests.Net;

/// <summary>
/// The whole datapath on real interfaces: two namespaces joined through a PMD by a hand-installed
/// megaflow that rewrites the IPv4 source. Once over afxdp ports, once over pcap ports. Runs for real
/// as root; skips with the reason otherwise.
/// </summary>
[Collection(AfxdpCollection.Name)]
public class DatapathNetnsTests(ITestOutputHelper output)
{
    private const int FrameCount = 200;
    private const ushort UdpPort = 47575;
    private static readonly IPAddress SrcIp = IPAddress.Parse("10.203.1.1");
    private static readonly IPAddress DstIp = IPAddress.Parse("10.203.2.2");
    private static readonly IPAddress RewrittenSrc = IPAddress.Parse("192.0.2.77");
    private static readonly TimeSpan SocketTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan TransferLimit = TimeSpan.FromSeconds(20);

    [SkippableTheory]
    [InlineData("afxdp")]
    [InlineData("pcap")]
    public void PmdForwardsAndRewritesUdpFromOneNamespaceToTheOther(string portType)
    {
        string? why = NetnsTopology.Unavailable();
        if (why != null)
        {
            Console.WriteLine($"{nameof(DatapathNetnsTests)} skipped: {why}");
        }

        Skip.If(why != null, why);
        AfxdpLibrary.SetLibraryLogLevel(1);

        using var topo = new NetnsTopology();
        string ns1 = topo.AddNamespace("dp1");
        string ns2 = topo.AddNamespace("dp2");
        NetnsTopology.VethPair a = topo.AddVeth(ns1);
        NetnsTopology.VethPair b = topo.AddVeth(ns2);

        // The destination is in ns2's subnet but not its address: ns2's stack drops it quietly (no ICMP back).
        topo.AddAddress(ns1, a.HostName, "10.203.1.1/24");
        topo.AddAddress(ns2, b.HostName, "10.203.2.1/24");
        using RawEthernetSocket sender = topo.RunIn(ns1, () => RawEthernetSocket.Open(a.HostName, SocketTimeout));
        using RawEthernetSocket receiver = topo.RunIn(ns2, () => RawEthernetSocket.Open(b.HostName, SocketTimeout));

        // Sent straight to ns2's MAC from a raw socket: no ARP, and ns2's veth takes them as PACKET_HOST.
        List<byte[]> frames = Enumerable.Range(0, FrameCount)
            .Select(i => ChecksummedUdpFrames.Build(a.HostMac, b.HostMac, SrcIp, DstIp, UdpPort, i))
            .ToList();

        INetdev? port1 = null;
        INetdev? port2 = null;
        var dp = new NetdevDatapath([-1]);
        try
        {
            dp.Start();
            port1 = Open(portType, a.RootName);
            port2 = Open(portType, b.RootName);
            Assert.Equal(1u, dp.AddPort(port1, 1));
            Assert.Equal(2u, dp.AddPort(port2, 2));

            FlowMatch match = new MatchBuilder().InPort(1).EthType(0x0800).Build();
            byte[] actions = new ActionProgramBuilder().SetIpv4Src(RewrittenSrc).Output(2).ToArray();
            dp.PutFlow(match, actions);
            dp.ClearPmdStats();
            DrainUpcalls(dp.Pmds[0]);

            Dictionary<int, byte[]> got;
            using (var capture = new UdpFrameCapture(receiver, UdpPort, FrameCount, TransferLimit))
            {
                Send(sender, frames);
                got = capture.Wait();
                output.WriteLine($"captured {got.Count} test frames, {capture.Others} other frame(s), {capture.Duplicates} duplicate(s)");
            }

            AssertForwardedAndRewritten(frames, got);

            PmdStatsSnapshot stats = dp.GetPmdStats()[0];
            List<Upcall> upcalls = DrainUpcalls(dp.Pmds[0]);
            DatapathFlow flow = Assert.Single(dp.Pmds[0].DumpFlows());
            NetdevStats s1 = port1.GetStats();
            NetdevStats s2 = port2.GetStats();
            output.WriteLine(
                $"{portType}: pmd packets={stats.Packets} emc={stats.EmcHits} megaflow={stats.MegaflowHits} misses={stats.Misses} " +
                $"upcalls={stats.Upcalls} lost={stats.LostUpcalls} drops={stats.ActionDrops} unknown-port={stats.TxUnknownPort}");
            output.WriteLine($"flow {ActionFormatter.Format(flow.Actions)}: packets={flow.Packets} bytes={flow.Bytes}");
            output.WriteLine($"port 1: {s1}\nport 2: {s2}");
            foreach (Upcall u in upcalls)
            {
                output.WriteLine($"upcall: in_port={u.InPort} eth_type=0x{u.Key.EthType:x4} length={u.Length}");
            }

            // Stray packets (if any) may add to the totals; the test traffic itself must all hit the flow.
            Assert.True(stats.Packets >= FrameCount, $"the PMD received {stats.Packets} packets, fewer than the {FrameCount} sent");
            Assert.True(stats.EmcHits + stats.MegaflowHits >= FrameCount, $"only {stats.EmcHits} EMC + {stats.MegaflowHits} megaflow hits");
            Assert.Equal(stats.Packets, stats.EmcHits + stats.MegaflowHits + stats.Misses);
            Assert.DoesNotContain(upcalls, IsTestTraffic);
            Assert.Equal(0, stats.LostUpcalls);
            Assert.True(upcalls.Count >= stats.Misses, $"{stats.Misses} misses but {upcalls.Count} upcalls");
            Assert.True(flow.Packets >= FrameCount, $"the megaflow counted {flow.Packets} packets");
            Assert.Equal(0, stats.ActionDrops);
            Assert.Equal(0, stats.TxUnknownPort);
            Assert.True(s1.RxPackets >= FrameCount, $"port 1 received {s1.RxPackets}");
            Assert.True(s2.TxPackets >= FrameCount, $"port 2 sent {s2.TxPackets}");
            Assert.Equal(0, s2.TxDropped);
            Assert.Equal(0, s2.TxErrors);
        }
        finally
        {
            // The datapath stops its PMD before closing the ports it holds; closing twice is harmless.
            dp.Dispose();
            port1?.Dispose();
            port2?.Dispose();
        }
    }

    private static INetdev Open(string type, string ifname) => type switch
    {
        "afxdp" => new AfxdpNetdev(new AfxdpOptions(ifname)),
        "pcap" => new PcapNetdev(new PcapOptions(ifname)),
        _ => throw new ArgumentException($"unknown port type {type}", nameof(type)),
    };

    private static void Send(RawEthernetSocket sender, List<byte[]> frames)
    {
        for (int i = 0; i < frames.Count; i++)
        {
            sender.Send(frames[i]);

            // Paced so neither the veth's queue nor a PMD sharing two cores with the test falls behind.
            if (i % 16 == 15)
            {
                Thread.Sleep(1);
            }
        }
    }

    private static void AssertForwardedAndRewritten(List<byte[]> frames, Dictionary<int, byte[]> got)
    {
        List<int> missing = Enumerable.Range(0, frames.Count).Where(i => !got.ContainsKey(i)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {frames.Count} frames missing, first: {string.Join(',', missing.Take(10))}");
        byte[] rewritten = RewrittenSrc.GetAddressBytes();
        for (int i = 0; i < frames.Count; i++)
        {
            byte[] frame = got[i];
            var eth = (EthernetPacket)PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, frame);
            IPv4Packet ip = eth.Extract<IPv4Packet>() ?? throw new Xunit.Sdk.XunitException($"frame {i} is not IPv4");
            UdpPacket udp = eth.Extract<UdpPacket>() ?? throw new Xunit.Sdk.XunitException($"frame {i} is not UDP");
            Assert.Equal(RewrittenSrc, ip.SourceAddress);
            Assert.Equal(DstIp, ip.DestinationAddress);
            Assert.True(ip.ValidIPChecksum, $"frame {i}: bad IPv4 checksum 0x{ip.Checksum:x4}");
            Assert.NotEqual(0, udp.Checksum);
            Assert.True(udp.ValidUdpChecksum, $"frame {i}: bad UDP checksum 0x{udp.Checksum:x4}");

            // Everything else, MACs and payload included, is as sent.
            byte[] expected = (byte[])frames[i].Clone();
            rewritten.CopyTo(expected, ChecksummedUdpFrames.Ipv4SrcOffset);
            Assert.Equal(ChecksummedUdpFrames.WithoutChecksums(expected), ChecksummedUdpFrames.WithoutChecksums(frame));
        }
    }

    private static bool IsTestTraffic(Upcall u) =>
        u.Key.EthType == 0x0800 && ChecksummedUdpFrames.TryParse(u.Packet, UdpPort, out _);

    private static List<Upcall> DrainUpcalls(PmdThread pmd)
    {
        // The test is the slow path here: nothing else consumes the ring.
        var list = new List<Upcall>();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(5) && pmd.Upcalls.TryDequeue(out Upcall u))
        {
            list.Add(u);
        }

        return list;
    }
}
