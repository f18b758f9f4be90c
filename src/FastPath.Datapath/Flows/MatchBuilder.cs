using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using FastPath.Packets;

namespace FastPath.Datapath.Flows;

/// <summary>
/// Builds a <see cref="FlowMatch"/> field by field, for hand-installed megaflows in tests, benchmarks and
/// the demo (the slow path produces its own). Unset fields are wildcarded.
/// </summary>
public sealed class MatchBuilder
{
    private FlowKey key;
    private FlowKey mask;
    private bool mplsSet;

    /// <summary>Exact in_port.</summary>
    public MatchBuilder InPort(uint port) => SetBe(FlowKey.Offsets.InPort, 4, port, uint.MaxValue, hostOrder: true);

    /// <summary>Exact Ethernet type.</summary>
    public MatchBuilder EthType(ushort type) => SetBe(FlowKey.Offsets.DlType, 2, type, 0xffff);

    /// <summary>Ethernet source with an optional mask.</summary>
    public MatchBuilder EthSrc(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> macMask = default) => SetBytes(FlowKey.Offsets.DlSrc, mac, macMask);

    /// <summary>Ethernet destination with an optional mask.</summary>
    public MatchBuilder EthDst(ReadOnlySpan<byte> mac, ReadOnlySpan<byte> macMask = default) => SetBytes(FlowKey.Offsets.DlDst, mac, macMask);

    /// <summary>Outer VLAN present with this VID (12 bits), any PCP.</summary>
    public MatchBuilder VlanVid(ushort vid) => SetBe(FlowKey.Offsets.Vlan0 + 2, 2, (uint)(vid & 0xfff) | FlowKey.VlanCfi, 0x1fff);

    /// <summary>No VLAN tag at all.</summary>
    public MatchBuilder NoVlan() => SetBe(FlowKey.Offsets.Vlan0 + 2, 2, 0, 0xffff);

    /// <summary>IPv4 source, "a.b.c.d" or "a.b.c.d/len".</summary>
    public MatchBuilder Ipv4Src(string cidr) => Prefix(FlowKey.Offsets.NwSrc, cidr, AddressFamily.InterNetwork);

    /// <summary>IPv4 destination, "a.b.c.d" or "a.b.c.d/len".</summary>
    public MatchBuilder Ipv4Dst(string cidr) => Prefix(FlowKey.Offsets.NwDst, cidr, AddressFamily.InterNetwork);

    /// <summary>IPv6 source, "addr" or "addr/len".</summary>
    public MatchBuilder Ipv6Src(string cidr) => Prefix(FlowKey.Offsets.NwSrc, cidr, AddressFamily.InterNetworkV6);

    /// <summary>IPv6 destination, "addr" or "addr/len".</summary>
    public MatchBuilder Ipv6Dst(string cidr) => Prefix(FlowKey.Offsets.NwDst, cidr, AddressFamily.InterNetworkV6);

    /// <summary>Exact IP protocol.</summary>
    public MatchBuilder NwProto(byte proto) => SetBe(FlowKey.Offsets.NwProto, 1, proto, 0xff);

    /// <summary>Fragment bits under a mask.</summary>
    public MatchBuilder NwFrag(FragFlags value, FragFlags fragMask) => SetBe(FlowKey.Offsets.NwFrag, 1, (uint)value, (uint)fragMask);

    /// <summary>L4 source port (or ICMP type) under a mask.</summary>
    public MatchBuilder TpSrc(ushort port, ushort portMask = 0xffff) => SetBe(FlowKey.Offsets.TpSrc, 2, port, portMask);

    /// <summary>L4 destination port (or ICMP code) under a mask.</summary>
    public MatchBuilder TpDst(ushort port, ushort portMask = 0xffff) => SetBe(FlowKey.Offsets.TpDst, 2, port, portMask);

    /// <summary>IGMP type (kept in tp_src, as Open vSwitch does); pair with <see cref="NwProto"/>(2).</summary>
    public MatchBuilder IgmpType(byte type) => SetBe(FlowKey.Offsets.TpSrc, 2, type, 0xffff);

    /// <summary>IGMP code (kept in tp_dst); for a v2 membership query, the maximum response time.</summary>
    public MatchBuilder IgmpCode(byte code) => SetBe(FlowKey.Offsets.TpDst, 2, code, 0xffff);

    /// <summary>MPLS label (20 bits) of label stack entry <paramref name="index"/> (0 = outermost, up to 2).</summary>
    /// <remarks>Every MPLS field needs an exact MPLS <see cref="EthType"/> in the same match (checked by <see cref="Build"/>).</remarks>
    public MatchBuilder MplsLabel(uint label, int index = 0) => SetLseBits(index, label << 12, 0xfffff000, label > 0xfffff);

    /// <summary>MPLS traffic class (3 bits) of label stack entry <paramref name="index"/>.</summary>
    public MatchBuilder MplsTc(byte tc, int index = 0) => SetLseBits(index, (uint)tc << 9, 0x00000e00, tc > 7);

    /// <summary>MPLS bottom-of-stack bit of label stack entry <paramref name="index"/>.</summary>
    public MatchBuilder MplsBos(bool bos, int index = 0) => SetLseBits(index, bos ? 0x100u : 0, 0x00000100, false);

    /// <summary>MPLS TTL of label stack entry <paramref name="index"/>.</summary>
    public MatchBuilder MplsTtl(byte ttl, int index = 0) => SetLseBits(index, ttl, 0x000000ff, false);

    /// <summary>A whole MPLS label stack entry (label, TC, BOS, TTL as on the wire, host-order word) under a mask.</summary>
    public MatchBuilder MplsLse(int index, uint lse, uint lseMask = uint.MaxValue) => SetLseBits(index, lse, lseMask, false);

    /// <summary>Packets the parser flagged as damaged do not match unless the match says so.</summary>
    public MatchBuilder ParseFlags(ParseFlags flags, ParseFlags flagsMask) => SetBe(FlowKey.Offsets.Flags, 2, (uint)flags, (uint)flagsMask, hostOrder: true);

    /// <summary>Any field by offset: raw network-order bytes and mask.</summary>
    public MatchBuilder SetBytes(int offset, ReadOnlySpan<byte> value, ReadOnlySpan<byte> valueMask = default)
    {
        if (!valueMask.IsEmpty && valueMask.Length != value.Length)
        {
            throw new ArgumentException("mask and value differ in length", nameof(valueMask));
        }

        value.CopyTo(key.Bytes[offset..]);
        if (valueMask.IsEmpty)
        {
            mask.Bytes.Slice(offset, value.Length).Fill(0xff);
        }
        else
        {
            valueMask.CopyTo(mask.Bytes[offset..]);
        }

        return this;
    }

    /// <summary>The match built so far.</summary>
    /// <exception cref="InvalidOperationException">An MPLS field is set without an exact MPLS Ethernet type.</exception>
    public FlowMatch Build()
    {
        // The label stack shares key bytes with nw_src (see FlowKey); only dl_type tells them apart, so an
        // MPLS match without it would also match IP packets whose source address has the same bits.
        if (mplsSet && (mask.EthType != 0xffff || !EtherTypes.IsMpls(key.EthType)))
        {
            throw new InvalidOperationException("an MPLS field needs EthType(0x8847) or EthType(0x8848) in the same match");
        }

        return new(key, mask);
    }

    private MatchBuilder SetLseBits(int index, uint value, uint bits, bool outOfRange)
    {
        if ((uint)index >= FlowKey.MaxMplsLabels)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the key holds {FlowKey.MaxMplsLabels} label stack entries");
        }

        if (outOfRange)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "value does not fit its MPLS field");
        }

        // Several fields share one 32-bit entry: merge into it rather than overwrite it.
        int offset = FlowKey.Offsets.MplsLse + (4 * index);
        Span<byte> k = key.Bytes.Slice(offset, 4);
        Span<byte> m = mask.Bytes.Slice(offset, 4);
        BinaryPrimitives.WriteUInt32BigEndian(k, (BinaryPrimitives.ReadUInt32BigEndian(k) & ~bits) | (value & bits));
        BinaryPrimitives.WriteUInt32BigEndian(m, BinaryPrimitives.ReadUInt32BigEndian(m) | bits);
        mplsSet = true;
        return this;
    }

    private MatchBuilder SetBe(int offset, int size, uint value, uint valueMask, bool hostOrder = false)
    {
        Span<byte> v = stackalloc byte[4];
        Span<byte> m = stackalloc byte[4];
        if (hostOrder)
        {
            // Metadata fields (in_port, parse flags) are kept in native byte order.
            if (size == 4)
            {
                MemoryMarshal.Write(v, in value);
                MemoryMarshal.Write(m, in valueMask);
            }
            else
            {
                ushort v16 = (ushort)value, m16 = (ushort)valueMask;
                MemoryMarshal.Write(v, in v16);
                MemoryMarshal.Write(m, in m16);
            }

            return SetBytes(offset, v[..size], m[..size]);
        }

        BinaryPrimitives.WriteUInt32BigEndian(v, value);
        BinaryPrimitives.WriteUInt32BigEndian(m, valueMask);
        return SetBytes(offset, v[(4 - size)..], m[(4 - size)..]);
    }

    private MatchBuilder Prefix(int offset, string cidr, AddressFamily family)
    {
        string[] parts = cidr.Split('/');
        // IPAddress also accepts shorthand such as "10.0.0"; flows want the full dotted quad.
        bool shorthand = family == AddressFamily.InterNetwork && parts[0].Count(c => c == '.') != 3;
        if (parts.Length > 2 || shorthand || !IPAddress.TryParse(parts[0], out IPAddress? addr) || addr.AddressFamily != family)
        {
            throw new FormatException($"'{cidr}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address or prefix");
        }

        byte[] bytes = addr.GetAddressBytes();
        int bits = bytes.Length * 8;
        int len = bits;
        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out len) || len > bits))
        {
            throw new FormatException($"'{cidr}': prefix length must be 0..{bits}");
        }

        byte[] m = new byte[bytes.Length];
        for (int i = 0; i < len; i++)
        {
            m[i / 8] |= (byte)(0x80 >> (i % 8));
        }

        return SetBytes(offset, bytes, m);
    }
}
