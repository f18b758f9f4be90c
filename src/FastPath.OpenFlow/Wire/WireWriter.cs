using System.Buffers.Binary;

namespace FastPath.OpenFlow.Wire;

/// <summary>Writes big-endian OpenFlow structures into a growing buffer, with length fields patched once the structure is complete.</summary>
public sealed class WireWriter
{
    private byte[] buffer;
    private int length;

    /// <summary>An empty writer with room for <paramref name="capacity"/> bytes before it grows.</summary>
    public WireWriter(int capacity = 256) => buffer = new byte[Math.Max(capacity, 16)];

    /// <summary>Bytes written so far.</summary>
    public int Length => length;

    /// <summary>The bytes written.</summary>
    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, length);

    /// <summary>Forgets everything written, keeping the buffer (a scratch writer reused per entry).</summary>
    public void Reset() => length = 0;

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => Written.ToArray();

    /// <summary>Writes one byte.</summary>
    public void U8(byte v) => Grow(1)[0] = v;

    /// <summary>Writes a big-endian 16-bit number.</summary>
    public void U16(ushort v) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), v);

    /// <summary>Writes a big-endian 32-bit number.</summary>
    public void U32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), v);

    /// <summary>Writes a big-endian 64-bit number.</summary>
    public void U64(ulong v) => BinaryPrimitives.WriteUInt64BigEndian(Grow(8), v);

    /// <summary>Writes raw bytes.</summary>
    public void Bytes(ReadOnlySpan<byte> v) => v.CopyTo(Grow(v.Length));

    /// <summary>Writes <paramref name="count"/> zero bytes.</summary>
    public void Zeros(int count) => Grow(count).Clear();

    /// <summary>Writes zeros until the length since <paramref name="start"/> is a multiple of <paramref name="alignment"/>.</summary>
    public void PadTo(int start, int alignment = 8)
    {
        int rem = (length - start) % alignment;
        if (rem != 0)
        {
            Zeros(alignment - rem);
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> as ASCII NUL-padded to <paramref name="width"/> bytes, truncated to leave a NUL
    /// as Open vSwitch does; text of exactly <paramref name="width"/> characters (a description decoded from a full
    /// field) fills the field, so it goes back as it came.
    /// </summary>
    public void FixedString(string text, int width)
    {
        Span<byte> s = Grow(width);
        s.Clear();
        int n = text.Length == width ? width : Math.Min(text.Length, width - 1);
        for (int i = 0; i < n; i++)
        {
            s[i] = (byte)(text[i] < 128 ? text[i] : '?');
        }
    }

    /// <summary>Overwrites a big-endian 16-bit number at <paramref name="offset"/> (a length field written before its structure was complete).</summary>
    public void PatchU16(int offset, ushort v) => BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset, 2), v);

    /// <summary>Overwrites a big-endian 32-bit number at <paramref name="offset"/>.</summary>
    public void PatchU32(int offset, uint v) => BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(offset, 4), v);

    private Span<byte> Grow(int count)
    {
        if (length + count > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
        }

        Span<byte> s = buffer.AsSpan(length, count);
        length += count;
        return s;
    }
}
