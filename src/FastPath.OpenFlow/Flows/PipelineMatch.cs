using FastPath.Packets;

namespace FastPath.OpenFlow.Flows;

/// <summary>
/// An OpenFlow match as Open vSwitch's <c>struct match</c>: values and a mask in <see cref="PipelineKey"/>'s
/// layout, the values kept pre-masked. A zero mask bit is a wildcard.
/// </summary>
public struct PipelineMatch : IEquatable<PipelineMatch>
{
    /// <summary>The values, zero wherever <see cref="Mask"/> is.</summary>
    public PipelineKey Key;

    /// <summary>Which bits of a packet's pipeline key must equal <see cref="Key"/>.</summary>
    public PipelineKey Mask;

    /// <summary>Makes a match, clearing key bits the mask ignores.</summary>
    public PipelineMatch(in PipelineKey key, in PipelineKey mask)
    {
        Key = key;
        Mask = mask;
        Normalize();
    }

    /// <summary>The match that matches everything (every bit a wildcard).</summary>
    public static PipelineMatch Any => default;

    /// <summary>Whether <paramref name="flow"/> matches (every masked bit equal).</summary>
    public readonly bool Matches(in PipelineKey flow)
    {
        ReadOnlySpan<ulong> f = flow.ReadOnlyWords;
        ReadOnlySpan<ulong> k = Key.ReadOnlyWords;
        ReadOnlySpan<ulong> m = Mask.ReadOnlyWords;
        ulong diff = 0;
        for (int i = 0; i < PipelineKey.Words; i++)
        {
            diff |= (f[i] & m[i]) ^ k[i];
        }

        return diff == 0;
    }

    /// <summary>Clears key bits outside the mask (after writing fields of <see cref="Key"/> and <see cref="Mask"/> directly).</summary>
    public void Normalize()
    {
        Span<ulong> k = Key.AsWords;
        ReadOnlySpan<ulong> m = Mask.ReadOnlyWords;
        for (int i = 0; i < PipelineKey.Words; i++)
        {
            k[i] &= m[i];
        }
    }

    /// <summary>Sets the bits of <paramref name="mask"/> at byte <paramref name="offset"/> to <paramref name="value"/>'s (both <paramref name="value"/>.Length bytes).</summary>
    public void SetMasked(int offset, ReadOnlySpan<byte> value, ReadOnlySpan<byte> mask)
    {
        if (value.Length != mask.Length || offset < 0 || offset + value.Length > PipelineKey.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"field of {value.Length} bytes at {offset} does not fit the key");
        }

        Span<byte> k = Key.Bytes.Slice(offset, value.Length);
        Span<byte> m = Mask.Bytes.Slice(offset, value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            m[i] |= mask[i];
            k[i] = (byte)((k[i] & ~mask[i]) | (value[i] & mask[i]));
        }
    }

    /// <summary>The datapath part: what a megaflow with this match's packet fields would match.</summary>
    public readonly (FlowKey Key, FlowKey Mask) PacketPart
    {
        get
        {
            PipelineKey k = Key;
            PipelineKey m = Mask;
            return (k.PacketPart, m.PacketPart);
        }
    }

    /// <inheritdoc/>
    public readonly bool Equals(PipelineMatch other) => Key.Equals(other.Key) && Mask.Equals(other.Mask);

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is PipelineMatch m && Equals(m);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => HashCode.Combine(Key.GetHashCode(), Mask.GetHashCode());

    /// <summary>Equality of values and masks.</summary>
    public static bool operator ==(PipelineMatch left, PipelineMatch right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PipelineMatch left, PipelineMatch right) => !left.Equals(right);
}
