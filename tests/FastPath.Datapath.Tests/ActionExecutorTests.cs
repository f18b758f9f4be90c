using System.Buffers.Binary;
using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Packets;
using PacketDotNet;
using Packet = FastPath.Packets.Packet;

namespace FastPath.Datapath.Tests;

/// <summary>Executor behaviour: L2 rewrites, VLAN push/pop, dec_ttl, outputs and their ownership, skipped actions, allocation.</summary>
public sealed class ActionExecutorTests : IDisposable
{
    private const int L3 = 14;
    private readonly ActionHarness h = new();

    public void Dispose() => h.Dispose();

    [Fact]
    public void EthernetAddressesAreRewrittenMaskedAndUnmasked()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        byte[] dst = [0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f];
        byte[] src = [0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff];
        byte[] srcMask = [0xff, 0xff, 0xff, 0x00, 0x00, 0x0f];
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetEthDst(dst).SetEthSrc(src, srcMask));

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(dst, bytes[..6]);
        byte[] expectedSrc = frame[6..12].Select((b, i) => (byte)((b & ~srcMask[i]) | (src[i] & srcMask[i]))).ToArray();
        Assert.Equal(expectedSrc, bytes[6..12]);
        Assert.Equal(frame[12..], bytes[12..]);
    }

    [Fact]
    public void PushVlanInsertsTheTagInTheHeadroomAndShiftsOffsets()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        Packet before = h.Load(frame);
        const ushort tci = (5 << 13) | 100;
        var (r, bytes, p, _) = h.Run(frame, new ActionProgramBuilder().PushVlan(0x8100, tci));

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(ActionTestPackets.Tag(frame, 0x8100, tci), bytes);
        Assert.Equal(PacketPool.DefaultHeadroom - 4, h.Pool.HeadroomOf(p));
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, p);
        Assert.Equal(12, p.VlanOffset);
        Assert.Equal(before.L3Offset + 4, p.L3Offset);
        Assert.Equal(before.L4Offset + 4, p.L4Offset);

        ActionHarness.Parse(bytes, out FlowKey key);
        Assert.Equal(0x8100, key.Vlan0Tpid);
        Assert.Equal(tci | FlowKey.VlanCfi, key.Vlan0Tci);
        var vlan = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<Ieee8021QPacket>();
        Assert.Equal(100, vlan.VlanIdentifier);
        Assert.Equal(5, (int)vlan.PriorityControlPoint);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Fact]
    public void PopVlanRestoresTheUntaggedFrame()
    {
        byte[] frame = ActionTestPackets.Ipv6Udp();
        byte[] tagged = ActionTestPackets.Tag(frame, 0x8100, 0x0123);
        var (r, bytes, p, _) = h.Run(tagged, new ActionProgramBuilder().PopVlan());

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(0, r.Skipped);
        Assert.Equal(frame, bytes);
        Assert.Equal(PacketPool.DefaultHeadroom + 4, h.Pool.HeadroomOf(p));
        Assert.Equal(Packet.NoOffset, p.VlanOffset);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, p);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Fact]
    public void PushThenPopIsARoundTrip()
    {
        byte[] frame = ActionTestPackets.Ipv4Udp();
        Packet loaded = h.Load(frame);
        var (r, bytes, p, _) = h.Run(frame, new ActionProgramBuilder().PushVlan(0x8100, 42).PopVlan());

        Assert.Equal(0, r.Skipped);
        Assert.Equal(frame, bytes);
        Assert.Equal(PacketPool.DefaultHeadroom, h.Pool.HeadroomOf(p));
        Assert.Equal(loaded.L3Offset, p.L3Offset);
        Assert.Equal(loaded.L4Offset, p.L4Offset);
        Assert.Equal(Packet.NoOffset, p.VlanOffset);
    }

    [Fact]
    public void QinQPushNestsTagsAndPopsOuterFirst()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        byte[] inner = ActionTestPackets.Tag(frame, 0x8100, 10);
        byte[] both = ActionTestPackets.Tag(inner, 0x88a8, (3 << 13) | 100);
        var (r, bytes, p, _) = h.Run(frame, new ActionProgramBuilder().PushVlan(0x8100, 10).PushVlan(0x88a8, (3 << 13) | 100));

        Assert.Equal(0, r.Skipped);
        Assert.Equal(both, bytes);
        ActionHarness.AssertOffsetsMatchFreshParse(bytes, p);
        ActionHarness.Parse(bytes, out FlowKey key);
        Assert.Equal(0x88a8, key.Vlan0Tpid);
        Assert.Equal((3 << 13) | 100 | FlowKey.VlanCfi, key.Vlan0Tci);
        Assert.Equal(0x8100, key.Vlan1Tpid);
        Assert.Equal(10 | FlowKey.VlanCfi, key.Vlan1Tci);
        ActionHarness.AssertChecksumsValid(bytes);

        // Popping the outer tag exposes the inner one as the new outermost tag.
        var (_, once, p1, _) = h.Run(both, new ActionProgramBuilder().PopVlan());
        Assert.Equal(inner, once);
        Assert.Equal(12, p1.VlanOffset);
        ActionHarness.AssertOffsetsMatchFreshParse(once, p1);

        var (_, twice, p2, _) = h.Run(both, new ActionProgramBuilder().PopVlan().PopVlan());
        Assert.Equal(frame, twice);
        Assert.Equal(Packet.NoOffset, p2.VlanOffset);
        ActionHarness.AssertOffsetsMatchFreshParse(twice, p2);
    }

    [Fact]
    public void RewritesAfterPushUseTheShiftedOffsets()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        var b = new ActionProgramBuilder()
            .PushVlan(0x8100, 7)
            .SetIpv4Src(IPAddress.Parse("192.0.2.1"))
            .SetTpDst(TransportProtocol.Tcp, 8443)
            .SetVlanPcp(4);
        var (r, bytes, _, _) = h.Run(frame, b);

        Assert.Equal(0, r.Skipped);
        var parsed = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), parsed.Extract<IPv4Packet>().SourceAddress);
        Assert.Equal(8443, parsed.Extract<TcpPacket>().DestinationPort);
        Assert.Equal((4 << 13) | 7, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(14)));
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Fact]
    public void PopVlanOnAnUntaggedFrameIsSkipped()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().PopVlan());
        Assert.Equal(1, r.Skipped);
        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(frame, bytes);
    }

    [Fact]
    public void SetVlanVidAndPcpKeepTheOtherTciBits()
    {
        const ushort tci = (3 << 13) | 0x1000 | 0x123; // PCP 3, DEI set, VID 0x123
        byte[] tagged = ActionTestPackets.Tag(ActionTestPackets.Ipv4Udp(), 0x8100, tci);

        var (_, vid, _, _) = h.Run(tagged, new ActionProgramBuilder().SetVlanVid(0x456));
        Assert.Equal((3 << 13) | 0x1000 | 0x456, BinaryPrimitives.ReadUInt16BigEndian(vid.AsSpan(14)));

        var (_, pcp, _, _) = h.Run(vid, new ActionProgramBuilder().SetVlanPcp(6));
        Assert.Equal((6 << 13) | 0x1000 | 0x456, BinaryPrimitives.ReadUInt16BigEndian(pcp.AsSpan(14)));
        Assert.Equal(tagged[16..], pcp[16..]);

        var (r, untouched, _, _) = h.Run(ActionTestPackets.Ipv4Udp(), new ActionProgramBuilder().SetVlanVid(5));
        Assert.Equal(1, r.Skipped);
        Assert.Equal(ActionTestPackets.Ipv4Udp(), untouched);
    }

    [Fact]
    public void DecTtlDecrementsIpv4TtlAndFixesTheHeaderChecksum()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp(ttl: 64);
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().DecTtl().Output(3));

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(63, PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IPv4Packet>().TimeToLive);
        Assert.Equal(frame[(L3 + 20)..], bytes[(L3 + 20)..]);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Fact]
    public void DecTtlDecrementsTheIpv6HopLimit()
    {
        byte[] frame = ActionTestPackets.Ipv6Tcp(hopLimit: 2);
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().DecTtl().Output(3));

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(1, PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IPv6Packet>().HopLimit);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    [InlineData(true, 0)]
    public void DecTtlAtOneOrZeroStopsThePacket(bool v6, int ttl)
    {
        byte[] frame = v6 ? ActionTestPackets.Ipv6Tcp(hopLimit: ttl) : ActionTestPackets.Ipv4Tcp(ttl: ttl);
        var (r, bytes, _, sink) = h.Run(frame, new ActionProgramBuilder().Output(1).DecTtl().Output(2));

        Assert.Equal(ExecStatus.TtlExpired, r.Status);
        Assert.False(r.Consumed);
        Assert.Equal(1, r.Outputs);
        Assert.Single(sink.Deliveries);
        Assert.Equal(1u, sink.Deliveries[0].Port);
        Assert.Equal(frame, bytes);
    }

    [Fact]
    public void DecTtlOnANonIpFrameIsSkipped()
    {
        byte[] arp = ActionTestPackets.Arp();
        var (r, bytes, _, _) = h.Run(arp, new ActionProgramBuilder().DecTtl().SetIpv4Src(IPAddress.Parse("1.2.3.4")));
        Assert.NotEqual(Packet.NoOffset, ActionHarness.Parse(arp, out _).L3Offset);
        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(2, r.Skipped);
        Assert.Equal(arp, bytes);
    }

    [Fact]
    public void OutputToSeveralPortsClonesEveryOutputButTheLast()
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        var b = new ActionProgramBuilder()
            .Output(1)
            .SetIpv4Dst(IPAddress.Parse("10.1.1.1"))
            .Output(2)
            .SetTpDst(TransportProtocol.Tcp, 8080)
            .Output(3);
        int free = h.Pool.FreeCount;
        var (r, bytes, p, sink) = h.Run(frame, b);

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.True(r.Consumed);
        Assert.Equal(3, r.Outputs);
        Assert.Equal([1u, 2u, 3u], sink.Deliveries.Select(d => d.Port));
        Assert.Equal([false, false, true], sink.Deliveries.Select(d => d.IsLast));

        // Each port saw the packet as it was at its output.
        Assert.Equal(frame, sink.Deliveries[0].BytesAtCall);
        var at2 = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, sink.Deliveries[1].BytesAtCall);
        Assert.Equal(IPAddress.Parse("10.1.1.1"), at2.Extract<IPv4Packet>().DestinationAddress);
        Assert.Equal(80, at2.Extract<TcpPacket>().DestinationPort);
        var at3 = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes);
        Assert.Equal(IPAddress.Parse("10.1.1.1"), at3.Extract<IPv4Packet>().DestinationAddress);
        Assert.Equal(8080, at3.Extract<TcpPacket>().DestinationPort);

        // The clones live in their own frames and were not touched by the later rewrites; the last
        // output received the original frame itself.
        for (int i = 0; i < 2; i++)
        {
            Packet clone = sink.Deliveries[i].Handle;
            Assert.NotEqual(p.FrameAddr(PacketPool.DefaultFrameSize), clone.FrameAddr(PacketPool.DefaultFrameSize));
            Assert.Equal(sink.Deliveries[i].BytesAtCall, h.Bytes(clone));
        }

        Assert.Equal(p.Addr, sink.Deliveries[2].Handle.Addr);
        Assert.Equal(free - 3, h.Pool.FreeCount);
        foreach (Delivery d in sink.Deliveries)
        {
            ActionHarness.AssertChecksumsValid(d.BytesAtCall);
        }
    }

    [Fact]
    public void ProgramsNotEndingInOutputLeaveThePacketWithTheCaller()
    {
        var (r, _, _, sink) = h.Run(ActionTestPackets.Ipv4Tcp(), new ActionProgramBuilder().Output(5).SetIpv4Ttl(9));
        Assert.False(r.Consumed);
        Assert.Equal(1, r.Outputs);
        Assert.False(Assert.Single(sink.Deliveries).IsLast);

        var (empty, _, _, none) = h.Run(ActionTestPackets.Ipv4Tcp(), ReadOnlySpan<byte>.Empty);
        Assert.Equal(ExecStatus.Completed, empty.Status);
        Assert.False(empty.Consumed);
        Assert.Empty(none.Deliveries);
    }

    [Fact]
    public void UserspaceHandsTheCookieToTheSinkAndExecutionContinues()
    {
        byte[] frame = ActionTestPackets.Ipv4Udp();
        var (r, bytes, _, sink) = h.Run(frame, new ActionProgramBuilder().Userspace(0xfeedface_01234567).SetIpv4Ttl(5).Output(4));

        Assert.Equal(1, r.Upcalls);
        Assert.Equal(1, r.Outputs);
        Assert.True(r.Consumed);
        Delivery up = sink.Deliveries[0];
        Assert.True(up.IsUserspace);
        Assert.Equal(0xfeedface_01234567UL, up.Cookie);
        Assert.Equal(frame, up.BytesAtCall);
        Assert.Equal(4u, sink.Deliveries[1].Port);
        Assert.Equal(5, PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IPv4Packet>().TimeToLive);
    }

    [Fact]
    public void ActionsWhoseHeaderIsAbsentAreSkippedAndCounted()
    {
        byte[] frame = ActionTestPackets.Ipv4Udp();
        var b = new ActionProgramBuilder()
            .SetTpSrc(TransportProtocol.Tcp, 1)
            .SetTpDst(TransportProtocol.Sctp, 1)
            .SetIpv6Src(IPAddress.Parse("2001:db8::9"))
            .SetIpv6HopLimit(3)
            .SetIpv6Tc(1)
            .SetVlanVid(3)
            .PopVlan()
            .Output(1);
        var (r, bytes, _, _) = h.Run(frame, b);

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(7, r.Skipped);
        Assert.True(r.Consumed);
        Assert.Equal(frame, bytes);

        // And the other way round: IPv4 and UDP actions on an IPv6 TCP packet.
        byte[] v6 = ActionTestPackets.Ipv6Tcp();
        var (r6, bytes6, _, _) = h.Run(v6, new ActionProgramBuilder().SetIpv4Dst(IPAddress.Parse("1.1.1.1")).SetIpv4Tos(4).SetTpDst(TransportProtocol.Udp, 9));
        Assert.Equal(3, r6.Skipped);
        Assert.Equal(v6, bytes6);
    }

    [Fact]
    public void TruncatedTransportHeaderOnlyGetsTheIpUpdate()
    {
        // A whole, consistent IP header (total length fixed up) over a TCP header cut after 10 bytes.
        byte[] frame = ActionTestPackets.Ipv4Tcp()[..(L3 + 20 + 10)];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(L3 + 2), 30);
        frame[L3 + 10] = 0;
        frame[L3 + 11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(L3 + 10), (ushort)~ReferenceChecksum.OnesSum(frame.AsSpan(L3, 20)));
        Packet parsed = ActionHarness.Parse(frame, out _);
        Assert.Equal(L3, parsed.L3Offset);
        Assert.Equal(Packet.NoOffset, parsed.L4Offset);

        var program = new ActionProgramBuilder().SetTpDst(TransportProtocol.Tcp, 1).SetIpv4Src(IPAddress.Parse("10.9.9.9"));
        var (r, bytes, _, _) = h.Run(frame, program);

        Assert.Equal(1, r.Skipped);
        Assert.Equal(new byte[] { 10, 9, 9, 9 }, bytes[(L3 + 12)..(L3 + 16)]);
        Assert.True(ReferenceChecksum.Ipv4HeaderValid(bytes, L3));
        Assert.Equal(frame[(L3 + 20)..], bytes[(L3 + 20)..]);

        // An IP header that claims more than arrived: the header itself is whole, so the parser keeps its
        // L3 offset (as Open vSwitch keeps l3_ofs) and the IP rewrite still happens; L4 is not touched.
        byte[] damaged = ActionTestPackets.Ipv4Tcp()[..(L3 + 20 + 10)];
        var (rd, bytesD, _, _) = h.Run(damaged, program);
        Assert.Equal(1, rd.Skipped);
        Assert.Equal(new byte[] { 10, 9, 9, 9 }, bytesD[(L3 + 12)..(L3 + 16)]);
        Assert.True(ReferenceChecksum.Ipv4HeaderValid(bytesD, L3));
        Assert.Equal(damaged[(L3 + 20)..], bytesD[(L3 + 20)..]);
    }

    [Fact]
    public void EveryTruncationOfEveryFrameIsHandledWithoutExceptions()
    {
        byte[] program = new ActionProgramBuilder()
            .SetEthSrc([1, 2, 3, 4, 5, 6])
            .SetVlanVid(9)
            .SetIpv4Src(IPAddress.Parse("10.9.9.9"))
            .SetIpv4Tos(0xfc)
            .SetIpv6Dst(IPAddress.Parse("2001:db8::99"))
            .SetIpv6Label(5)
            .SetTpSrc(TransportProtocol.Tcp, 1)
            .SetTpSrc(TransportProtocol.Udp, 2)
            .SetTpSrc(TransportProtocol.Sctp, 3)
            .DecTtl()
            .PopVlan()
            .PushVlan(0x88a8, 4)
            .Output(1)
            .ToArray();
        byte[][] frames =
        [
            ActionTestPackets.Tag(ActionTestPackets.Ipv4Tcp(), 0x8100, 3),
            ActionTestPackets.WithIpv6Extension(ActionTestPackets.Ipv6Udp(), 60),
            ActionTestPackets.Sctp(ipv6: true),
            ActionTestPackets.Ipv6IcmpEcho(),
        ];

        foreach (byte[] full in frames)
        {
            for (int len = 0; len <= full.Length; len++)
            {
                var (r, bytes, p, _) = h.Run(full[..len], program);
                Assert.Equal(ExecStatus.Completed, r.Status);

                // Whatever got popped, a tag was pushed whenever there was an Ethernet header to push it into.
                Assert.Equal(len >= 14 ? 12 : Packet.NoOffset, p.VlanOffset);
                Assert.True(bytes.Length == len || bytes.Length == len + 4, $"length {len} became {bytes.Length}");
                h.Pool.Free(p);
            }
        }
    }

    [Fact]
    public void PushVlanWithoutHeadroomStopsThePacket()
    {
        using var tight = new ActionHarness(headroom: 0);
        byte[] frame = ActionTestPackets.Ipv4Tcp();
        var (r, bytes, _, sink) = tight.Run(frame, new ActionProgramBuilder().PushVlan(0x8100, 1).Output(1));

        Assert.Equal(ExecStatus.NoHeadroom, r.Status);
        Assert.Empty(sink.Deliveries);
        Assert.Equal(frame, bytes);
    }

    [Fact]
    public void ExecutingProgramsAllocatesNothing()
    {
        byte[] a = new ActionProgramBuilder()
            .SetEthDst([2, 0, 0, 0, 0, 9])
            .SetIpv4Src(IPAddress.Parse("10.99.0.1"))
            .SetIpv4Dst(IPAddress.Parse("10.99.0.2"), IPAddress.Parse("255.255.0.0"))
            .SetIpv6Src(IPAddress.Parse("2001:db8::a"))
            .SetTpSrc(TransportProtocol.Tcp, 1111)
            .SetTpDst(TransportProtocol.Udp, 2222)
            .SetTpSrc(TransportProtocol.Sctp, 3333)
            .SetIpv4Ttl(64)
            .DecTtl()
            .PushVlan(0x8100, 10)
            .SetVlanPcp(3)
            .Output(1)
            .Userspace(7)
            .PopVlan()
            .Output(2)
            .ToArray();
        byte[] b = new ActionProgramBuilder()
            .SetIpv4Src(IPAddress.Parse("10.0.0.1"))
            .SetIpv4Dst(IPAddress.Parse("10.0.0.2"))
            .SetIpv6Src(IPAddress.Parse("2001:db8::1"))
            .SetIpv6HopLimit(64)
            .SetTpSrc(TransportProtocol.Tcp, 40000)
            .SetTpDst(TransportProtocol.Udp, 53)
            .SetTpSrc(TransportProtocol.Sctp, 2905)
            .DecTtl()
            .Output(3)
            .ToArray();
        Packet[] packets =
        [
            h.Load(ActionTestPackets.Ipv4Tcp()),
            h.Load(ActionTestPackets.Ipv4Udp()),
            h.Load(ActionTestPackets.Ipv6Tcp()),
            h.Load(ActionTestPackets.Sctp(ipv6: false)),
        ];
        var sink = new CountingSink();
        int runs = 0;
        Action work = () =>
        {
            RunMany(h.Pool, packets, a, b, ref sink, 20_000);
            runs++;
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(work));

        // Per two rounds each packet goes through a (two outputs, one upcall) and b (one output).
        Assert.Equal(runs * 20_000 / 2 * packets.Length * 3, sink.Outputs);
        Assert.Equal(runs * 20_000 / 2 * packets.Length, sink.Upcalls);
        foreach (Packet p in packets)
        {
            ActionHarness.AssertChecksumsValid(h.Bytes(p));
        }
    }

    private static void RunMany(PacketPool pool, Packet[] packets, byte[] a, byte[] b, ref CountingSink sink, int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            byte[] program = (i & 1) == 0 ? a : b;
            for (int k = 0; k < packets.Length; k++)
            {
                ExecResult r = ActionExecutor.Execute(pool, ref packets[k], program, ref sink);
                if (r.Status != ExecStatus.Completed)
                {
                    throw new InvalidOperationException(r.ToString());
                }
            }
        }
    }

    /// <summary>A sink that only counts, as cheap as a real one can be.</summary>
    private struct CountingSink : IActionSink
    {
        public int Outputs;
        public int Upcalls;

        public void Output(uint port, ref Packet packet, bool isLast) => Outputs++;

        public void Userspace(ulong cookie, ref Packet packet) => Upcalls++;
    }
}
