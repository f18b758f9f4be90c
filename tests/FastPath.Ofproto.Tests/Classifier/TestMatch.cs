using System.Buffers.Binary;
using System.Net;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>Builds pipeline matches and keys field by field, in the key's byte conventions, for readable tests.</summary>
internal sealed class TestMatch
{
    private PipelineMatch match;

    public PipelineMatch Match => match;

    public PipelineKey Mask => match.Mask;

    public static TestMatch New() => new();

    public TestMatch Field(int offset, ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask)
    {
        match.SetMasked(offset, value, mask);
        return this;
    }

    public TestMatch Field(int offset, ReadOnlySpan<byte> value) => Field(offset, value, Ones(value.Length));

    public TestMatch InPort(uint port) => Field(FlowKey.Offsets.InPort, Le32(port));

    public TestMatch DlType(ushort type) => Field(FlowKey.Offsets.DlType, Be16(type));

    public TestMatch Ip() => DlType(EtherTypes.Ipv4);

    public TestMatch DlSrc(byte last) => Field(FlowKey.Offsets.DlSrc, [2, 0, 0, 0, 0, last]);

    public TestMatch NwSrc(string address, int prefix = -1) => Address(FlowKey.Offsets.NwSrc, address, prefix);

    public TestMatch NwDst(string address, int prefix = -1) => Address(FlowKey.Offsets.NwDst, address, prefix);

    public TestMatch NwProto(byte proto) => Field(FlowKey.Offsets.NwProto, [proto]);

    public TestMatch TpSrc(ushort port) => Field(FlowKey.Offsets.TpSrc, Be16(port));

    public TestMatch TpDst(ushort port) => Field(FlowKey.Offsets.TpDst, Be16(port));

    public TestMatch Metadata(ulong value)
    {
        byte[] b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return Field(PipelineKey.Offsets.Metadata, b);
    }

    public TestMatch Reg(int index, uint value) => Field(PipelineKey.Offsets.Reg0 + (4 * index), Le32(value));

    /// <summary>A mask with exactly these fields' bits (values ignored): what a test expects the wildcards to be.</summary>
    public static PipelineKey MaskOf(params TestMatch[] parts)
    {
        PipelineKey m = default;
        Span<ulong> w = m.AsWords;
        foreach (TestMatch p in parts)
        {
            ReadOnlySpan<ulong> pm = p.match.Mask.ReadOnlyWords;
            for (int i = 0; i < PipelineKey.Words; i++)
            {
                w[i] |= pm[i];
            }
        }

        return m;
    }

    public static byte[] Be16(ushort v)
    {
        byte[] b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    public static byte[] Le32(uint v)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    public static byte[] Ones(int n) => [.. Enumerable.Repeat((byte)0xff, n)];

    public static byte[] PrefixBytes(int bytes, int bits)
    {
        byte[] m = new byte[bytes];
        for (int i = 0; i < bits; i++)
        {
            m[i / 8] |= (byte)(0x80 >> (i % 8));
        }

        return m;
    }

    private TestMatch Address(int offset, string address, int prefix)
    {
        byte[] a = IPAddress.Parse(address).GetAddressBytes();
        return Field(offset, a, PrefixBytes(a.Length, prefix < 0 ? a.Length * 8 : prefix));
    }
}
