using System.Buffers.Binary;
using System.Net;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>
/// Seeded random matches and packets over a palette of fields with small value pools, so that rules overlap,
/// packets hit, and masks vary (full, partial, address prefixes of many lengths and non-prefix address masks).
/// </summary>
internal sealed class RandomRuleSets(int seed)
{
    private static readonly int[] PrefixLengths = [1, 7, 8, 9, 16, 23, 24, 31, 32, 48, 64, 127, 128];

    private static readonly Field[] Palette =
    [
        new(FlowKey.Offsets.InPort, [Le32(1), Le32(2), Le32(3)], [Ones(4)]),
        new(PipelineKey.Offsets.Metadata, [Le64(0), Le64(5), Le64(0x105)], [Ones(8), Le64(0xff)]),
        new(PipelineKey.Offsets.Reg0, [Le32(0), Le32(7), Le32(9)], [Ones(4)]),
        new(FlowKey.Offsets.DlDst, [[2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2], [1, 0, 0x5e, 0, 0, 1]], [Ones(6), [1, 0, 0, 0, 0, 0]]),
        new(FlowKey.Offsets.DlType, [Be16(EtherTypes.Ipv4), Be16(EtherTypes.Ipv6), Be16(EtherTypes.Arp)], [Ones(2)]),
        new(FlowKey.Offsets.Vlan0 + 2, [Be16(0), Be16(0x1005), Be16(0x1006)], [Ones(2), Be16(0x0fff), Be16(0x1000)]),
        new(FlowKey.Offsets.NwSrc, Addresses(), []),
        new(FlowKey.Offsets.NwDst, Addresses(), []),
        new(FlowKey.Offsets.NwProto, [[6], [17], [1]], [Ones(1)]),
        new(FlowKey.Offsets.NwTos, [[0], [0x10], [0xb8]], [[0xfc]]),
        new(FlowKey.Offsets.TpSrc, [Be16(80), Be16(443), Be16(53), Be16(1024)], [Ones(2), Be16(0xff00), Be16(0xfc00)]),
        new(FlowKey.Offsets.TpDst, [Be16(80), Be16(443), Be16(53), Be16(1024)], [Ones(2), Be16(0xff00), Be16(0xfc00)]),
    ];

    private readonly Random rng = new(seed);

    public Random Rng => rng;

    /// <summary>A match on 0-4 random fields.</summary>
    public PipelineMatch NextMatch()
    {
        var m = default(PipelineMatch);
        int fields = rng.Next(20) == 0 ? 0 : rng.Next(1, 5);
        foreach (Field f in Palette.OrderBy(_ => rng.Next()).Take(fields))
        {
            byte[] value = f.Values[rng.Next(f.Values.Length)];
            m.SetMasked(f.Offset, value, f.Masks.Length == 0 ? AddressMask() : f.Masks[rng.Next(f.Masks.Length)]);
        }

        return m;
    }

    /// <summary>A packet: random bytes everywhere, then pool values (mostly) in the palette's fields.</summary>
    public PipelineKey NextPacket()
    {
        PipelineKey k = default;
        rng.NextBytes(k.Bytes);
        foreach (Field f in Palette)
        {
            if (rng.Next(10) != 0)
            {
                f.Values[rng.Next(f.Values.Length)].CopyTo(k.Bytes[f.Offset..]);
            }
        }

        return k;
    }

    /// <summary>A packet that matches <paramref name="m"/>: its values where it has mask bits, random elsewhere.</summary>
    public PipelineKey PacketMatching(in PipelineMatch m) => Blend(m.Key, m.Mask, NextPacket());

    /// <summary><paramref name="flow"/> where <paramref name="mask"/> has bits, <paramref name="other"/> elsewhere.</summary>
    public static PipelineKey Blend(in PipelineKey flow, in PipelineKey mask, in PipelineKey other)
    {
        PipelineKey r = default;
        Span<ulong> w = r.AsWords;
        ReadOnlySpan<ulong> f = flow.ReadOnlyWords;
        ReadOnlySpan<ulong> m = mask.ReadOnlyWords;
        ReadOnlySpan<ulong> o = other.ReadOnlyWords;
        for (int i = 0; i < PipelineKey.Words; i++)
        {
            w[i] = (f[i] & m[i]) | (o[i] & ~m[i]);
        }

        return r;
    }

    private byte[] AddressMask() => rng.Next(8) switch
    {
        0 => [0, 0, 0, 0xff, .. new byte[12]],
        1 => [0, 0xff, 0, 0, .. new byte[12]],
        _ => TestMatch.PrefixBytes(16, PrefixLengths[rng.Next(PrefixLengths.Length)]),
    };

    private static byte[][] Addresses() =>
        [.. new[] { "10.0.0.1", "10.0.1.1", "10.1.0.1", "11.0.0.1", "192.168.1.1", "192.168.1.2", "2001:db8::1", "2001:db8:1::1", "fe80::1" }
            .Select(a => IPAddress.Parse(a).GetAddressBytes())
            .Select(b => b.Concat(new byte[16 - b.Length]).ToArray())];

    private static byte[] Ones(int n) => TestMatch.Ones(n);

    private static byte[] Be16(ushort v) => TestMatch.Be16(v);

    private static byte[] Le32(uint v) => TestMatch.Le32(v);

    private static byte[] Le64(ulong v)
    {
        byte[] b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }

    private sealed record Field(int Offset, byte[][] Values, byte[][] Masks);
}
