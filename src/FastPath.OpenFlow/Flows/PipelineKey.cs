using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using FastPath.Packets;

namespace FastPath.OpenFlow.Flows;

/// <summary>
/// A packet's flow as the OpenFlow pipeline sees it: the datapath's <see cref="FlowKey"/> (words 0-15, the
/// same bytes and layout) followed by fields that exist only inside the pipeline (words 16-23): metadata,
/// tunnel id, in_phy_port, PBB I-SID, the IPv6 extension header pseudo-field, and registers reg0-reg7.
/// </summary>
/// <remarks>
/// As Open vSwitch's <c>struct flow</c>, one layout serves as a packet's values, a rule's values and a rule's
/// mask (<see cref="PipelineMatch"/>). Because words 0-15 are the datapath key, the wildcards the OpenFlow
/// classifier un-wildcards while it decides are directly the megaflow's mask (<see cref="PacketPart"/>).
/// Pipeline-only fields are host order (a mask is then a plain integer); packet fields keep
/// <see cref="FlowKey"/>'s conventions (network order on the wire's bytes).
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct PipelineKey : IEquatable<PipelineKey>
{
    /// <summary>Size in bytes.</summary>
    public const int Size = 192;

    /// <summary>Number of 64-bit words.</summary>
    public const int Words = Size / 8;

    /// <summary>Number of registers (reg0-reg7, 32 bits each, as Open vSwitch's NXM_NX_REGn).</summary>
    public const int Registers = 8;

    /// <summary>Byte offsets of the pipeline-only fields (packet fields are at <see cref="FlowKey.Offsets"/>).</summary>
    public static class Offsets
    {
        /// <summary>OpenFlow metadata (u64, host order).</summary>
        public const int Metadata = 128;
        /// <summary>tunnel_id (u64, host order).</summary>
        public const int TunnelId = 136;
        /// <summary>in_phy_port (u32, host order).</summary>
        public const int InPhyPort = 144;
        /// <summary>pbb_isid (u32, host order, low 24 bits).</summary>
        public const int PbbIsid = 148;
        /// <summary>ipv6_exthdr (u16, host order, OFPIEH_* bits).</summary>
        public const int Ipv6Exthdr = 152;
        /// <summary>reg0 (u32, host order); regN is at Reg0 + 4N.</summary>
        public const int Reg0 = 160;
    }

    [FieldOffset(0)] private FlowKey packet;

    /// <summary>The datapath key: what a megaflow matches on.</summary>
    [UnscopedRef]
    public ref FlowKey PacketPart => ref packet;

    /// <summary>The whole key as bytes.</summary>
    [UnscopedRef]
    public Span<byte> Bytes => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref this, 1));

    /// <summary>The whole key as bytes, read-only.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<byte> ReadOnlyBytes => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in this, 1));

    /// <summary>The whole key as 64-bit words.</summary>
    [UnscopedRef]
    public Span<ulong> AsWords => MemoryMarshal.Cast<byte, ulong>(Bytes);

    /// <summary>The whole key as read-only 64-bit words.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<ulong> ReadOnlyWords => MemoryMarshal.Cast<byte, ulong>(ReadOnlyBytes);

    /// <summary>OpenFlow metadata (written by write-metadata, 0 when a packet enters the pipeline).</summary>
    public ulong Metadata
    {
        readonly get => BinaryPrimitives.ReadUInt64LittleEndian(ReadOnlyBytes[Offsets.Metadata..]);
        set => BinaryPrimitives.WriteUInt64LittleEndian(Bytes[Offsets.Metadata..], value);
    }

    /// <summary>tunnel_id (always 0 for FastPath's ports today: no tunnel ports yet).</summary>
    public ulong TunnelId
    {
        readonly get => BinaryPrimitives.ReadUInt64LittleEndian(ReadOnlyBytes[Offsets.TunnelId..]);
        set => BinaryPrimitives.WriteUInt64LittleEndian(Bytes[Offsets.TunnelId..], value);
    }

    /// <summary>Register <paramref name="index"/> (0-7).</summary>
    public readonly uint Reg(int index) =>
        (uint)index < Registers ? BinaryPrimitives.ReadUInt32LittleEndian(ReadOnlyBytes[(Offsets.Reg0 + (4 * index))..]) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Sets register <paramref name="index"/> (0-7).</summary>
    public void SetReg(int index, uint value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Registers, nameof(index));
        BinaryPrimitives.WriteUInt32LittleEndian(Bytes[(Offsets.Reg0 + (4 * index))..], value);
    }

    /// <summary>The pipeline key of a packet fresh from a port: its datapath key, every pipeline-only field zero.</summary>
    public static PipelineKey FromPacket(in FlowKey key)
    {
        PipelineKey k = default;
        k.packet = key;
        return k;
    }

    /// <summary>Which lookup stage word <paramref name="word"/> belongs to: 0 metadata (words 0-1 and 16-23), 1 L2, 2 L3, 3 L4.</summary>
    public static int StageOf(int word) => word switch
    {
        < 2 => 0,
        < 5 => 1,
        < 14 => 2,
        < 16 => 3,
        _ => 0,
    };

    /// <inheritdoc/>
    public readonly bool Equals(PipelineKey other) => ReadOnlyBytes.SequenceEqual(other.ReadOnlyBytes);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is PipelineKey k && Equals(k);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(ReadOnlyBytes);
        return h.ToHashCode();
    }

    /// <summary>Byte-wise equality.</summary>
    public static bool operator ==(PipelineKey left, PipelineKey right) => left.Equals(right);

    /// <summary>Byte-wise inequality.</summary>
    public static bool operator !=(PipelineKey left, PipelineKey right) => !left.Equals(right);
}
