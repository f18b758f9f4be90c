using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Packets;

/// <summary>
/// The fixed-size (128 bytes, sixteen 64-bit words) key of a packet's flow, grouped by stage:
/// metadata (words 0-1), L2 (words 2-4), L3 (words 5-13, MPLS label stack in words 5-6), L4 (words 14-15).
/// </summary>
/// <remarks>
/// <para>
/// Multi-byte packet fields are stored in network byte order, exactly as on the wire, so a mask
/// has the same layout and prefix masks on addresses are contiguous bits. Metadata (in_port,
/// recirc_id, parse flags) is host order. ARP and RARP reuse nw_src/nw_dst (spa/tpa) and nw_proto (opcode,
/// low byte), and arp_sha/arp_tha; ICMP and IGMP reuse tp_src/tp_dst for type/code, as Open vSwitch does.
/// </para>
/// <para>
/// The MPLS label stack (three label stack entries and a zero fourth slot, as Open vSwitch's mpls_lse[])
/// shares words 5-6 with nw_src. This is deliberate: the key has no 17th word (L2 with the stack would
/// take 5 words and L3 with ND 9), and the two never coexist, because flow extraction stops at the label
/// stack of an MPLS frame (dl_type 0x8847/0x8848), so an MPLS key's L3 and L4 are otherwise zero. The
/// megaflow classifier compares whole words under a mask; a match on the stack always includes dl_type
/// (which <c>MatchBuilder</c> enforces), so an MPLS match and an IPv4/IPv6 match on the same words stay
/// apart, the way ARP's spa and IPv4's source already share bytes.
/// </para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct FlowKey : IEquatable<FlowKey>
{
    /// <summary>Size of the key in bytes.</summary>
    public const int Size = 128;

    /// <summary>Number of 64-bit words in the key.</summary>
    public const int Words = Size / 8;

    /// <summary>Byte offsets of every field; masks and actions address fields by these.</summary>
    public static class Offsets
    {
        /// <summary>in_port (u32, host order).</summary>
        public const int InPort = 0;
        /// <summary>recirc_id (u32, host order).</summary>
        public const int RecircId = 4;
        /// <summary>pkt_mark (u32, host order).</summary>
        public const int PktMark = 8;
        /// <summary>Parse flags (u16, host order): see <see cref="ParseFlags"/>.</summary>
        public const int Flags = 12;
        /// <summary>Ethernet destination (6 bytes).</summary>
        public const int DlDst = 16;
        /// <summary>Ethernet source (6 bytes).</summary>
        public const int DlSrc = 22;
        /// <summary>Ethernet type after VLAN tags (u16, network order).</summary>
        public const int DlType = 28;
        /// <summary>Outer VLAN tag: TPID (u16) then TCI (u16), network order. TCI has the CFI bit set when present.</summary>
        public const int Vlan0 = 32;
        /// <summary>Inner VLAN tag (QinQ): TPID then TCI.</summary>
        public const int Vlan1 = 36;
        /// <summary>IPv4 source (first 4 bytes) or IPv6 source (16 bytes); ARP sender protocol address.</summary>
        public const int NwSrc = 40;
        /// <summary>MPLS label stack entries 0-2 (u32 each, network order, as on the wire), then a zero slot; shares bytes with <see cref="NwSrc"/>.</summary>
        public const int MplsLse = 40;
        /// <summary>IPv4 destination (first 4 bytes) or IPv6 destination (16 bytes); ARP target protocol address.</summary>
        public const int NwDst = 56;
        /// <summary>IPv6 flow label (u32, network order, low 20 bits).</summary>
        public const int Ipv6Label = 72;
        /// <summary>IP protocol / IPv6 next header after extension headers; ARP opcode low byte.</summary>
        public const int NwProto = 76;
        /// <summary>IPv4 TOS / IPv6 traffic class (DSCP and ECN).</summary>
        public const int NwTos = 77;
        /// <summary>IPv4 TTL / IPv6 hop limit.</summary>
        public const int NwTtl = 78;
        /// <summary>Fragment bits: see <see cref="FragFlags"/>.</summary>
        public const int NwFrag = 79;
        /// <summary>ARP sender hardware address / ND source link-layer address (6 bytes).</summary>
        public const int ArpSha = 80;
        /// <summary>ARP target hardware address / ND target link-layer address (6 bytes).</summary>
        public const int ArpTha = 88;
        /// <summary>ND target address (16 bytes).</summary>
        public const int NdTarget = 96;
        /// <summary>L4 source port / ICMP type (u16, network order; ICMP type in the low byte's position as u16 value).</summary>
        public const int TpSrc = 112;
        /// <summary>L4 destination port / ICMP code.</summary>
        public const int TpDst = 114;
        /// <summary>TCP flags (u16, network order, low 12 bits).</summary>
        public const int TcpFlags = 116;
    }

    /// <summary>First word of each lookup stage (metadata, L2, L3, L4), plus the end.</summary>
    public static ReadOnlySpan<byte> StageStartWords => [0, 2, 5, 14, 16];

    [FieldOffset(Offsets.InPort)] internal uint inPort;
    [FieldOffset(Offsets.RecircId)] internal uint recircId;
    [FieldOffset(Offsets.PktMark)] internal uint pktMark;
    [FieldOffset(Offsets.Flags)] internal ushort flags;
    [FieldOffset(Offsets.DlType)] internal ushort dlType;
    [FieldOffset(Offsets.Vlan0)] internal uint vlan0;
    [FieldOffset(Offsets.Vlan1)] internal uint vlan1;
    [FieldOffset(Offsets.Ipv6Label)] internal uint ipv6Label;
    [FieldOffset(Offsets.NwProto)] internal byte nwProto;
    [FieldOffset(Offsets.NwTos)] internal byte nwTos;
    [FieldOffset(Offsets.NwTtl)] internal byte nwTtl;
    [FieldOffset(Offsets.NwFrag)] internal byte nwFrag;
    [FieldOffset(Offsets.TpSrc)] internal ushort tpSrc;
    [FieldOffset(Offsets.TpDst)] internal ushort tpDst;
    [FieldOffset(Offsets.TcpFlags)] internal ushort tcpFlags;

    /// <summary>The whole key as bytes.</summary>
    [UnscopedRef]
    public Span<byte> Bytes => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref this, 1));

    /// <summary>The whole key as sixteen 64-bit words.</summary>
    [UnscopedRef]
    public Span<ulong> AsWords => MemoryMarshal.Cast<byte, ulong>(Bytes);

    /// <summary>The whole key as sixteen read-only 64-bit words.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<ulong> ReadOnlyWords => MemoryMarshal.Cast<byte, ulong>(ReadOnlyBytes);

    /// <summary>Datapath input port.</summary>
    public uint InPort { readonly get => inPort; set => inPort = value; }

    /// <summary>Recirculation id (0 for packets fresh from a port).</summary>
    public uint RecircId { readonly get => recircId; set => recircId = value; }

    /// <summary>How far parsing got; a damaged packet carries <see cref="ParseFlags.Truncated"/> or <see cref="ParseFlags.Malformed"/>.</summary>
    public ParseFlags Flags { readonly get => (ParseFlags)flags; set => flags = (ushort)value; }

    /// <summary>Ethernet type (host order) after any VLAN tags; below 0x600 means an 802.3 frame (0x05ff).</summary>
    public ushort EthType { readonly get => BinaryPrimitives.ReverseEndianness(dlType); set => dlType = BinaryPrimitives.ReverseEndianness(value); }

    /// <summary>Ethernet destination.</summary>
    [UnscopedRef] public Span<byte> DlDst => Bytes.Slice(Offsets.DlDst, 6);

    /// <summary>Ethernet source.</summary>
    [UnscopedRef] public Span<byte> DlSrc => Bytes.Slice(Offsets.DlSrc, 6);

    /// <summary>Outer VLAN TPID (host order), 0 if untagged.</summary>
    public readonly ushort Vlan0Tpid => ReadBe16(Offsets.Vlan0);

    /// <summary>Outer VLAN TCI (host order) with <see cref="VlanCfi"/> set when a tag is present.</summary>
    public readonly ushort Vlan0Tci => ReadBe16(Offsets.Vlan0 + 2);

    /// <summary>Inner VLAN TPID (host order), 0 if at most one tag.</summary>
    public readonly ushort Vlan1Tpid => ReadBe16(Offsets.Vlan1);

    /// <summary>Inner VLAN TCI (host order) with <see cref="VlanCfi"/> set when present.</summary>
    public readonly ushort Vlan1Tci => ReadBe16(Offsets.Vlan1 + 2);

    /// <summary>The bit Open vSwitch calls VLAN_CFI: set in a key's TCI when the tag is present.</summary>
    public const ushort VlanCfi = 0x1000;

    /// <summary>Number of MPLS label stack entries the key holds (Open vSwitch's FLOW_MAX_MPLS_LABELS).</summary>
    public const int MaxMplsLabels = 3;

    /// <summary>MPLS label stack entry <paramref name="index"/> (0 = outermost) as a host-order word: label, TC, BOS, TTL.</summary>
    public readonly uint MplsLse(int index) =>
        (uint)index < MaxMplsLabels ? ReadBe32(Offsets.MplsLse + 4 * index) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Outermost MPLS label (20 bits).</summary>
    public readonly uint MplsLabel => MplsLse(0) >> 12;

    /// <summary>Outermost MPLS traffic class (3 bits).</summary>
    public readonly byte MplsTc => (byte)((MplsLse(0) >> 9) & 7);

    /// <summary>Outermost MPLS bottom-of-stack bit.</summary>
    public readonly bool MplsBos => (MplsLse(0) & 0x100) != 0;

    /// <summary>Outermost MPLS TTL.</summary>
    public readonly byte MplsTtl => (byte)MplsLse(0);

    /// <summary>IPv4 source as a host-order integer (ARP: sender protocol address).</summary>
    public readonly uint Ipv4Src => ReadBe32(Offsets.NwSrc);

    /// <summary>IPv4 destination as a host-order integer (ARP: target protocol address).</summary>
    public readonly uint Ipv4Dst => ReadBe32(Offsets.NwDst);

    /// <summary>IPv6 source address bytes.</summary>
    [UnscopedRef] public Span<byte> Ipv6Src => Bytes.Slice(Offsets.NwSrc, 16);

    /// <summary>IPv6 destination address bytes.</summary>
    [UnscopedRef] public Span<byte> Ipv6Dst => Bytes.Slice(Offsets.NwDst, 16);

    /// <summary>IPv6 flow label (host order).</summary>
    public readonly uint Ipv6Label => ReadBe32(Offsets.Ipv6Label);

    /// <summary>IP protocol, or the ARP opcode's low byte.</summary>
    public byte NwProto { readonly get => nwProto; set => nwProto = value; }

    /// <summary>IPv4 TOS / IPv6 traffic class.</summary>
    public byte NwTos { readonly get => nwTos; set => nwTos = value; }

    /// <summary>IPv4 TTL / IPv6 hop limit.</summary>
    public byte NwTtl { readonly get => nwTtl; set => nwTtl = value; }

    /// <summary>Fragment bits.</summary>
    public FragFlags NwFrag { readonly get => (FragFlags)nwFrag; set => nwFrag = (byte)value; }

    /// <summary>ARP sender hardware address / ND source link-layer address.</summary>
    [UnscopedRef] public Span<byte> ArpSha => Bytes.Slice(Offsets.ArpSha, 6);

    /// <summary>ARP target hardware address / ND target link-layer address.</summary>
    [UnscopedRef] public Span<byte> ArpTha => Bytes.Slice(Offsets.ArpTha, 6);

    /// <summary>ND target address.</summary>
    [UnscopedRef] public Span<byte> NdTarget => Bytes.Slice(Offsets.NdTarget, 16);

    /// <summary>L4 source port (host order), or the ICMP type.</summary>
    public readonly ushort TpSrc => BinaryPrimitives.ReverseEndianness(tpSrc);

    /// <summary>L4 destination port (host order), or the ICMP code.</summary>
    public readonly ushort TpDst => BinaryPrimitives.ReverseEndianness(tpDst);

    /// <summary>TCP flags (host order, low 12 bits).</summary>
    public readonly ushort TcpFlags => BinaryPrimitives.ReverseEndianness(tcpFlags);

    /// <summary>IPv4 source as an <see cref="IPAddress"/> (diagnostics, not the hot path).</summary>
    public readonly IPAddress Ipv4SrcAddress => new(ReadOnlyBytes.Slice(Offsets.NwSrc, 4));

    /// <summary>IPv4 destination as an <see cref="IPAddress"/> (diagnostics, not the hot path).</summary>
    public readonly IPAddress Ipv4DstAddress => new(ReadOnlyBytes.Slice(Offsets.NwDst, 4));

    private readonly ReadOnlySpan<byte> ReadOnlyBytes =>
        MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in this, 1));

    private readonly ushort ReadBe16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(ReadOnlyBytes[offset..]);

    private readonly uint ReadBe32(int offset) => BinaryPrimitives.ReadUInt32BigEndian(ReadOnlyBytes[offset..]);

    /// <summary>Compares all 128 bytes.</summary>
    public readonly bool Equals(FlowKey other) => ReadOnlyBytes.SequenceEqual(other.ReadOnlyBytes);

    /// <inheritdoc />
    public override readonly bool Equals(object? obj) => obj is FlowKey k && Equals(k);

    /// <inheritdoc />
    public override readonly int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(ReadOnlyBytes);
        return h.ToHashCode();
    }

    /// <summary>Equality of all 128 bytes.</summary>
    public static bool operator ==(FlowKey a, FlowKey b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(FlowKey a, FlowKey b) => !a.Equals(b);
}

/// <summary>How far the parser got with a packet.</summary>
[Flags]
public enum ParseFlags : ushort
{
    /// <summary>Parsed completely.</summary>
    None = 0,
    /// <summary>The packet ended inside a header; fields past that point are zero.</summary>
    Truncated = 1,
    /// <summary>A header had an impossible value (for example IPv4 IHL below 5); fields past it are zero.</summary>
    Malformed = 2,
}

/// <summary>Fragment bits in the flow key (Open vSwitch's nw_frag).</summary>
[Flags]
public enum FragFlags : byte
{
    /// <summary>Not a fragment.</summary>
    None = 0,
    /// <summary>Any fragment (first or later).</summary>
    Any = 1,
    /// <summary>A later fragment (offset &gt; 0): no L4 header.</summary>
    Later = 2,
}
