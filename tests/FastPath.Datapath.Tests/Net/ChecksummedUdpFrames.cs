using System.Buffers.Binary;
using System.Net;

namespace FastPath.Datapath.Tests.Net;

/// <summary>
/// Numbered Ethernet/IPv4/UDP frames with correct IPv4 and UDP checksums (unlike the Afxdp tests'
/// frames, whose UDP checksum is 0), so a test can check that a datapath rewrite kept both valid.
/// </summary>
internal static class ChecksummedUdpFrames
{
    /// <summary>Ethernet header length.</summary>
    public const int EthLen = 14;

    /// <summary>IPv4 header length (no options).</summary>
    public const int IpLen = 20;

    /// <summary>UDP header length.</summary>
    public const int UdpLen = 8;

    /// <summary>Offset of the IPv4 source address in a frame.</summary>
    public const int Ipv4SrcOffset = EthLen + 12;

    /// <summary>Offset of the IPv4 header checksum in a frame.</summary>
    public const int Ipv4ChecksumOffset = EthLen + 10;

    /// <summary>Offset of the UDP checksum in a frame.</summary>
    public const int UdpChecksumOffset = EthLen + IpLen + 6;

    private const int MagicLen = 8;
    private static readonly byte[] Magic = "FPNETNS!"u8.ToArray();

    /// <summary>
    /// Frame number <paramref name="seq"/>: <paramref name="src"/>:40000 to <paramref name="dst"/>:<paramref name="dstPort"/>,
    /// with a payload whose size (up to a 1500-byte MTU) and bytes depend on the number.
    /// </summary>
    public static byte[] Build(byte[] srcMac, byte[] dstMac, IPAddress src, IPAddress dst, ushort dstPort, int seq, int? payloadLength = null)
    {
        int payload = payloadLength ?? (MagicLen + 4 + ((seq * 131) % 1400));
        var f = new byte[EthLen + IpLen + UdpLen + payload];
        dstMac.CopyTo(f, 0);
        srcMac.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);

        Span<byte> ip = f.AsSpan(EthLen, IpLen);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(IpLen + UdpLen + payload));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)seq);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // DF: never fragmented on the way.
        ip[8] = 64;
        ip[9] = 17;
        src.GetAddressBytes().CopyTo(ip[12..]);
        dst.GetAddressBytes().CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Fold(Sum(ip, 0)));

        Span<byte> udp = f.AsSpan(EthLen + IpLen);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dstPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpLen + payload));
        Span<byte> data = udp[UdpLen..];
        Magic.AsSpan(0, Math.Min(MagicLen, data.Length)).CopyTo(data);
        if (data.Length >= MagicLen + 4)
        {
            BinaryPrimitives.WriteInt32BigEndian(data[MagicLen..], seq);
        }

        for (int i = MagicLen + 4; i < data.Length; i++)
        {
            data[i] = (byte)((seq * 7) + i);
        }

        // Pseudo-header (addresses, protocol, UDP length) plus the datagram; 0 is sent as 0xffff.
        uint pseudo = Sum(ip.Slice(12, 8), 17u + (uint)(UdpLen + payload));
        ushort c = Fold(Sum(udp, pseudo));
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], c == 0 ? (ushort)0xffff : c);
        return f;
    }

    /// <summary>Whether <paramref name="frame"/> is one of ours sent to UDP <paramref name="dstPort"/>, and its number.</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, ushort dstPort, out int seq)
    {
        seq = -1;
        const int magicAt = EthLen + IpLen + UdpLen;
        if (frame.Length < magicAt + MagicLen + 4
            || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800
            || frame[EthLen] != 0x45
            || frame[EthLen + 9] != 17
            || BinaryPrimitives.ReadUInt16BigEndian(frame[(EthLen + IpLen + 2)..]) != dstPort
            || !frame.Slice(magicAt, MagicLen).SequenceEqual(Magic))
        {
            return false;
        }

        seq = BinaryPrimitives.ReadInt32BigEndian(frame[(magicAt + MagicLen)..]);
        return true;
    }

    /// <summary>A copy of <paramref name="frame"/> with both checksum fields zeroed, to compare frames whose checksums were recomputed.</summary>
    public static byte[] WithoutChecksums(ReadOnlySpan<byte> frame)
    {
        byte[] copy = frame.ToArray();
        copy[Ipv4ChecksumOffset] = copy[Ipv4ChecksumOffset + 1] = 0;
        copy[UdpChecksumOffset] = copy[UdpChecksumOffset + 1] = 0;
        return copy;
    }

    private static uint Sum(ReadOnlySpan<byte> bytes, uint sum)
    {
        int i = 0;
        for (; i + 1 < bytes.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        }

        if (i < bytes.Length)
        {
            sum += (uint)bytes[i] << 8;
        }

        return sum;
    }

    private static ushort Fold(uint sum)
    {
        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
