using System.Diagnostics;
using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Memory;
using FastPath.Datapath.Ports.Replay;
using FastPath.Packets;
using PacketDotNet;

namespace FastPath.Datapath.Tests.Pmd;

public class PmdThreadTests
{
    private static void WaitFor(Func<bool> done, int seconds = 10)
    {
        var sw = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(seconds), "timed out waiting for the PMD");
            Thread.Sleep(2);
        }
    }

    /// <summary>A started one-PMD datapath with a memory port under each of <paramref name="portNos"/>.</summary>
    private static (NetdevDatapath Dp, MemoryNetdev[] Ports) StartWithPorts(PmdOptions? options, params uint[] portNos)
    {
        var dp = new NetdevDatapath([-1], options);
        dp.Start();
        var ports = new MemoryNetdev[portNos.Length];
        for (int i = 0; i < portNos.Length; i++)
        {
            ports[i] = new MemoryNetdev($"p{portNos[i]}");
            dp.AddPort(ports[i], portNos[i]);
        }

        return (dp, ports);
    }

    [Fact]
    public void ForwardsAndRewritesWithValidChecksums()
    {
        var (dp, ports) = StartWithPorts(null, 1, 2);
        using var _ = dp;
        var (p1, p2) = (ports[0], ports[1]);
        dp.PutFlow(PmdTestFlows.Ipv4FromPort1, PmdTestFlows.RewriteAndOutput(2));
        for (int i = 0; i < 100; i++)
        {
            p1.Inject(TestPackets.Udp4($"10.0.0.{i + 1}", "10.200.0.1", (ushort)(1000 + i), 5000));
        }

        WaitFor(() => p2.Sent.Count == 100);
        foreach (byte[] sent in p2.Sent)
        {
            var ip = (IPv4Packet)PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, sent).PayloadPacket;
            Assert.Equal(PmdTestFlows.RewrittenSource, ip.SourceAddress);
            Assert.True(ip.ValidIPChecksum);
            Assert.True(((UdpPacket)ip.PayloadPacket).ValidUdpChecksum);
        }

        PmdStatsSnapshot s = dp.GetPmdStats()[0];
        Assert.Equal(100, s.Packets);
        Assert.Equal(100, s.EmcHits + s.MegaflowHits);
        Assert.Equal(0, s.Misses);
        Assert.Equal(100, p2.GetStats().TxPackets);
    }

    [Fact]
    public void MissesGoToTheUpcallRingWithKeyAndInPort()
    {
        var (dp, ports) = StartWithPorts(null, 5);
        using var _ = dp;
        MemoryNetdev p1 = ports[0];
        byte[] pkt = TestPackets.Udp4("10.1.2.3", "10.200.0.1", 7, 9);
        p1.Inject(pkt);
        PmdThread pmd = dp.Pmds[0];
        Upcall u = default;
        WaitFor(() => pmd.Upcalls.TryDequeue(out u));
        Assert.Equal(UpcallReason.Miss, u.Reason);
        Assert.Equal(5u, u.InPort);
        Assert.Equal(5u, u.Key.InPort);
        Assert.Equal(0x0a010203u, u.Key.Ipv4Src);
        Assert.Equal(pkt, u.Packet.ToArray());
        Assert.Equal(1, dp.GetPmdStats()[0].Upcalls);
        Assert.Equal(p1.GetRxQueue(0).Pool.FrameCount, p1.GetRxQueue(0).Pool.FreeCount);
    }

    [Fact]
    public void FullUpcallRingDropsAndCounts()
    {
        var (dp, ports) = StartWithPorts(new PmdOptions { UpcallRingSize = 4 }, 1);
        using var _ = dp;
        MemoryNetdev p1 = ports[0];
        // Ten different flows, so duplicate suppression has nothing to do: the ring alone decides.
        for (int i = 0; i < 10; i++)
        {
            p1.Inject(TestPackets.Udp4("10.1.2.3", "10.200.0.1", (ushort)(7 + i), 9));
        }

        WaitFor(() => dp.GetPmdStats()[0].Misses == 10);
        PmdStatsSnapshot s = dp.GetPmdStats()[0];
        Assert.Equal(4, s.Upcalls);
        Assert.Equal(6, s.LostUpcalls);
    }

    [Fact]
    public void DeletedFlowStopsMatchingEvenFromTheEmc()
    {
        var (dp, ports) = StartWithPorts(new PmdOptions { EmcInsertInvProb = 1 }, 1, 2);
        using var _ = dp;
        var (p1, p2) = (ports[0], ports[1]);
        dp.PutFlow(PmdTestFlows.Ipv4FromPort1, PmdTestFlows.RewriteAndOutput(2));
        byte[] pkt = TestPackets.Udp4("10.0.0.1", "10.200.0.1", 1, 2);
        for (int i = 0; i < 5; i++)
        {
            // One at a time: a packet finds the EMC entry only if an earlier batch inserted it.
            p1.Inject(pkt);
            WaitFor(() => p2.Sent.Count == i + 1);
        }

        Assert.True(dp.GetPmdStats()[0].EmcHits >= 3);
        Assert.True(dp.DeleteFlow(PmdTestFlows.Ipv4FromPort1));
        Assert.False(dp.DeleteFlow(PmdTestFlows.Ipv4FromPort1));
        p1.Inject(pkt);
        WaitFor(() => dp.GetPmdStats()[0].Misses == 1);
        Assert.Equal(5, p2.Sent.Count);
    }

    [Fact]
    public void ExecuteRunsActionsOnAPacketFromTheSlowPath()
    {
        var (dp, ports) = StartWithPorts(null, 2, 3);
        using var _ = dp;
        var (p2, p3) = (ports[0], ports[1]);
        byte[] actions = new ActionProgramBuilder().Output(2).PushVlan(EtherTypes.Vlan8021Q, 42).Output(3).ToArray();
        PmdCommand r = dp.Pmds[0].Call(PmdCommand.Execute(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2), 1, actions));
        Assert.True(r.Ok, r.Error);
        WaitFor(() => p2.Sent.Count == 1 && p3.Sent.Count == 1);
        p3.Sent.TryPeek(out byte[]? tagged);
        var eth = (EthernetPacket)PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, tagged!);
        Assert.Equal(EthernetType.VLanTaggedFrame, eth.Type);
        p2.Sent.TryPeek(out byte[]? plain);
        Assert.Equal(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2), plain);
    }

    [Fact]
    public void ExecuteWithABadProgramIsRefused()
    {
        using var dp = new NetdevDatapath([-1]);
        dp.Start();
        PmdCommand r = dp.Pmds[0].Call(PmdCommand.Execute(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2), 1, [1, 0, 3]));
        Assert.False(r.Ok);
        Assert.Contains("invalid action program", r.Error);
    }

    [Fact]
    public void OutputToAnUnknownPortIsCountedAndTheFrameFreed()
    {
        var (dp, ports) = StartWithPorts(null, 1);
        using var _ = dp;
        MemoryNetdev p1 = ports[0];
        dp.PutFlow(PmdTestFlows.Ipv4FromPort1, PmdTestFlows.RewriteAndOutput(77));
        p1.Inject(TestPackets.Udp4("10.0.0.1", "10.200.0.1", 1, 2));
        WaitFor(() => dp.GetPmdStats()[0].TxUnknownPort == 1);
        WaitFor(() => p1.GetRxQueue(0).Pool.FreeCount == p1.GetRxQueue(0).Pool.FrameCount);
    }

    [Fact]
    public void FlowDumpShowsCounters()
    {
        var (dp, ports) = StartWithPorts(null, 1, 2);
        using var _ = dp;
        var (p1, p2) = (ports[0], ports[1]);
        dp.PutFlow(PmdTestFlows.Ipv4FromPort1, PmdTestFlows.RewriteAndOutput(2));
        for (int i = 0; i < 3; i++)
        {
            p1.Inject(TestPackets.Udp4("10.0.0.1", "10.200.0.1", 1, 2));
        }

        WaitFor(() => p2.Sent.Count == 3);
        DatapathFlow f = Assert.Single(dp.Pmds[0].DumpFlows());
        Assert.Equal(3, f.Packets);
        Assert.Equal(3L * TestPackets.Udp4("10.0.0.1", "10.200.0.1", 1, 2).Length, f.Bytes);
        Assert.Equal("in_port(1),eth_type(0x0800)", MatchFormatter.Format(f.Match));
    }

    [Fact]
    public void RxQueuesMoveBetweenPmdsWithoutLosingTraffic()
    {
        using var dp = new NetdevDatapath([-1, -1]);
        dp.Start();
        var p1 = new MemoryNetdev2Tx("p1");
        var p2 = new MemoryNetdev2Tx("p2");
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        dp.PutFlow(new MatchBuilder().InPort(1).Build(), new ActionProgramBuilder().Output(2).ToArray());
        dp.PutFlow(new MatchBuilder().InPort(2).Build(), new ActionProgramBuilder().Output(1).ToArray());
        Assert.NotSame(dp.Placement[(1, 0)], dp.Placement[(2, 0)]);
        for (int i = 0; i < 50; i++)
        {
            p1.Inject(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2));
        }

        WaitFor(() => p2.SentCount == 50);
        dp.Rebalance(RxqAssignment.Cycles);
        dp.Rebalance(RxqAssignment.RoundRobin);
        for (int i = 0; i < 50; i++)
        {
            p1.Inject(TestPackets.Udp4("10.0.0.1", "10.0.0.2", 1, 2));
            p2.Inject(TestPackets.Udp4("10.0.0.2", "10.0.0.1", 2, 1));
        }

        WaitFor(() => p2.SentCount == 100 && p1.SentCount == 50);
    }

    [Fact]
    public void PortsWithoutATxQueueAreRefused()
    {
        using var dp = new NetdevDatapath([-1, -1]);
        dp.Start();
        var e = Assert.Throws<ArgumentException>(() => dp.AddPort(new NoTxNetdev(), 1));
        Assert.Contains("no tx queue", e.Message);
    }

    private sealed class NoTxNetdev : INetdev
    {
        public string Name => "notx";

        public string Type => "memory";

        public int RxQueueCount => 0;

        public int TxQueueCount => 0;

        public IRxQueue GetRxQueue(int index) => throw new ArgumentOutOfRangeException(nameof(index));

        public ITxQueue GetTxQueue(int index) => throw new ArgumentOutOfRangeException(nameof(index));

        public NetdevStats GetStats() => default;

        public void Dispose()
        {
        }
    }

    /// <summary>A memory port with two tx queues, so two PMDs can each own one.</summary>
    private sealed class MemoryNetdev2Tx(string name) : INetdev
    {
        private readonly MemoryNetdev a = new(name);
        private readonly MemoryNetdev b = new(name + "-b");

        public string Name => name;

        public string Type => "memory";

        public int RxQueueCount => 1;

        public int TxQueueCount => 2;

        public int SentCount => a.Sent.Count + b.Sent.Count;

        public void Inject(byte[] p) => a.Inject(p);

        public IRxQueue GetRxQueue(int index) => a.GetRxQueue(index);

        public ITxQueue GetTxQueue(int index) => index == 0 ? a.GetTxQueue(0) : b.GetTxQueue(0);

        public NetdevStats GetStats() => a.GetStats();

        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
