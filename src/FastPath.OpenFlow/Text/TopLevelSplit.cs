using System.Text;

namespace FastPath.OpenFlow.Text;

/// <summary>Splits ovs-ofctl lists at separators outside parentheses (actions, buckets, nested action lists).</summary>
internal static class TopLevelSplit
{
    /// <summary>
    /// The non-empty, trimmed items of <paramref name="text"/> separated by commas (and by white space when
    /// <paramref name="whitespaceSeparates"/>) outside parentheses; <paramref name="context"/> names it in errors.
    /// </summary>
    /// <exception cref="FlowSyntaxException">The parentheses do not balance.</exception>
    public static List<string> Split(string text, string context, bool whitespaceSeparates = false)
    {
        var list = new List<string>();
        var cur = new StringBuilder();
        int depth = 0;
        foreach (char c in text)
        {
            if ((c == ',' || (whitespaceSeparates && char.IsWhiteSpace(c))) && depth == 0)
            {
                Flush();
                continue;
            }

            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0)
            {
                throw new FlowSyntaxException($"{context}: unbalanced parentheses");
            }

            cur.Append(c);
        }

        if (depth != 0)
        {
            throw new FlowSyntaxException($"{context}: unbalanced parentheses");
        }

        Flush();
        return list;

        void Flush()
        {
            string t = cur.ToString().Trim();
            if (t.Length > 0)
            {
                list.Add(t);
            }

            cur.Clear();
        }
    }
}
