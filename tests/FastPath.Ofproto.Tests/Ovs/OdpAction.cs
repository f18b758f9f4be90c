using System.Globalization;

namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// One datapath action (or one argument of one), as Open vSwitch prints them on the <c>Datapath actions:</c>
/// line: a port number (<c>2</c>, output), a bare name (<c>drop</c>, <c>pop_vlan</c>), a
/// <c>key=value</c> argument (<c>src=192.181.137.1</c>), or a name with parenthesised arguments, which nest
/// (<c>set(ipv4(src=192.181.137.1))</c>, <c>push_vlan(vid=5,pcp=0)</c>, <c>clone(set(eth(dst=...)),3)</c>).
/// </summary>
/// <param name="Name">The action's name, the port number for an output, or the key of a <c>key=value</c>.</param>
/// <param name="Value">For <c>key=value</c>, the value; otherwise null.</param>
/// <param name="Arguments">The parsed contents of the parentheses; empty when there are none.</param>
/// <param name="Text">The action exactly as printed.</param>
public sealed record OdpAction(string Name, string? Value, IReadOnlyList<OdpAction> Arguments, string Text)
{
    /// <summary>Whether this is an output to a datapath port (a bare number).</summary>
    public bool IsOutput => Value is null && Arguments.Count == 0 && Name.Length > 0 && Name.All(char.IsAsciiDigit);

    /// <summary>The datapath port of an output action; throws for another action.</summary>
    public int OutputPort => IsOutput
        ? int.Parse(Name, NumberStyles.None, CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"'{Text}' is not an output action");

    /// <summary>The argument named <paramref name="name"/> (a nested action or a <c>key=value</c>), or null.</summary>
    public OdpAction? Argument(string name) => Arguments.FirstOrDefault(a => a.Name == name);

    /// <summary>
    /// Parses a comma-separated list of actions, e.g. a whole <c>Datapath actions:</c> value. Unbalanced
    /// parentheses or an empty element throw a <see cref="FormatException"/>.
    /// </summary>
    public static IReadOnlyList<OdpAction> ParseList(string text)
    {
        var list = new List<OdpAction>();
        foreach (string item in SplitTopLevel(text))
        {
            list.Add(Parse(item));
        }

        return list;
    }

    /// <summary>Parses one action: <c>name</c>, <c>key=value</c> or <c>name(arguments)</c>.</summary>
    public static OdpAction Parse(string text)
    {
        string t = text.Trim();
        if (t.Length == 0)
        {
            throw new FormatException("empty datapath action");
        }

        int open = t.IndexOf('(', StringComparison.Ordinal);
        int eq = t.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0 && (open < 0 || eq < open))
        {
            // key=value, where the value may itself hold parentheses (e.g. a nested attribute list); it is
            // kept as text.
            return new OdpAction(t[..eq], t[(eq + 1)..], [], t);
        }

        if (open < 0)
        {
            if (t.Contains(')', StringComparison.Ordinal))
            {
                throw new FormatException($"unbalanced ')' in datapath action '{t}'");
            }

            return new OdpAction(t, null, [], t);
        }

        if (t[^1] != ')' || Close(t, open) != t.Length - 1)
        {
            throw new FormatException($"unbalanced parentheses in datapath action '{t}'");
        }

        string inner = t[(open + 1)..^1];
        IReadOnlyList<OdpAction> args = inner.Trim().Length == 0 ? [] : ParseList(inner);
        return new OdpAction(t[..open], null, args, t);
    }

    /// <summary>
    /// Splits <paramref name="text"/> at the commas outside parentheses; unbalanced parentheses throw a
    /// <see cref="FormatException"/>.
    /// </summary>
    public static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth < 0)
                    {
                        throw new FormatException($"unbalanced ')' at {i} in '{text}'");
                    }

                    break;
                case ',' when depth == 0:
                    parts.Add(Element(text, start, i));
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new FormatException($"unbalanced '(' in '{text}'");
        }

        parts.Add(Element(text, start, text.Length));
        return parts;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static string Element(string text, int start, int end)
    {
        string e = text[start..end].Trim();
        return e.Length > 0 ? e : throw new FormatException($"empty element at {start} in '{text}'");
    }

    private static int Close(string t, int open)
    {
        int depth = 0;
        for (int i = open; i < t.Length; i++)
        {
            if (t[i] == '(')
            {
                depth++;
            }
            else if (t[i] == ')' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
