using System.Buffers.Binary;
using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Packets;

namespace FastPath.Datapath.Tests;

/// <summary>
/// <see cref="ActionExecutor.ExecuteBatch"/> (action by action over a flow's packets, as the PMD runs a group) must
/// give every packet exactly what <see cref="ActionExecutor.Execute{TSink}(PacketPool, ref Packet, ReadOnlySpan{byte}, ref TSink)"/>
/// gives it alone: the same result, bytes, handle and sink calls, also when packets of one batch end differently.
/// </summary>
public sealed class ActionBatchExecutionTests
{
    private static readonly byte[] S5Mac = [0x02, 0, 0, 0, 0, 0x99];

    public static TheoryData<string> Programs => ["s5", "clone", "mpls", "pop", "invalid", "meter", "masked", "routed", "unchanged"];

    [Theory]
    [MemberData(nameof(Programs))]
    public void EachPacketOfABatchGetsWhatItsOwnExecutionGives(string name)
    {
        AssertBatchMatchesSingle(Program(name), PacketPool.DefaultHeadroom);
    }

    [Fact]
    public void PushWithoutHeadroomEndsThoseThatNeedItAndOnlyThose()
    {
        // No headroom: push_vlan ends every Ethernet packet with NoHeadroom; the runt (no Ethernet header) skips
        // every rewrite and is output.
        List<ExecResult> results = AssertBatchMatchesSingle(Program("s5"), headroom: 0);
        Assert.All(results[..^1], r => Assert.Equal(ExecStatus.NoHeadroom, r.Status));
        Assert.All(results[..^1], r => Assert.False(r.Consumed));
        Assert.True(results[^1] is { Status: ExecStatus.Completed, Consumed: true, Skipped: 5 }, results[^1].ToString());
    }

    [Fact]
    public void ARewriteThenDecTtlLeavesValidChecksums()
    {
        // The batch path updates the IPv4 checksum once for the rewrite and the TTL together: the headers it leaves
        // must verify, for each address and TTL, and the UDP/TCP checksums (which cover the address) too.
        var rng = new Random(16);
        using var pool = new PacketPool(64);
        for (int round = 0; round < 200; round++)
        {
            var address = new IPAddress(rng.NextInt64(0, 1L << 32));
            byte ttl = (byte)rng.Next(2, 256);
            byte[] frame = round % 2 == 0
                ? WithTtl(ActionTestPackets.Ipv4Udp(src: $"10.{round}.0.1"), ttl)
                : WithTtl(ActionTestPackets.Ipv4Tcp(src: $"172.16.{round}.9", ttl: ttl), ttl);
            Packet[] packets = [Load(pool, frame, 0)];
            var results = new ExecResult[1];
            var sink = new TaggingSink(pool);
            byte[] program = new ActionProgramBuilder().SetIpv4Src(address).DecTtl().Output(2).ToArray();
            ActionExecutor.ExecuteBatch(pool, packets, program, ref sink, null, 0, results);

            pool.Free(packets[0]);
            byte[] sent = Assert.Single(sink.Calls).Bytes;
            Assert.Equal(address.GetAddressBytes(), sent[26..30]);
            Assert.Equal(ttl - 1, sent[22]);
            Assert.Equal(0, Checksum.Compute(sent.AsSpan(14, 20)));
            int l4Length = sent.Length - 34;
            ushort pseudo = Checksum.PseudoHeaderSum(sent.AsSpan(26, 8), sent[23], l4Length);
            Assert.Equal(0, Checksum.Compute(sent.AsSpan(34, l4Length), pseudo));
        }
    }

    [Fact]
    public void ABatchLongerThanThirtyTwoPacketsIsRunWhole()
    {
        using var pool = new PacketPool(256);
        var packets = new Packet[70];
        for (int i = 0; i < packets.Length; i++)
        {
            Assert.True(pool.TryCopyIn(ActionTestPackets.Ipv4Udp(), (uint)i, out packets[i]));
            FlowExtractor.Extract(pool.GetData(packets[i]), ref packets[i], out _);
        }

        var results = new ExecResult[packets.Length];
        var sink = new TaggingSink(pool);
        byte[] program = new ActionProgramBuilder().DecTtl().Output(2).ToArray();
        ActionExecutor.ExecuteBatch(pool, packets, program, ref sink, null, 0, results);
        Assert.All(results, r => Assert.True(r.Consumed && r.Outputs == 1, r.ToString()));
        Assert.Equal(Enumerable.Range(0, 70).Select(i => (uint)i).Order(), sink.Calls.Select(c => c.InPort).Order());
        Assert.All(sink.Calls, c => Assert.Equal(63, c.Bytes[22]));
    }

    private static byte[] Program(string name)
    {
        var b = new ActionProgramBuilder();
        switch (name)
        {
            case "s5":
                b.PushVlan(EtherTypes.Vlan8021Q, 0).SetVlanVid(100).SetEthDst(S5Mac).SetIpv4Src(IPAddress.Parse("10.99.0.1")).DecTtl().Output(2);
                break;
            case "clone":
                b.Output(1).SetIpv4Dst(IPAddress.Parse("10.7.7.7")).DecTtl().Output(2).Userspace(7);
                break;
            case "mpls":
                b.PushMpls(0x8847).DecMplsTtl().PopMpls(EtherTypes.Ipv4).Output(3);
                break;
            case "pop":
                b.PopVlan().SetTpDst(TransportProtocol.Udp, 99).Output(4);
                break;
            case "masked":
                // Masked MAC and IPv4 address writes (the batch path's own loops), then a field it leaves to SetField.
                b.SetEthSrc([0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee], [0x00, 0xff, 0x0f, 0xf0, 0x00, 0xff])
                    .SetIpv4Dst(IPAddress.Parse("10.1.2.3"), IPAddress.Parse("255.255.0.255"))
                    .SetIpv4Src(IPAddress.Parse("172.16.9.9"), IPAddress.Parse("0.255.255.0"))
                    .SetIpv4Tos(0x20, 0xfc)
                    .Output(6);
                break;
            case "routed":
                // A masked address rewrite right before dec_ttl (the batch path runs the two as one), then a second one.
                b.SetIpv4Dst(IPAddress.Parse("192.168.7.1"), IPAddress.Parse("255.255.255.0")).DecTtl()
                    .SetIpv4Src(IPAddress.Parse("10.99.0.1")).DecTtl().Output(2);
                break;
            case "unchanged":
                // The rewrite writes the address the packets already have: only the TTL changes the checksum.
                b.SetIpv4Src(IPAddress.Parse("10.0.0.1")).DecTtl().Output(2);
                break;
            case "meter":
                // Without a meter table a meter lets every packet through, in both paths.
                b.Meter(0).DecTtl().Output(5);
                break;
            case "invalid":
                // A valid action, then one of an unknown type: packets stopped before it keep their own status.
                byte[] head = new ActionProgramBuilder().DecTtl().ToArray();
                byte[] bad = new byte[8];
                BinaryPrimitives.WriteUInt16LittleEndian(bad, 0xeeee);
                BinaryPrimitives.WriteUInt16LittleEndian(bad.AsSpan(2), 8);
                return [.. head, .. bad, .. new ActionProgramBuilder().Output(2).ToArray()];
        }

        return b.ToArray();
    }

    // UDP/IPv4 (TTL 64, 1, 2 and 0), TCP/IPv6, ARP, VLAN-tagged TCP/IPv4, UDP/IPv4 without checksum, a first and a
    // later IPv4 fragment, SCTP/IPv4, TCP/IPv4, and a runt.
    private static List<byte[]> Frames() =>
    [
        ActionTestPackets.Ipv4Udp(),
        WithTtl(ActionTestPackets.Ipv4Udp(sport: 1), 1),
        WithTtl(ActionTestPackets.Ipv4Udp(sport: 3), 2),
        WithTtl(ActionTestPackets.Ipv4Udp(sport: 4), 0),
        ActionTestPackets.AsIpv4Fragment(ActionTestPackets.Ipv4Udp(sport: 5), 0x2000),
        ActionTestPackets.AsIpv4Fragment(ActionTestPackets.Ipv4Udp(sport: 6), 0x0010),
        ActionTestPackets.Sctp(ipv6: false),
        ActionTestPackets.Ipv4Tcp(ttl: 200),
        ActionTestPackets.Ipv6Tcp(),
        ActionTestPackets.Arp(),
        ActionTestPackets.Tag(ActionTestPackets.Ipv4Tcp(), EtherTypes.Vlan8021Q, 5),
        ActionTestPackets.Ipv4Udp(sport: 2, zeroChecksum: true),
        new byte[10],
    ];

    private static byte[] WithTtl(byte[] frame, byte ttl)
    {
        frame[14 + 8] = ttl;
        frame[14 + 10] = 0;
        frame[14 + 11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14 + 10), Checksum.Compute(frame.AsSpan(14, 20)));
        return frame;
    }

    private static List<ExecResult> AssertBatchMatchesSingle(byte[] program, int headroom)
    {
        List<byte[]> frames = Frames();
        using var single = new PacketPool(64, PacketPool.DefaultFrameSize, headroom);
        using var batched = new PacketPool(64, PacketPool.DefaultFrameSize, headroom);
        var packets = new Packet[frames.Count];
        for (int i = 0; i < frames.Count; i++)
        {
            packets[i] = Load(batched, frames[i], (uint)i);
        }

        var results = new ExecResult[frames.Count];
        var batchSink = new TaggingSink(batched);
        ActionExecutor.ExecuteBatch(batched, packets, program, ref batchSink, null, 0, results);

        for (int i = 0; i < frames.Count; i++)
        {
            Packet p = Load(single, frames[i], (uint)i);
            var sink = new TaggingSink(single);
            ExecResult expected = ActionExecutor.Execute(single, ref p, program, ref sink);
            Assert.Equal(expected.ToString(), results[i].ToString());
            List<Call> mine = [.. batchSink.Calls.Where(c => c.InPort == i)];
            Assert.Equal(sink.Calls.Count, mine.Count);
            for (int k = 0; k < mine.Count; k++)
            {
                Assert.Equal(sink.Calls[k] with { Bytes = [] }, mine[k] with { Bytes = [] });
                Assert.Equal(sink.Calls[k].Bytes, mine[k].Bytes);
            }

            if (!expected.Consumed)
            {
                Assert.Equal(single.GetData(p).ToArray(), batched.GetData(packets[i]).ToArray());
                Assert.Equal(p with { Addr = 0 }, packets[i] with { Addr = 0 });
                Assert.Equal(single.HeadroomOf(p), batched.HeadroomOf(packets[i]));
            }
        }

        return [.. results];
    }

    private static Packet Load(PacketPool pool, byte[] frame, uint inPort)
    {
        Assert.True(pool.TryCopyIn(frame, inPort, out Packet p));
        FlowExtractor.Extract(pool.GetData(p), ref p, out _);
        return p;
    }

    private sealed record Call(uint InPort, bool Userspace, ulong PortOrCookie, bool IsLast, byte[] Bytes);

    // Records every call with the packet's in_port, which tells the packets of a batch apart; frames are not kept.
    private readonly struct TaggingSink(PacketPool pool) : IActionSink
    {
        public List<Call> Calls { get; } = [];

        public void Output(uint port, ref Packet packet, bool isLast) =>
            Calls.Add(new Call(packet.InPort, false, port, isLast, pool.GetData(packet).ToArray()));

        public void Userspace(ulong cookie, ref Packet packet) =>
            Calls.Add(new Call(packet.InPort, true, cookie, false, pool.GetData(packet).ToArray()));
    }
}
