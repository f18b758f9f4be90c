using System.Buffers.Binary;

namespace FastPath.Datapath.Tests;

/// <summary>
/// Deliberately naive checksum code, written straight from RFC 1071, RFC 768/793/8200 (pseudo-headers)
/// and RFC 3309 (CRC32c, bit by bit), so the tests do not check the product code against itself.
/// </summary>
internal static class ReferenceChecksum
{
    /// <summary>One's-complement sum of big-endian words, folded, not complemented.</summary>
    public static ushort OnesSum(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            int hi = data[i];
            int lo = i + 1 < data.Length ? data[i + 1] : 0;
            sum += (ulong)((hi << 8) | lo);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)sum;
    }

    /// <summary>True when the IPv4 header at <paramref name="l3"/> sums to all ones.</summary>
    public static bool Ipv4HeaderValid(ReadOnlySpan<byte> frame, int l3)
    {
        int ihl = (frame[l3] & 0x0f) * 4;
        return OnesSum(frame.Slice(l3, ihl)) == 0xffff;
    }

    /// <summary>
    /// The pseudo-header plus L4 bytes for a TCP/UDP/ICMPv6 checksum, with the checksum field as it is
    /// in the frame. For IPv6 the destination is the final one (last routing header address) when
    /// <paramref name="finalDestination"/> is given.
    /// </summary>
    public static byte[] PseudoAndSegment(ReadOnlySpan<byte> frame, int l3, int l4, byte proto, byte[]? finalDestination = null)
    {
        var b = new List<byte>();
        int end;
        if (frame[l3] >> 4 == 4)
        {
            end = l3 + BinaryPrimitives.ReadUInt16BigEndian(frame[(l3 + 2)..]);
            b.AddRange(frame.Slice(l3 + 12, 8).ToArray());
            b.Add(0);
            b.Add(proto);
            b.Add((byte)((end - l4) >> 8));
            b.Add((byte)(end - l4));
        }
        else
        {
            end = l3 + 40 + BinaryPrimitives.ReadUInt16BigEndian(frame[(l3 + 4)..]);
            int len = end - l4;
            b.AddRange(frame.Slice(l3 + 8, 16).ToArray());
            b.AddRange(finalDestination ?? frame.Slice(l3 + 24, 16).ToArray());
            b.AddRange(new byte[] { (byte)(len >> 24), (byte)(len >> 16), (byte)(len >> 8), (byte)len, 0, 0, 0, proto });
        }

        b.AddRange(frame[l4..end].ToArray());
        return [.. b];
    }

    /// <summary>True when the L4 checksum (TCP, UDP or ICMPv6) verifies over pseudo-header and segment.</summary>
    public static bool TransportValid(ReadOnlySpan<byte> frame, int l3, int l4, byte proto, byte[]? finalDestination = null) =>
        OnesSum(PseudoAndSegment(frame, l3, l4, proto, finalDestination)) == 0xffff;

    /// <summary>The correct L4 checksum for the frame as it stands, with the field at <paramref name="csumOffset"/> taken as zero.</summary>
    public static ushort TransportChecksum(ReadOnlySpan<byte> frame, int l3, int l4, byte proto, int csumOffset)
    {
        byte[] copy = frame.ToArray();
        copy[l4 + csumOffset] = 0;
        copy[l4 + csumOffset + 1] = 0;
        return (ushort)~OnesSum(PseudoAndSegment(copy, l3, l4, proto));
    }

    /// <summary>CRC32c bit by bit: reflected polynomial 0x82F63B78, initial and final value all ones.</summary>
    public static uint Crc32c(ReadOnlySpan<byte> data)
    {
        uint crc = 0xffffffff;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>The SCTP checksum for the SCTP packet at [l4, end): CRC32c with the checksum field zero.</summary>
    public static uint SctpCrc(ReadOnlySpan<byte> frame, int l4, int end)
    {
        byte[] copy = frame[l4..end].ToArray();
        Array.Clear(copy, 8, 4);
        return Crc32c(copy);
    }

    /// <summary>The checksum an SCTP packet carries, read in its least-significant-byte-first order.</summary>
    public static uint SctpStored(ReadOnlySpan<byte> frame, int l4) => BinaryPrimitives.ReadUInt32LittleEndian(frame[(l4 + 8)..]);
}
