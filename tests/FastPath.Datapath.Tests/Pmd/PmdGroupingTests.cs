using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>One batch holding packets of many megaflows, interleaved: each flow's actions, each port's order.</summary>
public class PmdGroupingTests
{
    [Fact]
    public void InterleavedFlowsInOneBatchEachGetTheirOwnActionsInOrder()
    {
        using var pmd = new PmdThread(-1, new PmdOptions { EmcInsertInvProb = 0 });
        using var input = new MemoryNetdev("in", frameCount: 64);
        var outputs = new MemoryNetdev[4];
        for (uint port = 0; port < 4; port++)
        {
            outputs[port] = new MemoryNetdev($"out{port}");
            pmd.TrySubmit(PmdCommand.PortAdd(10 + port, outputs[port].GetTxQueue(0)));
        }

        // Flow f matches source 10.0.f.0/24, rewrites the destination to 192.0.2.f and outputs to port 10 + f % 4.
        for (int f = 0; f < 20; f++)
        {
            FlowMatch m = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src($"10.0.{f}.0/24").Build();
            byte[] actions = new ActionProgramBuilder().SetIpv4Dst(IPAddress.Parse($"192.0.2.{f}")).Output((uint)(10 + (f % 4))).ToArray();
            pmd.TrySubmit(PmdCommand.FlowPut(m, actions));
        }

        pmd.TrySubmit(PmdCommand.RxqAdd(1, input.GetRxQueue(0)));
        int spins = 0;
        pmd.RunInline(() => ++spins > 2);

        // 32 packets, flows repeating in runs and out of order, plus one miss; sequence number in the source port.
        int[] flowOf = [0, 0, 5, 1, 5, 19, 2, 2, 2, 7, 0, 13, 1, 19, 3, 4, 4, 6, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 5, 0, 3, -1];
        for (int seq = 0; seq < flowOf.Length; seq++)
        {
            string src = flowOf[seq] >= 0 ? $"10.0.{flowOf[seq]}.1" : "10.9.9.9";
            input.Inject(TestPackets.Udp4(src, "10.200.0.1", (ushort)(1000 + seq), 5000));
        }

        spins = 0;
        pmd.RunInline(() => ++spins > 4);

        for (int port = 0; port < 4; port++)
        {
            int[] expected = Enumerable.Range(0, flowOf.Length).Where(s => flowOf[s] >= 0 && flowOf[s] % 4 == port).ToArray();
            var got = outputs[port].Sent.ToArray();
            Assert.Equal(expected.Length, got.Length);
            for (int k = 0; k < got.Length; k++)
            {
                var p = new Packet { Length = (ushort)got[k].Length };
                FlowExtractor.Extract(got[k], ref p, out FlowKey key);
                int seq = key.TpSrc - 1000;
                Assert.Contains(seq, expected);
                Assert.Equal(0xc0000200u | (uint)flowOf[seq], key.Ipv4Dst);
            }

            // Within one flow, packets keep their arrival order.
            foreach (var flowGroup in got.Select(SeqOf).GroupBy(s => flowOf[s]))
            {
                Assert.Equal(flowGroup.OrderBy(s => s), flowGroup);
            }
        }

        PmdStatsSnapshot stats = pmd.PeekStats();
        Assert.Equal(32, stats.Packets);
        Assert.Equal(31, stats.MegaflowHits);
        Assert.Equal(1, stats.Misses);
        foreach (var o in outputs)
        {
            o.Dispose();
        }
    }

    [Fact]
    public void ABatchOfOneFlowRunsItsActionsOnEveryPacketAndFreesWhatTheyDrop()
    {
        using var pmd = new PmdThread(-1, new PmdOptions { EmcInsertInvProb = 1 });
        using var input = new MemoryNetdev("in", frameCount: 64);
        using var output = new MemoryNetdev("out");
        pmd.TrySubmit(PmdCommand.PortAdd(2, output.GetTxQueue(0)));
        FlowMatch m = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Build();
        pmd.TrySubmit(PmdCommand.FlowPut(m, new ActionProgramBuilder().PushVlan(EtherTypes.Vlan8021Q, 7).DecTtl().Output(2).ToArray()));
        pmd.TrySubmit(PmdCommand.RxqAdd(1, input.GetRxQueue(0)));
        int spins = 0;
        pmd.RunInline(() => ++spins > 2);

        // 32 packets of the one flow, every fourth with TTL 1: dec_ttl drops those, the rest leave tagged.
        long bytes = 0;
        for (int seq = 0; seq < 32; seq++)
        {
            byte[] frame = TestPackets.Udp4("10.0.0.1", "10.200.0.1", (ushort)(1000 + seq), 5000);
            if (seq % 4 == 3)
            {
                frame[14 + 8] = 1;
            }

            bytes += frame.Length;
            input.Inject(frame);
        }

        spins = 0;
        pmd.RunInline(() => ++spins > 4);

        byte[][] sent = output.Sent.ToArray();
        Assert.Equal(24, sent.Length);
        Assert.All(sent, f => Assert.Equal(0x81, f[12]));
        Assert.Equal(Enumerable.Range(0, 32).Where(s => s % 4 != 3), sent.Select(SeqOf));
        PmdStatsSnapshot stats = pmd.PeekStats();
        Assert.Equal(8, stats.ActionDrops);
        Assert.Equal(32, stats.EmcHits + stats.MegaflowHits);
        PmdCommand dump = PmdCommand.FlowDump(0, 10);
        pmd.TrySubmit(dump);
        spins = 0;
        pmd.RunInline(() => ++spins > 2);
        DatapathFlow flow = Assert.Single(dump.Flows!);
        Assert.Equal(32, flow.Packets);
        Assert.Equal(bytes, flow.Bytes);
        PacketPool pool = input.GetRxQueue(0).Pool;
        Assert.Equal(pool.FrameCount, pool.FreeCount);
    }

    private static int SeqOf(byte[] frame)
    {
        var p = new Packet { Length = (ushort)frame.Length };
        FlowExtractor.Extract(frame, ref p, out FlowKey key);
        return key.TpSrc - 1000;
    }
}
