namespace FastPath.OpenFlow.Wire;

/// <summary>Version negotiation by hello messages (OpenFlow 1.3.1+ version bitmaps, or the header version alone).</summary>
public static class OfVersions
{
    /// <summary>Every version FastPath speaks, as a hello bitmap (bit N set: wire version N).</summary>
    public const uint Supported = (1u << 0x01) | (1u << 0x04) | (1u << 0x05) | (1u << 0x06);

    /// <summary>Whether <paramref name="wireVersion"/> is one FastPath speaks.</summary>
    public static bool IsSupported(byte wireVersion) => wireVersion < 32 && (Supported & (1u << wireVersion)) != 0;

    /// <summary>
    /// The version both sides speak: the highest common bit when both sent bitmaps, otherwise the lower of
    /// the two header versions if we speak it. Null: no common version (the answer is OFPHFC_INCOMPATIBLE).
    /// </summary>
    /// <param name="ours">Versions we allow, as a bitmap.</param>
    /// <param name="theirHeaderVersion">The version in the peer's hello header.</param>
    /// <param name="theirBitmap">The peer's version bitmap element, if its hello carried one.</param>
    public static OpenFlowVersion? Negotiate(uint ours, byte theirHeaderVersion, uint? theirBitmap)
    {
        uint theirs = theirBitmap ?? (theirHeaderVersion >= 31 ? uint.MaxValue : (2u << theirHeaderVersion) - 1);
        uint common = ours & theirs;
        if (common == 0)
        {
            return null;
        }

        int highest = 31 - System.Numerics.BitOperations.LeadingZeroCount(common);
        return (OpenFlowVersion)highest;
    }

    /// <summary>The hello bitmap allowing <paramref name="versions"/>.</summary>
    public static uint Bitmap(params OpenFlowVersion[] versions)
    {
        uint bits = 0;
        foreach (OpenFlowVersion v in versions)
        {
            bits |= 1u << (int)v;
        }

        return bits;
    }
}
