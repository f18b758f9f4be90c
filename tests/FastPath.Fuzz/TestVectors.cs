using System.Text.RegularExpressions;

namespace FastPath.Fuzz;

/// <summary>
/// Reads the test vectors the repository keeps under tests/ into fuzzing seeds: captured OpenFlow messages
/// (hex, one a line, in tests/data/openflow*/ and as hex literals in the OpenFlow tests), and flows, groups and
/// meters (rule files in tests/data, the pipeline suite's rule lines, string literals of the OpenFlow and
/// Ofproto tests). Whatever exists when the fuzzer starts is taken, so new vectors seed it without a change here.
/// </summary>
internal static partial class TestVectors
{
    private const int MinMessageHexDigits = 16;
    private const int MaxLiteral = 2000;

    /// <summary>Every OpenFlow message kept as a test vector.</summary>
    public static IEnumerable<byte[]> OpenFlowMessages(string repoRoot)
    {
        string data = Path.Combine(repoRoot, "tests", "data");
        if (Directory.Exists(data))
        {
            foreach (string dir in Directory.GetDirectories(data, "openflow*").Order(StringComparer.Ordinal))
            {
                foreach (string file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    foreach (string line in File.ReadLines(file))
                    {
                        foreach (byte[] message in HexMessages(StripComment(line)))
                        {
                            yield return message;
                        }
                    }
                }
            }
        }

        foreach (string literal in Literals(Path.Combine(repoRoot, "tests", "FastPath.OpenFlow.Tests")))
        {
            foreach (byte[] message in HexMessages(literal))
            {
                if (message[0] is 0x01 or 0x04 or 0x05 or 0x06)
                {
                    yield return message;
                }
            }
        }
    }

    /// <summary>Every flow, group or meter line kept in the tests.</summary>
    public static IEnumerable<string> FlowSyntaxLines(string repoRoot)
    {
        string data = Path.Combine(repoRoot, "tests", "data");
        if (Directory.Exists(data))
        {
            foreach (string file in Directory.GetFiles(data, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(file);
                bool ruleFile = name.Contains("rules", StringComparison.Ordinal) || name.Contains("flows", StringComparison.Ordinal)
                    || name.Contains("groups", StringComparison.Ordinal) || name.Contains("meters", StringComparison.Ordinal);
                foreach (string raw in File.ReadLines(file))
                {
                    string line = StripComment(raw).Trim();
                    if (line.StartsWith("rule ", StringComparison.Ordinal))
                    {
                        yield return line["rule ".Length..];
                    }
                    else if (ruleFile && line.Length > 0)
                    {
                        yield return line;
                    }
                }
            }
        }

        foreach (string project in new[] { "FastPath.OpenFlow.Tests", "FastPath.Ofproto.Tests" })
        {
            foreach (string literal in Literals(Path.Combine(repoRoot, "tests", project)))
            {
                // Flow syntax has keywords with values; prose and printed messages mostly do not.
                if (literal.Length >= 3 && (literal.Contains('=', StringComparison.Ordinal) || literal.Contains(':', StringComparison.Ordinal)))
                {
                    yield return literal;
                }
            }
        }
    }

    /// <summary>The plain (non-interpolated, non-verbatim) string literals of the C# files under <paramref name="dir"/>, unescaped.</summary>
    private static IEnumerable<string> Literals(string dir)
    {
        if (!Directory.Exists(dir))
        {
            yield break;
        }

        foreach (string file in Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in StringLiteral().Matches(File.ReadAllText(file)))
            {
                if (m.Groups[1].Length <= MaxLiteral && Unescape(m.Groups[1].Value) is { } literal)
                {
                    yield return literal;
                }
            }
        }
    }

    /// <summary>The messages a line holds: the whole line when it is all hex, otherwise each long hex word.</summary>
    private static IEnumerable<byte[]> HexMessages(string line)
    {
        string compact = string.Concat(line.Where(c => !char.IsWhiteSpace(c)));
        if (compact.Length >= MinMessageHexDigits && compact.Length % 2 == 0 && compact.All(char.IsAsciiHexDigit))
        {
            yield return Convert.FromHexString(compact);
            yield break;
        }

        foreach (string word in line.Split([' ', '\t', ':', '=', ',', '"'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length >= MinMessageHexDigits && word.Length % 2 == 0 && word.All(char.IsAsciiHexDigit))
            {
                yield return Convert.FromHexString(word);
            }
        }
    }

    /// <summary>A literal's value, or null for an escape this reader does not know (such a literal is skipped).</summary>
    private static string? Unescape(string body)
    {
        try
        {
            return Regex.Unescape(body);
        }
        catch (RegexParseException)
        {
            return null;
        }
    }

    private static string StripComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash < 0 ? line : line[..hash];
    }

    // A "..." literal not preceded by $ or @ (interpolated and verbatim strings are skipped: their text is not the value).
    [GeneratedRegex("""(?<![$@"\\])"((?:[^"\\\r\n]|\\.)*)"(?!")""")]
    private static partial Regex StringLiteral();
}
