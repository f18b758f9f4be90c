namespace FastPath.Ovsdb.Data;

/// <summary>The <c>&lt;id&gt;</c> grammar of RFC 7047 §3.1, which table, column and UUID names follow.</summary>
internal static class OvsdbNames
{
    /// <summary>[a-zA-Z_][a-zA-Z0-9_]*</summary>
    public static bool IsValidId(string? s)
    {
        if (string.IsNullOrEmpty(s) || !(char.IsAsciiLetter(s[0]) || s[0] == '_'))
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
