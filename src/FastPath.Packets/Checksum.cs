using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace FastPath.Packets;

/// <summary>Internet checksum (RFC 1071), its incremental update (RFC 1624), and CRC32c for SCTP.</summary>
/// <remarks>
/// Every 16-bit checksum and word here is the host-order value of a big-endian field, i.e. what
/// <see cref="BinaryPrimitives.ReadUInt16BigEndian"/> returns for the bytes on the wire.
/// </remarks>
public static class Checksum
{
    /// <summary>
    /// One's-complement sum of <paramref name="data"/> taken as big-endian 16-bit words (an odd last
    /// byte is padded with zero), added to <paramref name="initial"/> and folded to 16 bits; not complemented.
    /// </summary>
    /// <remarks>Chain sums of several spans only when every span but the last has even length.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Sum(ReadOnlySpan<byte> data, ushort initial = 0)
    {
        // One's-complement addition commutes with byte swapping (RFC 1071 §2(B)), so words are
        // summed in native order and the folded result is swapped once at the end.
        ulong sum = SumNative(data);
        ushort folded = Fold(sum);
        if (BitConverter.IsLittleEndian)
        {
            folded = BinaryPrimitives.ReverseEndianness(folded);
        }

        return Add(folded, initial);
    }

    /// <summary>The Internet checksum of <paramref name="data"/>: the complement of <see cref="Sum"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Compute(ReadOnlySpan<byte> data, ushort initial = 0) => (ushort)~Sum(data, initial);

    /// <summary>
    /// The sum (not complemented) of the TCP/UDP/ICMPv6 pseudo-header: the address pair (8 bytes for IPv4,
    /// 32 for IPv6), a zero byte, the protocol and the L4 length. Pass it as <c>initial</c> to
    /// <see cref="Compute"/> over the L4 segment.
    /// </summary>
    public static ushort PseudoHeaderSum(ReadOnlySpan<byte> addresses, byte protocol, int l4Length)
    {
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(tail, protocol);
        BinaryPrimitives.WriteUInt16BigEndian(tail[2..], (ushort)l4Length);
        return Sum(tail, Sum(addresses));
    }

    /// <summary>One's-complement addition of two 16-bit values (end-around carry).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Add(ushort a, ushort b)
    {
        uint s = (uint)a + b;
        return (ushort)((s & 0xffff) + (s >> 16));
    }

    /// <summary>
    /// RFC 1624 eqn. 3: the checksum after one covered 16-bit word changed from
    /// <paramref name="oldWord"/> to <paramref name="newWord"/>.
    /// </summary>
    /// <remarks>
    /// The result may be 0x0000 (only when the covered data sums to zero): callers whose protocol
    /// reserves 0 (UDP) must map it to 0xFFFF themselves.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Update16(ushort checksum, ushort oldWord, ushort newWord)
    {
        // ~HC + ~m + m', computed in 32 bits so both carries fold back in one step pair.
        uint s = (uint)(ushort)~checksum + (ushort)~oldWord + newWord;
        s = (s & 0xffff) + (s >> 16);
        s = (s & 0xffff) + (s >> 16);
        return (ushort)~s;
    }

    /// <summary>The checksum after a covered, 16-bit aligned 32-bit value changed (e.g. an IPv4 address).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Update32(ushort checksum, uint oldValue, uint newValue)
    {
        // Five 16-bit terms stay below 2^19: two end-around folds bring any such sum to 16 bits.
        uint s = (uint)(ushort)~checksum
            + (ushort)~(oldValue >> 16) + (ushort)~(oldValue & 0xffff)
            + (newValue >> 16) + (newValue & 0xffff);
        s = (s & 0xffff) + (s >> 16);
        s = (s & 0xffff) + (s >> 16);
        return (ushort)~s;
    }

    /// <summary>
    /// The checksum after a covered, 16-bit aligned 16-byte value (an IPv6 address) changed from
    /// <paramref name="oldValue"/> to <paramref name="newValue"/>; both spans must be 16 bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Update128(ushort checksum, ReadOnlySpan<byte> oldValue, ReadOnlySpan<byte> newValue)
    {
        if (oldValue.Length != 16 || newValue.Length != 16)
        {
            ThrowNot16();
        }

        // Negation distributes over one's-complement addition, so the eight word changes collapse
        // into a single 16-bit update between the two sums.
        return Update16(checksum, Sum(oldValue), Sum(newValue));
    }

    /// <summary>
    /// CRC32c (Castagnoli, as SCTP uses it) of <paramref name="data"/>, continuing from a previous
    /// result <paramref name="crc"/> (0 to start): <c>Crc32c(b, Crc32c(a)) == Crc32c(a + b)</c>.
    /// </summary>
    public static uint Crc32c(ReadOnlySpan<byte> data, uint crc = 0)
    {
        if (Sse42.X64.IsSupported)
        {
            return ~Crc32cX64(~crc, data);
        }

        if (Crc32.Arm64.IsSupported)
        {
            return ~Crc32cArm64(~crc, data);
        }

        return ~Crc32cSoftware(~crc, data);
    }

    /// <summary>Whether <see cref="Crc32c"/> runs on a CPU instruction rather than the table.</summary>
    public static bool IsCrc32cAccelerated => Sse42.X64.IsSupported || Crc32.Arm64.IsSupported;

    /// <summary>Raw CRC32c register update by table (no pre/post inversion); also the flow caches' hash fallback.</summary>
    public static uint Crc32cSoftware(uint state, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<uint> t = Crc32cTable.Value;
        int i = 0;

        // Slicing-by-8: one table round per 8 bytes instead of eight dependent lookups.
        for (; i + 8 <= data.Length; i += 8)
        {
            uint lo = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]) ^ state;
            uint hi = BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            state = t[(7 * 256) + (int)(lo & 0xff)] ^ t[(6 * 256) + (int)((lo >> 8) & 0xff)]
                ^ t[(5 * 256) + (int)((lo >> 16) & 0xff)] ^ t[(4 * 256) + (int)(lo >> 24)]
                ^ t[(3 * 256) + (int)(hi & 0xff)] ^ t[(2 * 256) + (int)((hi >> 8) & 0xff)]
                ^ t[256 + (int)((hi >> 16) & 0xff)] ^ t[(int)(hi >> 24)];
        }

        for (; i < data.Length; i++)
        {
            state = t[(int)((state ^ data[i]) & 0xff)] ^ (state >> 8);
        }

        return state;
    }

    /// <summary>Raw CRC32c register update with SSE4.2 (no pre/post inversion); x64 only.</summary>
    internal static uint Crc32cX64(uint state, ReadOnlySpan<byte> data)
    {
        ulong s = state;
        ref byte p = ref MemoryMarshal.GetReference(data);
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            s = Sse42.X64.Crc32(s, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
        }

        uint s32 = (uint)s;
        for (; i < data.Length; i++)
        {
            s32 = Sse42.Crc32(s32, Unsafe.Add(ref p, i));
        }

        return s32;
    }

    /// <summary>Raw CRC32c register update with the ARMv8 CRC instructions (no pre/post inversion).</summary>
    internal static uint Crc32cArm64(uint state, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            state = Crc32.Arm64.ComputeCrc32C(state, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
        }

        for (; i < data.Length; i++)
        {
            state = Crc32.ComputeCrc32C(state, Unsafe.Add(ref p, i));
        }

        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort Fold(ulong sum)
    {
        sum = (sum & 0xffffffff) + (sum >> 32);
        sum = (sum & 0xffffffff) + (sum >> 32);
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)sum;
    }

    // Native-order one's-complement sum, unfolded. Each 64-bit load is split into two 32-bit halves
    // added into a 64-bit accumulator, which cannot overflow for any span shorter than 2^32 words.
    private static ulong SumNative(ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        int n = data.Length;
        int i = 0;
        ulong a = 0;
        ulong b = 0;

        for (; i + 32 <= n; i += 32)
        {
            ulong w0 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i));
            ulong w1 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 8));
            ulong w2 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 16));
            ulong w3 = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i + 24));
            a += (w0 & 0xffffffff) + (w0 >> 32) + (w1 & 0xffffffff) + (w1 >> 32);
            b += (w2 & 0xffffffff) + (w2 >> 32) + (w3 & 0xffffffff) + (w3 >> 32);
        }

        for (; i + 8 <= n; i += 8)
        {
            ulong w = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i));
            a += (w & 0xffffffff) + (w >> 32);
        }

        if (i + 4 <= n)
        {
            b += Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i));
            i += 4;
        }

        if (i + 2 <= n)
        {
            a += Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref p, i));
            i += 2;
        }

        if (i < n)
        {
            // The odd byte is the high byte of a zero-padded big-endian word.
            byte last = Unsafe.Add(ref p, i);
            b += BitConverter.IsLittleEndian ? last : (ulong)last << 8;
        }

        // a + b cannot overflow: each stays below 2^63 for any span a Span can describe.
        return a + b;
    }

    private static void ThrowNot16() =>
        throw new ArgumentException("an IPv6 address update needs two 16-byte values");

    // Built on first use so processes that never see SCTP on a CPU with CRC instructions pay nothing.
    private static class Crc32cTable
    {
        // 8 tables of 256 entries for slicing-by-8; table 0 is the classic byte-at-a-time table.
        internal static readonly uint[] Value = Build();

        private static uint[] Build()
        {
            const uint reflectedPoly = 0x82F63B78;
            var t = new uint[8 * 256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? (c >> 1) ^ reflectedPoly : c >> 1;
                }

                t[n] = c;
            }

            for (int n = 0; n < 256; n++)
            {
                for (int k = 1; k < 8; k++)
                {
                    uint prev = t[((k - 1) * 256) + n];
                    t[(k * 256) + n] = t[prev & 0xff] ^ (prev >> 8);
                }
            }

            return t;
        }
    }
}
