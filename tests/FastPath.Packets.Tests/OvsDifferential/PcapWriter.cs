using System.Buffers.Binary;

namespace FastPath.Packets.Tests.OvsDifferential;

/// <summary>Writes a classic little-endian pcap file (Ethernet link type) for ovs-ofctl to read.</summary>
internal static class PcapWriter
{
    public static void Write(string path, IEnumerable<byte[]> frames)
    {
        using var f = File.Create(path);
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], 1);
        f.Write(h);
        Span<byte> rec = stackalloc byte[16];
        uint seconds = 0;
        foreach (byte[] frame in frames)
        {
            rec.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(rec, seconds++);
            BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], (uint)frame.Length);
            f.Write(rec);
            f.Write(frame);
        }
    }
}
