using System.Globalization;
using System.Text.RegularExpressions;

namespace FastPath.Daemon.Tests.DocCommands;

/// <summary>
/// One line of tests/data/ovs-doc-commands.txt: a command line from Open vSwitch's documentation, what it must do,
/// or a setup step (<c>@...</c>) run but not judged. Tags in brackets before the command say how it is judged:
/// <c>[exit=N]</c> (it exits N on ovs-vswitchd too, here: no hardware, no such object), <c>[rc]</c> (exit status only,
/// the output has run-specific numbers or names), <c>[sorted]</c> (the output's lines are compared in sorted order:
/// the order is the flow table's iteration order, which neither switch defines), <c>[gap]</c> (a feature FastPath lacks:
/// ovs-vswitchd exits 0, fastpathd fails with an error message).
/// </summary>
public sealed partial record DocCommandLine(int Number, string Command, bool Setup, int ExpectedExit, bool CompareOutput, bool Gap, bool Sorted = false)
{
    /// <summary>Reads the list: comments (#) and blank lines skipped, judged lines numbered from 1 in file order.</summary>
    public static IReadOnlyList<DocCommandLine> Load(string path)
    {
        var lines = new List<DocCommandLine>();
        int n = 0;
        foreach (string raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '@')
            {
                lines.Add(new DocCommandLine(0, line[1..], true, 0, false, false));
                continue;
            }

            int exit = 0;
            bool compare = true, gap = false, sorted = false;
            Match m = Tags().Match(line);
            if (m.Success)
            {
                foreach (string tag in m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (tag == "sorted")
                    {
                        sorted = true;
                    }
                    else if (tag == "rc")
                    {
                        compare = false;
                    }
                    else if (tag == "gap")
                    {
                        gap = true;
                        compare = false;
                    }
                    else if (tag.StartsWith("exit=", StringComparison.Ordinal))
                    {
                        exit = int.Parse(tag.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture);
                        compare = false;
                    }
                    else
                    {
                        throw new FormatException($"{path}: unknown tag '{tag}' in: {raw}");
                    }
                }

                line = line[m.Length..].TrimStart();
            }

            lines.Add(new DocCommandLine(++n, line, false, exit, compare, gap, sorted));
        }

        return lines;
    }

    [GeneratedRegex(@"^\[([a-z0-9= -]+)\]")]
    private static partial Regex Tags();
}
