using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Packets;
using PacketDotNet;
using PacketDotNet.Utils;
using Packet = FastPath.Packets.Packet;

namespace FastPath.Datapath.Tests;

/// <summary>
/// MPLS actions (push_mpls, pop_mpls, set(mpls), dec_mpls_ttl), each result taken apart by the
/// independent <see cref="MplsReference"/> decoder and, for the IP payload, by PacketDotNet.
/// </summary>
public sealed class ActionMplsTests : IDisposable
{
    private const ushort Unicast = 0x8847;
    private const ushort Multicast = 0x8848;
    private readonly ActionHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public void PushOntoIpv4TakesTtlAndTcFromTheIpHeaderAndLeavesThePayloadAlone()
    {
        // DSCP 46 (EF): OVS's TC is its low 3 bits, 6.
        byte[] frame = ActionTestPackets.Ipv4Tcp(ttl: 37, tos: 0xb8);
        Packet before = h.Load(frame);
        var (r, bytes, p, sink) = h.Run(frame, new ActionProgramBuilder().PushMpls(Unicast).Output(1));

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.True(r.Consumed);
        MplsFrame m = MplsReference.Decode(bytes);
        Assert.Equal(frame[..12], m.Macs);
        Assert.Empty(m.Tags);
        Assert.Equal(Unicast, m.EthType);
        Assert.Equal([new Lse(0, 6, true, 37)], m.Labels);
        Assert.Equal(frame[14..], m.Payload);
        AssertIpv4PayloadValid(m.Payload);
        Assert.Equal(bytes, sink.Deliveries.Single().BytesAtCall);

        // An MPLS packet has no L3 or L4 offset, as the parser gives it; the frame grew into the headroom.
        Assert.NotEqual(Packet.NoOffset, before.L4Offset);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, p);
        Assert.Equal(Packet.NoOffset, p.L3Offset);
        Assert.Equal(PacketPool.DefaultHeadroom - 4, h.Pool.HeadroomOf(p));
    }

    [Fact]
    public void IpActionsAfterAPushLeaveThePacketBehindTheLabelAlone()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp(ttl: 20);
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().PushMpls(Unicast)
            .SetIpv4Src(IPAddress.Parse("10.9.9.9")).DecTtl().SetTpDst(TransportProtocol.Tcp, 1).SetMplsTtl(5));

        Assert.Equal(3, r.Skipped);
        MplsFrame m = MplsReference.Decode(bytes);
        Assert.Equal([new Lse(0, 0, true, 5)], m.Labels);
        Assert.Equal(frame[14..], m.Payload);
    }

    [Fact]
    public void PushOntoIpv6UsesTheIpv6ExplicitNullLabelAndTheHopLimit()
    {
        byte[] frame = ActionTestPackets.Ipv6Tcp(hopLimit: 200);

        // Traffic class 0x2c: DSCP 11, TC 3.
        frame[14] = 0x62;
        frame[15] = (byte)((frame[15] & 0x0f) | 0xc0);
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().PushMpls(Multicast));

        Assert.Equal(ExecStatus.Completed, r.Status);
        MplsFrame m = MplsReference.Decode(bytes);
        Assert.Equal(Multicast, m.EthType);
        Assert.Equal([new Lse(2, 3, true, 200)], m.Labels);
        Assert.Equal(frame[14..], m.Payload);
        var ip = new IPv6Packet(new ByteArraySegment(m.Payload));
        Assert.Equal(200, ip.HopLimit);
        Assert.True(ip.Extract<TcpPacket>().ValidTcpChecksum);
    }

    [Fact]
    public void PushOntoAZeroTtlOrNonIpPacketUsesTtl64()
    {
        byte[] zeroTtl = ActionTestPackets.Ipv4Udp();
        zeroTtl[14 + 8] = 0;
        Assert.Equal([new Lse(0, 0, true, 64)], MplsReference.Decode(h.Run(zeroTtl, new ActionProgramBuilder().PushMpls(Unicast)).Bytes).Labels);

        byte[] arp = ActionTestPackets.Arp();
        var (r, bytes, _, _) = h.Run(arp, new ActionProgramBuilder().PushMpls(Unicast));
        Assert.Equal(ExecStatus.Completed, r.Status);
        MplsFrame m = MplsReference.Decode(bytes);
        Assert.Equal([new Lse(0, 0, true, 64)], m.Labels);
        Assert.Equal(arp[14..], m.Payload);
    }

    [Fact]
    public void AnExplicitEntryIsPushedVerbatim()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp(ttl: 9);
        var (_, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().PushMpls(Unicast, 0xabcde, 5, 250, bos: true));

        Assert.Equal([new Lse(0xabcde, 5, true, 250)], MplsReference.Decode(bytes).Labels);
        Assert.Equal(frame[14..], MplsReference.Decode(bytes).Payload);
    }

    [Fact]
    public void PushTwiceStacksACopyOfTheTopLabelAndPopTwiceRestoresTheFrame()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp(ttl: 50);
        Packet original = h.Load(frame);
        var (r, bytes, p, _) = h.Run(frame, new ActionProgramBuilder().PushMpls(Unicast).SetMplsLabel(1000).PushMpls(Unicast).SetMplsLabel(2000));

        Assert.Equal(ExecStatus.Completed, r.Status);
        MplsFrame m = MplsReference.Decode(bytes);

        // The second push copies the first entry (label 1000 by then) with BOS cleared.
        Assert.Equal([new Lse(2000, 0, false, 50), new Lse(1000, 0, true, 50)], m.Labels);
        Assert.Equal(frame[14..], m.Payload);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, p);

        var popped = h.Run(bytes, new ActionProgramBuilder().PopMpls(Unicast).PopMpls(0x0800));
        Assert.Equal(ExecStatus.Completed, popped.Result.Status);
        Assert.Equal(frame, popped.Bytes);
        ActionHarness.AssertOffsetsMatchFreshParse(popped.Bytes, popped.Packet);

        // In one program the frame comes back exactly where it started in its buffer, too.
        var both = h.Run(frame, new ActionProgramBuilder().PushMpls(Unicast).PushMpls(Unicast).PopMpls(Unicast).PopMpls(0x0800));
        Assert.Equal(frame, both.Bytes);
        Assert.Equal(PacketPool.DefaultHeadroom, h.Pool.HeadroomOf(both.Packet));
        Assert.Equal(original.L3Offset, both.Packet.L3Offset);
        Assert.Equal(original.L4Offset, both.Packet.L4Offset);
    }

    [Fact]
    public void PopOfAnInnerLabelKeepsTheFrameMpls()
    {
        byte[] frame = MplsReference.WithLabels(ActionTestPackets.Ipv4Udp(), Unicast, new Lse(16, 1, false, 9), new Lse(17, 2, true, 8));
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().PopMpls(Unicast));

        Assert.Equal(ExecStatus.Completed, r.Status);
        MplsFrame m = MplsReference.Decode(bytes);
        Assert.Equal(Unicast, m.EthType);
        Assert.Equal([new Lse(17, 2, true, 8)], m.Labels);
        Assert.Equal(ActionTestPackets.Ipv4Udp()[14..], m.Payload);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PopToIpRestoresTheFrameAndLaterIpActionsSeeTheHeaders(bool v6)
    {
        byte[] inner = v6 ? ActionTestPackets.Ipv6Tcp(hopLimit: 30) : ActionTestPackets.Ipv4Tcp(ttl: 30);
        byte[] frame = MplsReference.WithLabels(inner, Unicast, new Lse(100, 0, true, 77));
        var (r, bytes, p, _) = h.Run(frame, new ActionProgramBuilder().PopMpls(v6 ? (ushort)0x86dd : (ushort)0x0800));

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(inner, bytes);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, p);

        // After the pop the executor knows where L3 and L4 are: a TTL decrement and an address rewrite
        // land on the IP header and keep every checksum right.
        var program = new ActionProgramBuilder().PopMpls(v6 ? (ushort)0x86dd : (ushort)0x0800).DecTtl();
        program = v6 ? program.SetIpv6Src(IPAddress.Parse("2001:db8::77")) : program.SetIpv4Src(IPAddress.Parse("10.77.0.1"));
        var rewritten = h.Run(frame, program);
        Assert.Equal(ExecStatus.Completed, rewritten.Result.Status);
        Assert.Equal(0, rewritten.Result.Skipped);
        var parsed = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, rewritten.Bytes);
        if (v6)
        {
            Assert.Equal(29, parsed.Extract<IPv6Packet>().HopLimit);
            Assert.Equal(IPAddress.Parse("2001:db8::77"), parsed.Extract<IPv6Packet>().SourceAddress);
        }
        else
        {
            Assert.Equal(29, parsed.Extract<IPv4Packet>().TimeToLive);
            Assert.Equal(IPAddress.Parse("10.77.0.1"), parsed.Extract<IPv4Packet>().SourceAddress);
        }

        ActionHarness.AssertChecksumsValid(rewritten.Bytes);
    }

    [Theory]
    [InlineData((ushort)0x8100)]
    [InlineData((ushort)0x88a8)]
    public void PushGoesAfterTheVlanTagsAndPopTakesItBack(ushort outerTpid)
    {
        byte[] frame = ActionTestPackets.Tag(ActionTestPackets.Ipv4Udp(), 0x8100, 300);
        if (outerTpid == 0x88a8)
        {
            frame = ActionTestPackets.Tag(frame, 0x88a8, 7);
        }

        Packet before = h.Load(frame);
        var (r, bytes, p, _) = h.Run(frame, new ActionProgramBuilder().PushMpls(Unicast));

        Assert.Equal(ExecStatus.Completed, r.Status);
        MplsFrame m = MplsReference.Decode(bytes);
        MplsFrame original = MplsReference.Decode(frame);
        Assert.Equal(original.Tags, m.Tags);
        Assert.Equal(Unicast, m.EthType);
        Assert.Equal([new Lse(0, 0, true, 64)], m.Labels);
        Assert.Equal(original.Payload, m.Payload);
        Assert.Equal(12, p.VlanOffset);
        Assert.NotEqual(Packet.NoOffset, before.L3Offset);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, p);

        var popped = h.Run(bytes, new ActionProgramBuilder().PopMpls(0x0800));
        Assert.Equal(frame, popped.Bytes);
        ActionHarness.AssertOffsetsMatchFreshParse(popped.Bytes, popped.Packet);

        // pop_vlan after push_mpls removes the tag in front of the label, not the label.
        var untagged = h.Run(frame, new ActionProgramBuilder().PushMpls(Unicast).PopVlan());
        MplsFrame u = MplsReference.Decode(untagged.Bytes);
        Assert.Equal(original.Tags.Count - 1, u.Tags.Count);
        Assert.Equal([new Lse(0, 0, true, 64)], u.Labels);
    }

    [Fact]
    public void SetRewritesOnlyTheMaskedPartOfTheTopEntry()
    {
        byte[] frame = MplsReference.WithLabels(ActionTestPackets.Ipv4Udp(), Unicast, new Lse(16, 1, false, 9), new Lse(17, 2, true, 8));
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetMplsLabel(0xfffff));
        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal([new Lse(0xfffff, 1, false, 9), new Lse(17, 2, true, 8)], MplsReference.Decode(bytes).Labels);

        bytes = h.Run(frame, new ActionProgramBuilder().SetMplsTc(7).SetMplsTtl(0)).Bytes;
        Assert.Equal([new Lse(16, 7, false, 0), new Lse(17, 2, true, 8)], MplsReference.Decode(bytes).Labels);

        // A raw masked set: the low 4 label bits and the BOS bit.
        bytes = h.Run(frame, new ActionProgramBuilder().SetMplsLse(0x0000f100, 0x0000f100)).Bytes;
        Assert.Equal([new Lse(31, 1, true, 9)], MplsReference.Decode(bytes).Labels);
        Assert.Equal(frame[..14], bytes[..14]);
        Assert.Equal(frame[18..], bytes[18..]);
    }

    [Fact]
    public void DecMplsTtlDecrementsTheTopLabelOnly()
    {
        byte[] frame = MplsReference.WithLabels(ActionTestPackets.Ipv4Udp(), Unicast, new Lse(16, 1, false, 9), new Lse(17, 2, true, 8));
        var (r, bytes, _, sink) = h.Run(frame, new ActionProgramBuilder().DecMplsTtl().Output(2));

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal([new Lse(16, 1, false, 8), new Lse(17, 2, true, 8)], MplsReference.Decode(bytes).Labels);
        Assert.Equal(ActionTestPackets.Ipv4Udp()[14..], MplsReference.Decode(bytes).Payload);
        Assert.Single(sink.Deliveries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void DecMplsTtlAtOneOrZeroStopsThePacketAsDecTtlDoes(int ttl)
    {
        byte[] frame = MplsReference.WithLabels(ActionTestPackets.Ipv4Udp(), Unicast, new Lse(16, 0, true, ttl));
        var (r, bytes, _, sink) = h.Run(frame, new ActionProgramBuilder().Output(1).DecMplsTtl().Output(2));

        Assert.Equal(ExecStatus.TtlExpired, r.Status);
        Assert.False(r.Consumed);
        Assert.Equal(1, r.Outputs);
        Assert.Equal(1u, sink.Deliveries.Single().Port);
        Assert.Equal(frame, bytes);
        h.Pool.Free(sink.Deliveries[0].Handle);
    }

    [Fact]
    public void MplsActionsOnAPacketWithoutLabelsAreSkipped()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        var (r, bytes, p, _) = h.Run(frame, new ActionProgramBuilder().PopMpls(0x0800).DecMplsTtl().SetMplsLabel(5).SetMplsTtl(1).Output(1));

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(4, r.Skipped);
        Assert.Equal(frame, bytes);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, p);
    }

    [Fact]
    public void ACutLabelStackIsSkippedAndAnyTruncationStaysInBounds()
    {
        byte[] program = new ActionProgramBuilder().SetMplsTtl(3).DecMplsTtl().PopMpls(Unicast).PushMpls(Multicast).PopMpls(0x86dd).Output(1).ToArray();
        byte[] full = MplsReference.WithLabels(ActionTestPackets.Tag(ActionTestPackets.Ipv6Udp(), 0x8100, 5), Unicast,
            new Lse(1, 0, false, 40), new Lse(2, 0, true, 40));
        for (int len = 0; len <= full.Length; len++)
        {
            var (r, bytes, p, _) = h.Run(full[..len], program);
            Assert.Equal(ExecStatus.Completed, r.Status);
            Assert.True(bytes.Length == len || bytes.Length == len - 4, $"length {len} became {bytes.Length}");

            // 12 MACs + 4 tag + 2 type + 4 label: below that no label is whole, so nothing moves.
            if (len < 22)
            {
                Assert.Equal(full[..len], bytes);
            }

            h.Pool.Free(p);
        }
    }

    [Fact]
    public void PushWithoutHeadroomStopsThePacket()
    {
        using var tight = new ActionHarness(headroom: 0);
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        var (r, bytes, _, sink) = tight.Run(frame, new ActionProgramBuilder().PushMpls(Unicast).Output(1));

        Assert.Equal(ExecStatus.NoHeadroom, r.Status);
        Assert.Empty(sink.Deliveries);
        Assert.Equal(frame, bytes);
    }

    [Fact]
    public void PushOntoAn8023FrameIsSkipped()
    {
        byte[] frame = new byte[60];
        frame[12] = 0x00;
        frame[13] = 46; // an 802.3 length
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().PushMpls(Unicast));

        Assert.Equal(1, r.Skipped);
        Assert.Equal(frame, bytes);
    }

    [Fact]
    public void MplsActionsAllocateNothing()
    {
        byte[] push = new ActionProgramBuilder().PushMpls(Unicast).SetMplsLabel(99).PushMpls(Unicast).DecMplsTtl().SetMplsTc(3).Output(1).ToArray();
        byte[] pop = new ActionProgramBuilder().PopMpls(Unicast).PopMpls(0x0800).DecTtl().Output(1).ToArray();
        Packet p = h.Load(ActionTestPackets.Ipv4Tcp(ttl: 255));
        var sink = new NullSink();

        int runs = 0;
        Action work = () =>
        {
            Cycle(ref p, 10_000);
            runs++;
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(work));
        Assert.Equal(runs * 10_000 * 2, sink.Outputs);

        void Cycle(ref Packet packet, int rounds)
        {
            for (int i = 0; i < rounds; i++)
            {
                ExecResult a = ActionExecutor.Execute(h.Pool, ref packet, push, ref sink);
                ExecResult b = ActionExecutor.Execute(h.Pool, ref packet, pop, ref sink);
                if (!a.IsCompleted || !b.IsCompleted)
                {
                    throw new InvalidOperationException($"{a} / {b}");
                }

                // dec_ttl lowers the IP TTL each round; put it back so the loop never expires.
                h.Pool.GetData(packet)[14 + 8] = 255;
            }
        }
    }

    private static void AssertIpv4PayloadValid(byte[] payload)
    {
        var ip = new IPv4Packet(new ByteArraySegment(payload));
        Assert.True(ip.ValidIPChecksum);
        Assert.True(ip.Extract<TcpPacket>().ValidTcpChecksum);
    }

    /// <summary>Counts outputs; keeps the frame with the executor's caller (ignores the ownership hand-off, fine for a loop on one packet).</summary>
    private struct NullSink : IActionSink
    {
        public int Outputs;

        public void Output(uint port, ref Packet packet, bool isLast) => Outputs++;

        public void Userspace(ulong cookie, ref Packet packet)
        {
        }
    }
}
