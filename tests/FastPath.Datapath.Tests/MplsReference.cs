using System.Buffers.Binary;

namespace FastPath.Datapath.Tests;

/// <summary>One MPLS label stack entry (RFC 3032), decoded field by field.</summary>
internal readonly record struct Lse(uint Label, int Tc, bool Bos, int Ttl)
{
    public uint Encode() => (Label << 12) | ((uint)Tc << 9) | (Bos ? 0x100u : 0) | (uint)Ttl;
}

/// <summary>An Ethernet frame taken apart as RFC 3032 describes it: MACs, VLAN tags, Ethernet type, label stack, payload.</summary>
internal sealed record MplsFrame(byte[] Macs, List<(ushort Tpid, ushort Tci)> Tags, ushort EthType, List<Lse> Labels, byte[] Payload);

/// <summary>
/// A reference MPLS decoder and encoder for the tests, written from RFC 3032 and independent of the
/// executor's code (PacketDotNet 1.4.8 has no MPLS): the stack runs from after the Ethernet type to the
/// entry with the bottom-of-stack bit.
/// </summary>
internal static class MplsReference
{
    public static MplsFrame Decode(byte[] frame)
    {
        int i = 12;
        var tags = new List<(ushort, ushort)>();
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(i));
        while (type is 0x8100 or 0x88a8)
        {
            tags.Add((type, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(i + 2))));
            i += 4;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(i));
        }

        i += 2;
        var labels = new List<Lse>();
        if (type is 0x8847 or 0x8848)
        {
            while (true)
            {
                uint w = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(i));
                var lse = new Lse(w >> 12, (int)((w >> 9) & 7), ((w >> 8) & 1) != 0, (int)(w & 0xff));
                labels.Add(lse);
                i += 4;
                if (lse.Bos)
                {
                    break;
                }
            }
        }

        return new MplsFrame(frame[..12], tags, type, labels, frame[i..]);
    }

    /// <summary>
    /// <paramref name="frame"/> (Ethernet, optionally VLAN-tagged) with <paramref name="labels"/> inserted
    /// after its Ethernet type field, whose value becomes <paramref name="mplsType"/>.
    /// </summary>
    public static byte[] WithLabels(byte[] frame, ushort mplsType, params Lse[] labels)
    {
        int t = 12;
        while (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(t)) is 0x8100 or 0x88a8)
        {
            t += 4;
        }

        var b = new List<byte>(frame[..t]) { (byte)(mplsType >> 8), (byte)mplsType };
        foreach (Lse l in labels)
        {
            uint w = l.Encode();
            b.AddRange([(byte)(w >> 24), (byte)(w >> 16), (byte)(w >> 8), (byte)w]);
        }

        b.AddRange(frame[(t + 2)..]);
        return [.. b];
    }
}
