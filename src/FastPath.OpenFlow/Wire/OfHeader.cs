using System.Buffers.Binary;

namespace FastPath.OpenFlow.Wire;

/// <summary>The 8-byte header every OpenFlow message starts with (struct ofp_header).</summary>
/// <param name="Version">The protocol version byte (0x01 OpenFlow 1.0 ... 0x06 OpenFlow 1.5).</param>
/// <param name="Type">The message type, numbered per version.</param>
/// <param name="Length">The whole message's length, header included.</param>
/// <param name="Xid">Transaction id, echoed in replies.</param>
public readonly record struct OfHeader(byte Version, byte Type, ushort Length, uint Xid)
{
    /// <summary>Bytes in a header.</summary>
    public const int Size = 8;

    /// <summary>Reads a header from the first 8 bytes of <paramref name="bytes"/>; false if fewer are there.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out OfHeader header)
    {
        if (bytes.Length < Size)
        {
            header = default;
            return false;
        }

        header = new OfHeader(bytes[0], bytes[1], BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]));
        return true;
    }

    /// <summary>Writes the header into the first 8 bytes of <paramref name="bytes"/>.</summary>
    public void Write(Span<byte> bytes)
    {
        bytes[0] = Version;
        bytes[1] = Type;
        BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], Length);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], Xid);
    }
}
