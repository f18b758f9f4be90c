using System.Runtime.CompilerServices;
using FastPath.Packets;

namespace FastPath.Datapath.Flows;

/// <summary>A datapath match: a key and a mask of the same layout; the key is kept pre-masked.</summary>
public struct FlowMatch
{
    /// <summary>The key, with every bit outside <see cref="Mask"/> zero.</summary>
    public FlowKey Key;

    /// <summary>Which bits of a packet's key must equal <see cref="Key"/>.</summary>
    public FlowKey Mask;

    /// <summary>Makes a match from a key and mask, clearing key bits the mask ignores.</summary>
    public FlowMatch(in FlowKey key, in FlowKey mask)
    {
        Key = key;
        Mask = mask;
        Span<ulong> k = Key.AsWords;
        ReadOnlySpan<ulong> m = Mask.AsWords;
        for (int i = 0; i < FlowKey.Words; i++)
        {
            k[i] &= m[i];
        }
    }

    /// <summary>Whether <paramref name="packetKey"/> matches (every masked bit equal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool Matches(in FlowKey packetKey)
    {
        ReadOnlySpan<ulong> p = packetKey.ReadOnlyWords;
        ReadOnlySpan<ulong> k = Key.ReadOnlyWords;
        ReadOnlySpan<ulong> m = Mask.ReadOnlyWords;
        ulong diff = 0;
        for (int i = 0; i < FlowKey.Words; i++)
        {
            diff |= (p[i] & m[i]) ^ k[i];
        }

        return diff == 0;
    }
}
