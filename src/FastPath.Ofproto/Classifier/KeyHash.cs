using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastPath.Ofproto.Classifier;

/// <summary>
/// The incremental 64-bit hash behind staged lookup: a subtable hashes its masked words stage by stage, so the
/// hash after stage k is the key of that stage's index and the hash after the last stage keys its rules.
/// </summary>
/// <remarks>
/// A collision in a stage index only makes a lookup go on to the next stage (un-wildcarding more than it had
/// to), and the last stage compares the masked words themselves, so the hash never decides a match.
/// </remarks>
internal static class KeyHash
{
    /// <summary>The state before any word.</summary>
    public const ulong Seed = 0x243F6A8885A308D3UL;

    /// <summary>Mixes one masked word into <paramref name="h"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong h, ulong word)
    {
        h ^= word * 0x9E3779B97F4A7C15UL;
        return BitOperations.RotateLeft(h, 27) * 0x94D049BB133111EBUL;
    }

    /// <summary>Finishes a state into a well-spread hash (the dictionaries fold it to 32 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Finish(ulong h)
    {
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 29;
        return h;
    }
}
