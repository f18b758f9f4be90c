using System.Globalization;
using System.Numerics;
using System.Text;

namespace FastPath.Connmgr;

/// <summary>
/// The ASCII explanation a failed version negotiation carries, worded as Open vSwitch's vconn words it (so a
/// peer's log reads the same): "We support versions 0x01, 0x04, you support version 0x06, no common versions."
/// </summary>
internal static class OfVersionText
{
    /// <summary>The explanation for <paramref name="ours"/> against <paramref name="theirs"/>.</summary>
    public static string Incompatible(uint ours, uint theirs) =>
        $"We support {Describe(ours)}, you support {Describe(theirs)}, no common versions.";

    /// <summary>A version bitmap in words: "no versions", "version 0x04", "version 0x04 and earlier" or "versions 0x01, 0x04".</summary>
    public static string Describe(uint bitmap)
    {
        if (bitmap == 0)
        {
            return "no versions";
        }

        int highest = 31 - BitOperations.LeadingZeroCount(bitmap);
        if (BitOperations.IsPow2(bitmap))
        {
            return $"version 0x{highest:x2}";
        }

        if (BitOperations.IsPow2((bitmap >> 1) + 1))
        {
            return $"version 0x{highest:x2} and earlier";
        }

        var s = new StringBuilder("versions ");
        bool first = true;
        for (int v = 0; v < 32; v++)
        {
            if ((bitmap & (1u << v)) != 0)
            {
                s.Append(first ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"0x{v:x2}");
                first = false;
            }
        }

        return s.ToString();
    }
}
