using System.Buffers.Binary;
using FastPath.Ofproto.Normal;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Normal;

/// <summary>Flow keys of Ethernet frames, built as FlowExtractor fills them (TCI with CFI set when a tag is present), and such frames.</summary>
internal static class NormalFrames
{
    /// <summary>
    /// A UDP/IPv4 frame from <paramref name="src"/> to <paramref name="dst"/>, with an 802.1Q header carrying
    /// <paramref name="tci"/> when its <see cref="FlowKey.VlanCfi"/> bit (the key's "present") is set.
    /// </summary>
    public static byte[] Udp(ulong src, ulong dst, ushort tci = 0, ushort sport = 1000)
    {
        byte[] untagged = Upcalls.UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", sport, 53);
        EthernetAddress.Write(dst, untagged);
        EthernetAddress.Write(src, untagged.AsSpan(6));
        if ((tci & FlowKey.VlanCfi) == 0)
        {
            return untagged;
        }

        byte[] tagged = new byte[untagged.Length + 4];
        untagged.AsSpan(0, 12).CopyTo(tagged);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(12), EtherTypes.Vlan8021Q);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(14), (ushort)(tci & ~FlowKey.VlanCfi));
        untagged.AsSpan(12).CopyTo(tagged.AsSpan(16));
        return tagged;
    }

    public static FlowKey Key(uint inPort, ulong src, ulong dst, ushort tci = 0, ushort innerTci = 0, ushort ethType = EtherTypes.Ipv4, ushort tpid = EtherTypes.Vlan8021Q)
    {
        FlowKey k = default;
        k.InPort = inPort;
        EthernetAddress.Write(src, k.DlSrc);
        EthernetAddress.Write(dst, k.DlDst);
        k.EthType = ethType;
        if ((tci & FlowKey.VlanCfi) != 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.Vlan0..], tpid);
            BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[(FlowKey.Offsets.Vlan0 + 2)..], tci);
            if ((innerTci & FlowKey.VlanCfi) != 0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[FlowKey.Offsets.Vlan1..], EtherTypes.Vlan8021Q);
                BinaryPrimitives.WriteUInt16BigEndian(k.Bytes[(FlowKey.Offsets.Vlan1 + 2)..], innerTci);
            }
        }

        return k;
    }

    /// <summary>The outer TCI a frame that arrived with <paramref name="inTci"/> leaves with (0 = untagged) after <paramref name="o"/>'s change.</summary>
    public static ushort OutTci(ushort inTci, NormalOutput o) => o.VlanAction switch
    {
        NormalVlanAction.None => inTci,
        NormalVlanAction.Pop => 0,
        NormalVlanAction.Push => (ushort)(FlowKey.VlanCfi | (o.Pcp << 13) | o.Vid),
        NormalVlanAction.SetVid => (ushort)((inTci & 0xf000) | o.Vid),
        _ => throw new ArgumentOutOfRangeException(nameof(o)),
    };
}
