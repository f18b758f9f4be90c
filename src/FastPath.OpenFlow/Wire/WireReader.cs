using System.Buffers.Binary;

namespace FastPath.OpenFlow.Wire;

/// <summary>
/// Reads big-endian OpenFlow structures from a message without ever reading past its end: a read beyond the
/// bytes there throws <see cref="OfErrorException"/> with the error the caller chose for truncation
/// (<see cref="OfError.BadRequestBadLen"/> unless told otherwise), so a short message becomes an OFPT_ERROR.
/// </summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> bytes;
    private int position;

    /// <summary>A reader over <paramref name="bytes"/>; running out of bytes is <paramref name="truncated"/>.</summary>
    public WireReader(ReadOnlySpan<byte> bytes, OfError? truncated = null)
    {
        this.bytes = bytes;
        Truncated = truncated ?? OfError.BadRequestBadLen;
    }

    /// <summary>The error thrown when a read runs past the end.</summary>
    public OfError Truncated { get; set; }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => position;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => bytes.Length - position;

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool AtEnd => position == bytes.Length;

    /// <summary>The bytes not yet read.</summary>
    public readonly ReadOnlySpan<byte> Rest => bytes[position..];

    /// <summary>Reads one byte.</summary>
    public byte U8() => Take(1)[0];

    /// <summary>Reads a big-endian 16-bit number.</summary>
    public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    /// <summary>Reads a big-endian 32-bit number.</summary>
    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    /// <summary>Reads a big-endian 64-bit number.</summary>
    public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    /// <summary>Reads <paramref name="count"/> bytes.</summary>
    public ReadOnlySpan<byte> Bytes(int count) => Take(count);

    /// <summary>Skips <paramref name="count"/> bytes (padding).</summary>
    public void Skip(int count) => Take(count);

    /// <summary>
    /// Splits off the next <paramref name="count"/> bytes as a reader of their own (a nested structure whose
    /// length field says how far it reaches), throwing <paramref name="truncated"/> if fewer are left.
    /// </summary>
    public WireReader Sub(int count, OfError? truncated = null)
    {
        OfError saved = Truncated;
        if (truncated is { } t)
        {
            Truncated = t;
        }

        var sub = new WireReader(Take(count), truncated ?? saved);
        Truncated = saved;
        return sub;
    }

    /// <summary>
    /// Reads a NUL-padded fixed-width ASCII string (port names, descriptions). A <paramref name="terminated"/> field
    /// keeps at most <paramref name="width"/> - 1 characters, as Open vSwitch's strlcpy into a field of that size
    /// does for port and table names (a name filling the field without a NUL loses its last character); otherwise
    /// the whole field is the string, as Open vSwitch prints descriptions.
    /// </summary>
    public string FixedString(int width, bool terminated = false)
    {
        ReadOnlySpan<byte> raw = Take(width);
        if (terminated && width > 0)
        {
            raw = raw[..(width - 1)];
        }

        int end = raw.IndexOf((byte)0);
        return System.Text.Encoding.ASCII.GetString(end < 0 ? raw : raw[..end]);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > bytes.Length - position)
        {
            throw new OfErrorException(Truncated, $"needs {count} bytes at offset {position}, {bytes.Length - position} left");
        }

        ReadOnlySpan<byte> s = bytes.Slice(position, count);
        position += count;
        return s;
    }
}
