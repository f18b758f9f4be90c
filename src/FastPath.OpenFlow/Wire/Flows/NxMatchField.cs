using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Wire.Match;

namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>The NXM match of Nicira messages: <c>match_len</c> bytes of TLVs, padded to 8 bytes.</summary>
internal static class NxMatchField
{
    /// <summary>Reads <paramref name="matchLength"/> bytes of NXM and the padding after them.</summary>
    public static PipelineMatch Read(ref WireReader r, int matchLength, out ulong cookie, out ulong cookieMask, bool allowCookie)
    {
        int padded = (matchLength + 7) / 8 * 8;
        if (padded > r.Remaining)
        {
            throw new OfErrorException(OfError.BadMatchBadLen, $"match_len {matchLength} with {r.Remaining} bytes left");
        }

        ReadOnlySpan<byte> tlvs = r.Bytes(matchLength);
        r.Skip(padded - matchLength);
        return OxmMatchCodec.DecodeTlvs(tlvs, out cookie, out cookieMask, allowCookie);
    }

    /// <summary>Writes the TLVs at the end of <paramref name="w"/>, patches <paramref name="lengthOffset"/> with their length and pads to 8.</summary>
    public static void Write(WireWriter w, int lengthOffset, in PipelineMatch match, ulong cookie = 0, ulong cookieMask = 0)
    {
        int start = w.Length;
        OxmMatchCodec.EncodeTlvs(w, match, MatchDialect.Nxm, cookie, cookieMask);
        w.PatchU16(lengthOffset, (ushort)(w.Length - start));
        w.PadTo(start, 8);
    }
}
