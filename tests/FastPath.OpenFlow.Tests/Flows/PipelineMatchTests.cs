using System.Buffers.Binary;
using System.Runtime.InteropServices;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.OpenFlow.Tests.Flows;

/// <summary>The pipeline key extends the datapath key without moving it, and a match masks both parts.</summary>
public class PipelineMatchTests
{
    private static FlowKey UdpKey(uint src)
    {
        FlowKey k = default;
        k.InPort = 1;
        k.EthType = EtherTypes.Ipv4;
        k.NwProto = 17;
        BinaryPrimitives.WriteUInt32BigEndian(k.Bytes[FlowKey.Offsets.NwSrc..], src);
        BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.TpDst..], 53);
        return k;
    }

    private static byte[] Bytes(in FlowKey k) => MemoryMarshal.AsBytes(k.ReadOnlyWords).ToArray();

    [Fact]
    public void APacketsPipelineKeyIsItsDatapathKeyWithZeroPipelineFields()
    {
        FlowKey packet = UdpKey(0xc0a80101);
        PipelineKey k = PipelineKey.FromPacket(packet);
        Assert.Equal(Bytes(packet), k.ReadOnlyBytes[..FlowKey.Size].ToArray());
        Assert.All(k.ReadOnlyWords[FlowKey.Words..].ToArray(), w => Assert.Equal(0ul, w));
        Assert.Equal(Bytes(packet), Bytes(k.PacketPart));
    }

    [Fact]
    public void PipelineFieldsAndRegistersReadBackAndStayOutOfThePacketPart()
    {
        PipelineKey k = PipelineKey.FromPacket(UdpKey(1));
        k.Metadata = 0x1122334455667788;
        k.TunnelId = 42;
        k.SetReg(7, 0xdeadbeef);
        Assert.Equal(0x1122334455667788ul, k.Metadata);
        Assert.Equal(42ul, k.TunnelId);
        Assert.Equal(0xdeadbeefu, k.Reg(7));
        Assert.Equal(0u, k.Reg(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => k.Reg(8));
        Assert.Equal(Bytes(UdpKey(1)), Bytes(k.PacketPart));
    }

    [Fact]
    public void AMaskedMatchIgnoresUnmaskedBitsAndMatchesOnMetadataToo()
    {
        var m = default(PipelineMatch);
        m.SetMasked(FlowKey.Offsets.NwSrc, [192, 168, 0, 0], [255, 255, 0, 0]);
        m.SetMasked(PipelineKey.Offsets.Metadata, BitConverter.GetBytes(5ul), BitConverter.GetBytes(0xfful));

        PipelineKey inside = PipelineKey.FromPacket(UdpKey(0xc0a8fe01));
        Assert.False(m.Matches(inside));
        inside.Metadata = 0x305;
        Assert.True(m.Matches(inside));
        PipelineKey outside = PipelineKey.FromPacket(UdpKey(0xc0a90001));
        outside.Metadata = 5;
        Assert.False(m.Matches(outside));
        Assert.True(PipelineMatch.Any.Matches(outside));
    }

    [Fact]
    public void TheConstructorClearsValueBitsOutsideTheMaskSoEqualMatchesCompareEqual()
    {
        PipelineKey value = PipelineKey.FromPacket(UdpKey(0xc0a80101));
        var mask = default(PipelineKey);
        mask.Bytes.Slice(FlowKey.Offsets.NwSrc, 3).Fill(0xff);
        var a = new PipelineMatch(value, mask);
        var b = new PipelineMatch(PipelineKey.FromPacket(UdpKey(0xc0a801fe)), mask);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(0, a.Key.ReadOnlyBytes[FlowKey.Offsets.InPort]);
        (FlowKey key, FlowKey dpMask) = a.PacketPart;
        Assert.Equal(0xc0a80100u, key.Ipv4Src);
        Assert.Equal(0xffffff00u, BinaryPrimitives.ReadUInt32BigEndian(Bytes(dpMask).AsSpan(FlowKey.Offsets.NwSrc)));
    }

    [Fact]
    public void AFieldThatDoesNotFitTheKeyIsRefused()
    {
        var m = default(PipelineMatch);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.SetMasked(PipelineKey.Size - 2, [1, 2, 3], [1, 1, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.SetMasked(0, [1, 2], [1]));
    }
}
