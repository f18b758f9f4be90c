using System.Text;

namespace FastPath.Fuzz;

/// <summary>Writes words the way afl-fuzz's -x dictionary files quote them.</summary>
internal static class AflDictionary
{
    /// <summary><paramref name="word"/>'s UTF-8 bytes inside the quotes: printable ASCII as is, '\' and '"' escaped, the rest \xNN.</summary>
    public static string Escape(string word)
    {
        var s = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(word))
        {
            if (b is (byte)'\\' or (byte)'"')
            {
                s.Append('\\').Append((char)b);
            }
            else if (b is >= 0x20 and < 0x7f)
            {
                s.Append((char)b);
            }
            else
            {
                s.Append($"\\x{b:X2}");
            }
        }

        return s.ToString();
    }
}
