using System.Buffers.Binary;

namespace FastPath.Datapath.Tests.Afxdp;

/// <summary>Numbered Ethernet/IPv4/UDP test frames that a receiver can recognise and check byte for byte.</summary>
internal static class UdpTestFrames
{
    private const int EthLen = 14;
    private const int IpLen = 20;
    private const int UdpLen = 8;
    private const int MagicLen = 8;
    private static readonly byte[] Magic = "FPAFXDP!"u8.ToArray();

    /// <summary>Offset of a payload byte that forwarding tests may overwrite (after magic and sequence number).</summary>
    public const int EditableOffset = EthLen + IpLen + UdpLen + MagicLen + 4;

    /// <summary>
    /// Frame number <paramref name="seq"/> from <paramref name="srcMac"/> to <paramref name="dstMac"/>,
    /// 10.201.0.1:40000 -> 10.201.0.2:<paramref name="dstPort"/>, with a payload whose size and bytes depend on the number.
    /// </summary>
    public static byte[] Build(byte[] srcMac, byte[] dstMac, int seq, ushort dstPort)
    {
        int payload = MagicLen + 4 + 6 + ((seq * 131) % 1450);
        var f = new byte[EthLen + IpLen + UdpLen + payload];
        dstMac.CopyTo(f, 0);
        srcMac.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);

        Span<byte> ip = f.AsSpan(EthLen, IpLen);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(IpLen + UdpLen + payload));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)seq);
        ip[8] = 64;
        ip[9] = 17;
        ip[12] = 10; ip[13] = 201; ip[14] = 0; ip[15] = 1;
        ip[16] = 10; ip[17] = 201; ip[18] = 0; ip[19] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Ipv4Checksum(ip));

        Span<byte> udp = f.AsSpan(EthLen + IpLen);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dstPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpLen + payload));

        // UDP checksum 0 (none) is legal for IPv4 and lets tests edit payload bytes freely.
        Span<byte> data = udp[UdpLen..];
        Magic.CopyTo(data);
        BinaryPrimitives.WriteInt32BigEndian(data[MagicLen..], seq);
        for (int i = MagicLen + 4; i < data.Length; i++)
        {
            data[i] = (byte)((seq * 7) + i);
        }

        return f;
    }

    /// <summary>Whether <paramref name="frame"/> is one of ours for <paramref name="dstPort"/>, and its number.</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, ushort dstPort, out int seq)
    {
        seq = -1;
        if (frame.Length < EditableOffset + 1
            || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800
            || frame[EthLen] != 0x45
            || frame[EthLen + 9] != 17
            || BinaryPrimitives.ReadUInt16BigEndian(frame[(EthLen + IpLen + 2)..]) != dstPort
            || !frame.Slice(EthLen + IpLen + UdpLen, MagicLen).SequenceEqual(Magic))
        {
            return false;
        }

        seq = BinaryPrimitives.ReadInt32BigEndian(frame[(EthLen + IpLen + UdpLen + MagicLen)..]);
        return true;
    }

    private static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
