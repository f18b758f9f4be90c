using System.Buffers.Binary;
using FastPath.Datapath.Actions;
using FastPath.Packets;
using PacketDotNet;
using Packet = FastPath.Packets.Packet;

namespace FastPath.Datapath.Tests;

/// <summary>Copies a frame into a <see cref="PacketPool"/>, parses it, runs a program on it, and checks the result.</summary>
internal sealed class ActionHarness : IDisposable
{
    public ActionHarness(int frames = 256, int headroom = PacketPool.DefaultHeadroom)
    {
        Pool = new PacketPool(frames, PacketPool.DefaultFrameSize, headroom);
    }

    public PacketPool Pool { get; }

    /// <summary>A parsed packet holding <paramref name="frame"/>, as the datapath would see it after receive.</summary>
    public Packet Load(byte[] frame, uint inPort = 1)
    {
        Assert.True(Pool.TryCopyIn(frame, inPort, out Packet p));
        FlowExtractor.Extract(Pool.GetData(p), ref p, out _);
        return p;
    }

    public byte[] Bytes(in Packet p) => Pool.GetData(p).ToArray();

    /// <summary>Runs <paramref name="program"/> on a fresh copy of <paramref name="frame"/> with a recording sink.</summary>
    public (ExecResult Result, byte[] Bytes, Packet Packet, RecordingSink Sink) Run(byte[] frame, ReadOnlySpan<byte> program)
    {
        Assert.True(ActionProgram.Validate(program).IsValid, ActionProgram.Validate(program).ToString());
        Packet p = Load(frame);
        var sink = new RecordingSink(Pool);
        ExecResult r = ActionExecutor.Execute(Pool, ref p, program, ref sink);
        return (r, Bytes(p), p, sink);
    }

    public (ExecResult Result, byte[] Bytes, Packet Packet, RecordingSink Sink) Run(byte[] frame, ActionProgramBuilder program) =>
        Run(frame, program.AsSpan());

    /// <summary>The offsets a fresh parse of <paramref name="frame"/> finds.</summary>
    public static Packet Parse(byte[] frame, out FlowKey key)
    {
        var p = new Packet { Length = (ushort)frame.Length };
        FlowExtractor.Extract(frame, ref p, out key);
        return p;
    }

    /// <summary>
    /// Re-parses <paramref name="frame"/> from scratch and checks every checksum it carries with the
    /// naive reference code and, where PacketDotNet knows the protocol, with PacketDotNet too.
    /// </summary>
    public static void AssertChecksumsValid(byte[] frame)
    {
        Packet p = Parse(frame, out FlowKey key);
        Assert.NotEqual(Packet.NoOffset, p.L3Offset);
        int l3 = p.L3Offset;
        bool v4 = key.EthType == 0x0800;
        if (v4)
        {
            Assert.True(ReferenceChecksum.Ipv4HeaderValid(frame, l3), "IPv4 header checksum (reference)");
        }

        var parsed = PacketDotNet.Packet.ParsePacket(LinkLayers.Ethernet, frame);
        if (v4 && parsed.Extract<IPv4Packet>() is { } ip4)
        {
            Assert.True(ip4.ValidIPChecksum, "IPv4 header checksum (PacketDotNet)");
        }

        if (p.L4Offset == Packet.NoOffset)
        {
            return;
        }

        int l4 = p.L4Offset;
        switch (key.NwProto)
        {
            case 6:
                Assert.True(ReferenceChecksum.TransportValid(frame, l3, l4, 6), "TCP checksum (reference)");
                if (parsed.Extract<TcpPacket>() is { } tcp)
                {
                    Assert.True(tcp.ValidTcpChecksum, "TCP checksum (PacketDotNet)");
                }

                break;
            case 17:
                ushort udpSum = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(l4 + 6));
                if (udpSum == 0 && v4)
                {
                    break; // "no checksum": nothing to verify
                }

                Assert.True(ReferenceChecksum.TransportValid(frame, l3, l4, 17), "UDP checksum (reference)");
                if (parsed.Extract<UdpPacket>() is { } udp)
                {
                    Assert.True(udp.ValidUdpChecksum, "UDP checksum (PacketDotNet)");
                }

                break;
            case 58:
                Assert.True(ReferenceChecksum.TransportValid(frame, l3, l4, 58), "ICMPv6 checksum (reference)");
                if (parsed.Extract<IcmpV6Packet>() is { } icmp)
                {
                    Assert.True(icmp.ValidIcmpChecksum, "ICMPv6 checksum (PacketDotNet)");
                }

                break;
            case 132:
                int end = v4
                    ? l3 + BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(l3 + 2))
                    : l3 + 40 + BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(l3 + 4));
                Assert.Equal(ReferenceChecksum.SctpCrc(frame, l4, end), ReferenceChecksum.SctpStored(frame, l4));
                break;
        }
    }

    public void Dispose() => Pool.Dispose();

    /// <summary>The offsets an executed packet carries are the ones a fresh parse of its bytes gives.</summary>
    public static void AssertOffsetsMatchFreshParse(byte[] bytes, in Packet p)
    {
        Packet fresh = Parse(bytes, out _);
        Assert.Equal(fresh.L3Offset, p.L3Offset);
        Assert.Equal(fresh.L4Offset, p.L4Offset);
        Assert.Equal(fresh.VlanOffset, p.VlanOffset);
        Assert.Equal(bytes.Length, p.Length);
    }
}
