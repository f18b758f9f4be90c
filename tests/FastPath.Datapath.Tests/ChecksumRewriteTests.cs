using System.Buffers.Binary;
using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Packets;
using PacketDotNet;
using Packet = FastPath.Packets.Packet;

namespace FastPath.Datapath.Tests;

/// <summary>Every set-field action, checked field by field and checksum by checksum after the rewrite.</summary>
public sealed class ChecksumRewriteTests : IDisposable
{
    private const int L3 = 14;
    private readonly ActionHarness h = new();

    public void Dispose() => h.Dispose();

    public static TheoryData<string> Frames() => new() { "v4tcp", "v4udp", "v6tcp", "v6udp", "v6icmp", "v4sctp", "v6sctp" };

    private static byte[] Frame(string name) => name switch
    {
        "v4tcp" => ActionTestPackets.Ipv4Tcp(),
        "v4udp" => ActionTestPackets.Ipv4Udp(),
        "v6tcp" => ActionTestPackets.Ipv6Tcp(),
        "v6udp" => ActionTestPackets.Ipv6Udp(),
        "v6icmp" => ActionTestPackets.Ipv6IcmpEcho(),
        "v4sctp" => ActionTestPackets.Sctp(ipv6: false),
        "v6sctp" => ActionTestPackets.Sctp(ipv6: true),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void TestFramesAreValidBeforeAnyRewrite(string name)
    {
        // The reference checker and PacketDotNet must agree on the unmodified frames, or the rest proves nothing.
        ActionHarness.AssertChecksumsValid(Frame(name));
    }

    [Fact]
    public void ReferenceCheckerRejectsACorruptedFrame()
    {
        byte[] f = ActionTestPackets.Ipv4Tcp();
        f[^1] ^= 0x40;
        Assert.Throws<Xunit.Sdk.TrueException>(() => ActionHarness.AssertChecksumsValid(f));
    }

    [Theory]
    [InlineData(6, true, null)]
    [InlineData(6, false, null)]
    [InlineData(6, true, "255.255.0.0")]
    [InlineData(6, false, "0.255.255.0")]
    [InlineData(17, true, null)]
    [InlineData(17, false, null)]
    [InlineData(17, true, "255.255.255.0")]
    [InlineData(17, false, "0.255.0.255")]
    public void Ipv4AddressRewriteUpdatesIpAndPseudoHeaderChecksums(int proto, bool source, string? mask)
    {
        byte[] frame = proto == 6 ? ActionTestPackets.Ipv4Tcp() : ActionTestPackets.Ipv4Udp();
        var value = IPAddress.Parse("10.99.0.1");
        IPAddress? m = mask is null ? null : IPAddress.Parse(mask);
        var b = new ActionProgramBuilder();
        if (source)
        {
            b.SetIpv4Src(value, m);
        }
        else
        {
            b.SetIpv4Dst(value, m);
        }

        var (r, bytes, _, _) = h.Run(frame, b);

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(0, r.Skipped);
        var before = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, frame).Extract<IPv4Packet>();
        var after = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IPv4Packet>();
        IPAddress old = source ? before.SourceAddress : before.DestinationAddress;
        Assert.Equal(Masked(old, value, m), source ? after.SourceAddress : after.DestinationAddress);
        Assert.Equal(source ? before.DestinationAddress : before.SourceAddress, source ? after.DestinationAddress : after.SourceAddress);
        Assert.NotEqual(frame, bytes);

        // Apart from its checksum field, the L4 header and payload are untouched.
        int l4Csum = L3 + 20 + (proto == 6 ? 16 : 6);
        Assert.Equal(Without(frame, l4Csum, 2)[(L3 + 20)..], Without(bytes, l4Csum, 2)[(L3 + 20)..]);
        Assert.NotEqual(frame[l4Csum..(l4Csum + 2)], bytes[l4Csum..(l4Csum + 2)]);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Theory]
    [InlineData(0xb8, 0xff)]
    [InlineData(0xb8, 0xfc)]
    [InlineData(0x03, 0x03)]
    public void Ipv4TosRewriteHonoursMaskAndFixesHeaderChecksum(int tos, int mask)
    {
        byte[] frame = ActionTestPackets.Ipv4Tcp(tos: 0x21);
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetIpv4Tos((byte)tos, (byte)mask));

        Assert.Equal(ExecStatus.Completed, r.Status);
        var ip = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IPv4Packet>();
        Assert.Equal((0x21 & ~mask) | (tos & mask), ip.TypeOfService);
        AssertOnlyIpv4HeaderChanged(frame, bytes);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Fact]
    public void Ipv4TtlRewriteFixesHeaderChecksumOnly()
    {
        byte[] frame = ActionTestPackets.Ipv4Udp();
        var (_, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetIpv4Ttl(7));

        Assert.Equal(7, PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IPv4Packet>().TimeToLive);
        AssertOnlyIpv4HeaderChanged(frame, bytes);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Theory]
    [InlineData(TransportProtocol.Tcp, true, 8080, 0xffff)]
    [InlineData(TransportProtocol.Tcp, false, 8443, 0xffff)]
    [InlineData(TransportProtocol.Tcp, true, 0x1200, 0xff00)]
    [InlineData(TransportProtocol.Tcp, false, 0x0034, 0x00ff)]
    [InlineData(TransportProtocol.Udp, true, 1000, 0xffff)]
    [InlineData(TransportProtocol.Udp, false, 5300, 0xffff)]
    [InlineData(TransportProtocol.Udp, true, 0xab00, 0xff00)]
    [InlineData(TransportProtocol.Udp, false, 0x000f, 0x000f)]
    public void PortRewriteOverIpv4AndIpv6UpdatesL4Checksum(TransportProtocol proto, bool source, int port, int mask)
    {
        foreach (bool v6 in new[] { false, true })
        {
            byte[] frame = (proto, v6) switch
            {
                (TransportProtocol.Tcp, false) => ActionTestPackets.Ipv4Tcp(),
                (TransportProtocol.Tcp, true) => ActionTestPackets.Ipv6Tcp(),
                (_, false) => ActionTestPackets.Ipv4Udp(),
                _ => ActionTestPackets.Ipv6Udp(),
            };
            var b = new ActionProgramBuilder();
            if (source)
            {
                b.SetTpSrc(proto, (ushort)port, (ushort)mask);
            }
            else
            {
                b.SetTpDst(proto, (ushort)port, (ushort)mask);
            }

            var (r, bytes, _, _) = h.Run(frame, b);

            Assert.Equal(0, r.Skipped);
            var before = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, frame).Extract<TransportPacket>();
            var after = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<TransportPacket>();
            ushort old = source ? before.SourcePort : before.DestinationPort;
            Assert.Equal((ushort)((old & ~mask) | (port & mask)), source ? after.SourcePort : after.DestinationPort);
            Assert.Equal(source ? before.DestinationPort : before.SourcePort, source ? after.DestinationPort : after.SourcePort);
            Assert.Equal(frame[..(frame.Length - before.TotalPacketLength)], bytes[..(bytes.Length - after.TotalPacketLength)]);
            ActionHarness.AssertChecksumsValid(bytes);
        }
    }

    [Theory]
    [InlineData("v6tcp", true, null)]
    [InlineData("v6tcp", false, null)]
    [InlineData("v6tcp", true, "ffff:ffff:ffff:ffff::")]
    [InlineData("v6udp", true, null)]
    [InlineData("v6udp", false, "ffff:0:ffff::ff")]
    [InlineData("v6udp", false, null)]
    [InlineData("v6icmp", true, null)]
    [InlineData("v6icmp", false, null)]
    [InlineData("v6icmp", false, "ffff:ffff::")]
    public void Ipv6AddressRewriteUpdatesTcpUdpAndIcmpv6Checksums(string name, bool source, string? mask)
    {
        byte[] frame = Frame(name);
        var value = IPAddress.Parse("fd00:1234:5678:9abc:def0:1:2:3");
        IPAddress? m = mask is null ? null : IPAddress.Parse(mask);
        var b = new ActionProgramBuilder();
        if (source)
        {
            b.SetIpv6Src(value, m);
        }
        else
        {
            b.SetIpv6Dst(value, m);
        }

        var (r, bytes, _, _) = h.Run(frame, b);

        Assert.Equal(0, r.Skipped);
        var before = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, frame).Extract<IPv6Packet>();
        var after = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IPv6Packet>();
        Assert.Equal(Masked(source ? before.SourceAddress : before.DestinationAddress, value, m),
            source ? after.SourceAddress : after.DestinationAddress);
        Assert.Equal(source ? before.DestinationAddress : before.SourceAddress, source ? after.DestinationAddress : after.SourceAddress);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Fact]
    public void Ipv6TrafficClassLabelAndHopLimitLeaveL4Untouched()
    {
        byte[] frame = ActionTestPackets.Ipv6Tcp(hopLimit: 64);
        var b = new ActionProgramBuilder()
            .SetIpv6Tc(0xa0, 0xfc)
            .SetIpv6Label(0x12345)
            .SetIpv6HopLimit(9);
        var (r, bytes, _, _) = h.Run(frame, b);

        Assert.Equal(0, r.Skipped);
        var ip = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IPv6Packet>();
        Assert.Equal(6, (int)ip.Version);
        Assert.Equal(0xa0, ip.TrafficClass);
        Assert.Equal(0x12345, ip.FlowLabel);
        Assert.Equal(9, ip.HopLimit);
        Assert.Equal(frame[(L3 + 8)..], bytes[(L3 + 8)..]);
        ActionHarness.AssertChecksumsValid(bytes);

        // Masked: only the masked bits move.
        var (_, bytes2, _, _) = h.Run(bytes, new ActionProgramBuilder().SetIpv6Tc(0x01, 0x03).SetIpv6Label(0x00f00, 0x00ff0));
        var ip2 = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes2).Extract<IPv6Packet>();
        Assert.Equal((0xa0 & ~0x03) | 0x01, ip2.TrafficClass);
        Assert.Equal((0x12345 & ~0x00ff0) | 0x00f00, ip2.FlowLabel);
    }

    [Fact]
    public void UdpZeroChecksumOverIpv4StaysZero()
    {
        byte[] frame = ActionTestPackets.Ipv4Udp(zeroChecksum: true);
        var b = new ActionProgramBuilder()
            .SetIpv4Src(IPAddress.Parse("192.0.2.7"))
            .SetIpv4Dst(IPAddress.Parse("198.51.100.9"))
            .SetTpSrc(TransportProtocol.Udp, 1)
            .SetTpDst(TransportProtocol.Udp, 2);
        var (r, bytes, _, _) = h.Run(frame, b);

        Assert.Equal(0, r.Skipped);
        var udp = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<UdpPacket>();
        Assert.Equal(0, udp.Checksum);
        Assert.Equal(1, udp.SourcePort);
        Assert.Equal(2, udp.DestinationPort);
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UdpChecksumThatComputesToZeroIsSentAsFfff(bool viaAddress)
    {
        byte[] frame = ActionTestPackets.Ipv4Udp();
        const int l4 = L3 + 20;

        // Pick the new value so that the reference sum of pseudo-header and datagram (checksum field
        // zero) becomes 0xffff, whose complement is 0: the case RFC 768 transmits as all ones.
        byte[] zeroed = (byte[])frame.Clone();
        zeroed[l4 + 6] = zeroed[l4 + 7] = 0;
        ushort sum = ReferenceChecksum.OnesSum(ReferenceChecksum.PseudoAndSegment(zeroed, L3, l4, 17));
        ushort oldWord = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(viaAddress ? L3 + 12 : l4));
        ushort target = OnesAdd(OnesAdd(0xffff, (ushort)~sum), oldWord);
        if (target == 0xffff)
        {
            target = 0; // same one's-complement value, and keeps the address/port ordinary
        }

        var b = new ActionProgramBuilder();
        if (viaAddress)
        {
            // Only the top 16 bits of the source address change.
            byte[] addr = frame[(L3 + 12)..(L3 + 16)];
            BinaryPrimitives.WriteUInt16BigEndian(addr, target);
            b.SetIpv4Src(new IPAddress(addr), IPAddress.Parse("255.255.0.0"));
        }
        else
        {
            b.SetTpSrc(TransportProtocol.Udp, target);
        }

        var (_, bytes, _, _) = h.Run(frame, b);

        byte[] check = (byte[])bytes.Clone();
        check[l4 + 6] = check[l4 + 7] = 0;
        Assert.Equal(0xffff, ReferenceChecksum.OnesSum(ReferenceChecksum.PseudoAndSegment(check, L3, l4, 17)));
        Assert.Equal(0xffff, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(l4 + 6)));
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Theory]
    [InlineData(false, true, 0xffff)]
    [InlineData(false, false, 0xffff)]
    [InlineData(true, true, 0xffff)]
    [InlineData(true, false, 0x00ff)]
    public void SctpPortRewriteRecomputesCrc32c(bool v6, bool source, int mask)
    {
        byte[] frame = ActionTestPackets.Sctp(v6);
        var b = new ActionProgramBuilder();
        if (source)
        {
            b.SetTpSrc(TransportProtocol.Sctp, 36412, (ushort)mask);
        }
        else
        {
            b.SetTpDst(TransportProtocol.Sctp, 36412, (ushort)mask);
        }

        var (r, bytes, _, _) = h.Run(frame, b);

        Assert.Equal(0, r.Skipped);
        int l4 = L3 + (v6 ? 40 : 20);
        ushort old = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(l4 + (source ? 0 : 2)));
        Assert.Equal((ushort)((old & ~mask) | (36412 & mask)), BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(l4 + (source ? 0 : 2))));
        Assert.Equal(ReferenceChecksum.SctpCrc(bytes, l4, bytes.Length), ReferenceChecksum.SctpStored(bytes, l4));
        Assert.NotEqual(ReferenceChecksum.SctpStored(frame, l4), ReferenceChecksum.SctpStored(bytes, l4));
        ActionHarness.AssertChecksumsValid(bytes);
    }

    [Fact]
    public void SctpPortRewriteKeepsAWrongCrcWrongByTheSameBits()
    {
        // Open vSwitch patches the CRC by what the rewrite changed: a corrupt packet stays corrupt (the pipeline
        // suite caught FastPath making it valid).
        byte[] frame = ActionTestPackets.Sctp(ipv6: false);
        const int l4 = L3 + 20;
        frame[l4 + 8] ^= 0x5a;
        uint error = ReferenceChecksum.SctpStored(frame, l4) ^ ReferenceChecksum.SctpCrc(frame, l4, frame.Length);
        Assert.NotEqual(0u, error);

        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetTpDst(TransportProtocol.Sctp, 2222));

        Assert.Equal(0, r.Skipped);
        Assert.Equal(2222, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(l4 + 2)));
        Assert.Equal(error, ReferenceChecksum.SctpStored(bytes, l4) ^ ReferenceChecksum.SctpCrc(bytes, l4, bytes.Length));
    }

    [Fact]
    public void SctpCrcCoversTheIpPayloadNotTheEthernetPadding()
    {
        byte[] frame = ActionTestPackets.Sctp(ipv6: false, chunkData: 1, padTo: 72);
        const int l4 = L3 + 20;
        int ipEnd = L3 + BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(L3 + 2));
        Assert.True(ipEnd < frame.Length, "the test frame must carry padding");

        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetTpDst(TransportProtocol.Sctp, 9));

        Assert.Equal(0, r.Skipped);
        Assert.Equal(ReferenceChecksum.SctpCrc(bytes, l4, ipEnd), ReferenceChecksum.SctpStored(bytes, l4));
        Assert.Equal(frame[ipEnd..], bytes[ipEnd..]);
    }

    [Fact]
    public void SctpFirstFragmentIsLeftAloneSinceItsCrcCannotBeRecomputed()
    {
        byte[] frame = ActionTestPackets.Sctp(ipv6: false, ipv4Frag: 0x2000);
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetTpSrc(TransportProtocol.Sctp, 1));

        Assert.Equal(1, r.Skipped);
        Assert.Equal(frame, bytes);
    }

    [Fact]
    public void LaterIpv4FragmentGetsOnlyTheIpHeaderUpdate()
    {
        // Offset 185 * 8 bytes, more fragments: what follows the IP header is mid-datagram payload
        // that happens to look like a UDP header; it must not be touched.
        byte[] frame = ActionTestPackets.AsIpv4Fragment(ActionTestPackets.Ipv4Udp(), 0x2000 | 185);
        Packet parsed = ActionHarness.Parse(frame, out FlowKey key);
        Assert.Equal(Packet.NoOffset, parsed.L4Offset);
        Assert.Equal(FragFlags.Any | FragFlags.Later, key.NwFrag);

        var b = new ActionProgramBuilder()
            .SetIpv4Src(IPAddress.Parse("10.99.0.1"))
            .SetIpv4Dst(IPAddress.Parse("10.99.0.2"))
            .SetTpSrc(TransportProtocol.Udp, 7)
            .SetTpDst(TransportProtocol.Tcp, 7);
        var (r, bytes, _, _) = h.Run(frame, b);

        Assert.Equal(ExecStatus.Completed, r.Status);
        Assert.Equal(2, r.Skipped);
        var ip = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, bytes).Extract<IPv4Packet>();
        Assert.Equal(IPAddress.Parse("10.99.0.1"), ip.SourceAddress);
        Assert.Equal(IPAddress.Parse("10.99.0.2"), ip.DestinationAddress);
        Assert.True(ReferenceChecksum.Ipv4HeaderValid(bytes, L3));
        Assert.True(ip.ValidIPChecksum);
        Assert.Equal(frame[(L3 + 20)..], bytes[(L3 + 20)..]);
    }

    [Fact]
    public void FirstIpv4FragmentGetsTheIncrementalL4Update()
    {
        // The UDP checksum covers the whole datagram, but an incremental update only needs the delta.
        byte[] whole = ActionTestPackets.Ipv4Udp();
        byte[] frame = ActionTestPackets.AsIpv4Fragment(whole, 0x2000);
        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetIpv4Dst(IPAddress.Parse("172.16.0.1")).SetTpDst(TransportProtocol.Udp, 99));

        Assert.Equal(0, r.Skipped);

        // Clearing MF again must give exactly a valid unfragmented datagram.
        byte[] rejoined = ActionTestPackets.AsIpv4Fragment(bytes, 0);
        ActionHarness.AssertChecksumsValid(rejoined);
    }

    [Theory]
    [InlineData(60)] // destination options
    [InlineData(0)] // hop-by-hop
    public void Ipv6ExtensionHeadersAreWalkedToFindTheL4Checksum(byte ext)
    {
        byte[] frame = ActionTestPackets.WithIpv6Extension(ActionTestPackets.Ipv6Tcp(), ext);
        Packet p = ActionHarness.Parse(frame, out _);
        Assert.Equal(L3 + 48, p.L4Offset);
        Assert.True(ReferenceChecksum.TransportValid(frame, L3, p.L4Offset, 6), "test frame");

        var (r, bytes, _, _) = h.Run(frame, new ActionProgramBuilder().SetIpv6Src(IPAddress.Parse("2001:db8:ffff::99")).SetTpDst(TransportProtocol.Tcp, 1));

        Assert.Equal(0, r.Skipped);
        Assert.True(ReferenceChecksum.TransportValid(bytes, L3, p.L4Offset, 6));
    }

    [Fact]
    public void Ipv6DestinationBehindARoutingHeaderIsNotInThePseudoHeader()
    {
        // RFC 8200 8.1: with segments left, the pseudo-header uses the final destination, which lives
        // in the routing header; rewriting the current destination must not touch the TCP checksum.
        byte[] routed = ActionTestPackets.WithIpv6Extension(ActionTestPackets.Ipv6Tcp(), 43, segmentsLeft: 1);
        Packet p = ActionHarness.Parse(routed, out _);
        int csum = p.L4Offset + 16;
        var (_, bytes, _, _) = h.Run(routed, new ActionProgramBuilder().SetIpv6Dst(IPAddress.Parse("2001:db8::77")));
        Assert.Equal(routed[csum..(csum + 2)], bytes[csum..(csum + 2)]);
        Assert.NotEqual(routed[(L3 + 24)..(L3 + 40)], bytes[(L3 + 24)..(L3 + 40)]);

        // With no segments left the destination field is the final one and the checksum follows it.
        byte[] done = ActionTestPackets.WithIpv6Extension(ActionTestPackets.Ipv6Tcp(), 43, segmentsLeft: 0);
        var (_, bytes2, _, _) = h.Run(done, new ActionProgramBuilder().SetIpv6Dst(IPAddress.Parse("2001:db8::77")));
        Assert.True(ReferenceChecksum.TransportValid(bytes2, L3, p.L4Offset, 6));
    }

    private static IPAddress Masked(IPAddress old, IPAddress value, IPAddress? mask)
    {
        byte[] o = old.GetAddressBytes();
        byte[] v = value.GetAddressBytes();
        byte[] m = mask?.GetAddressBytes() ?? Enumerable.Repeat((byte)0xff, o.Length).ToArray();
        return new IPAddress(o.Select((x, i) => (byte)((x & ~m[i]) | (v[i] & m[i]))).ToArray());
    }

    private static void AssertOnlyIpv4HeaderChanged(byte[] before, byte[] after)
    {
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(before[..L3], after[..L3]);
        Assert.Equal(before[(L3 + 20)..], after[(L3 + 20)..]);
    }

    private static byte[] Without(byte[] frame, int offset, int count)
    {
        byte[] copy = (byte[])frame.Clone();
        Array.Clear(copy, offset, count);
        return copy;
    }

    private static ushort OnesAdd(ushort a, ushort b)
    {
        int s = a + b;
        return (ushort)((s & 0xffff) + (s >> 16));
    }
}
