using System.Globalization;

namespace FastPath.OpenFlow.Tests.Sessions;

/// <summary>
/// Reads the recorded ovs-ofctl ↔ Open vSwitch sessions of tests/data/openflow-sessions (see the README there):
/// per file the command, and per OpenFlow connection the messages each way, so codec tests can decode what Open
/// vSwitch really sends and fuzzers can start from it.
/// </summary>
internal static class SessionCorpus
{
    /// <summary>The corpus directory (tests/data/openflow-sessions of the repository this test runs from).</summary>
    public static string Directory => TestData.Path("openflow-sessions");

    /// <summary>Every session file of every protocol directory, in directory then file order.</summary>
    public static IReadOnlyList<SessionFile> LoadAll() => LazyAll.Value;

    private static readonly Lazy<IReadOnlyList<SessionFile>> LazyAll = new(() =>
        [.. System.IO.Directory.GetDirectories(Directory).Order(StringComparer.Ordinal)
            .SelectMany(d => System.IO.Directory.GetFiles(d, "*.txt").Order(StringComparer.Ordinal))
            .Where(f => Path.GetFileName(f) != "refused.txt")
            .Select(f => Parse(Path.GetRelativePath(Directory, f).Replace('\\', '/'), File.ReadAllLines(f)))]);

    /// <summary>
    /// Parses one session file named <paramref name="name"/> (<c>DIR/FILE.txt</c>). A line that is neither a comment
    /// nor <c>&gt; HEX</c> / <c>&lt; HEX</c>, hex that does not decode, or a message before the first connection throws
    /// <see cref="FormatException"/> naming the file and line. Message framing is not checked here.
    /// </summary>
    public static SessionFile Parse(string name, IReadOnlyList<string> lines)
    {
        string? command = null;
        int? exit = null;
        var connections = new List<SessionConnection>();
        List<SessionMessage>? current = null;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            string where = $"{name}:{i + 1}";
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# connection ", StringComparison.Ordinal))
            {
                string[] parts = line["# connection ".Length..].Split(' ');
                int number = int.Parse(parts[0], CultureInfo.InvariantCulture);
                if (number != connections.Count + 1)
                {
                    throw new FormatException($"{where}: connection {number} after {connections.Count}");
                }

                if (parts.Length == 4 && parts[1] == "same-as")
                {
                    connections.Add(new SessionConnection(number, [], (parts[2], int.Parse(parts[3], CultureInfo.InvariantCulture))));
                    current = null;
                }
                else if (parts.Length == 1)
                {
                    current = [];
                    connections.Add(new SessionConnection(number, current, null));
                }
                else
                {
                    throw new FormatException($"{where}: malformed connection line `{line}`");
                }
            }
            else if (line.StartsWith("# exit ", StringComparison.Ordinal))
            {
                exit = int.Parse(line["# exit ".Length..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                command ??= line[2..];
            }
            else if (line.Length > 2 && line[1] == ' ' && line[0] is '>' or '<')
            {
                if (current is null)
                {
                    throw new FormatException($"{where}: a message outside a recorded connection");
                }

                byte[] bytes;
                try
                {
                    bytes = Convert.FromHexString(line.AsSpan(2));
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{where}: not hex: {e.Message}", e);
                }

                current.Add(new SessionMessage(line[0] == '>', bytes, i + 1));
            }
            else
            {
                throw new FormatException($"{where}: neither a comment nor a message: `{line}`");
            }
        }

        return new SessionFile(name, command ?? throw new FormatException($"{name}: no command line"),
            exit ?? throw new FormatException($"{name}: no exit line"), connections);
    }

}

/// <summary>One recorded ovs-ofctl run.</summary>
/// <param name="Name">DIR/FILE.txt within the corpus.</param>
/// <param name="Command">The command line, with <c>{target}</c> for the switch.</param>
/// <param name="ExitCode">ovs-ofctl's exit status.</param>
/// <param name="Connections">The OpenFlow connections it opened, in order.</param>
internal sealed record SessionFile(string Name, string Command, int ExitCode, IReadOnlyList<SessionConnection> Connections);

/// <summary>One OpenFlow connection of a session.</summary>
/// <param name="Number">1-based, in the order the tool opened them.</param>
/// <param name="Messages">The messages, both directions, in recorded order (empty for a reference).</param>
/// <param name="SameAs">For a connection not written out: the file and connection number it repeats (xids aside).</param>
internal sealed record SessionConnection(int Number, IReadOnlyList<SessionMessage> Messages, (string File, int Connection)? SameAs);

/// <summary>One recorded message.</summary>
/// <param name="FromTool">True for ovs-ofctl to the switch (<c>&gt;</c>), false for the switch's (<c>&lt;</c>).</param>
/// <param name="Bytes">The whole message, header included.</param>
/// <param name="Line">Its 1-based line in the file, for failure messages.</param>
internal sealed record SessionMessage(bool FromTool, byte[] Bytes, int Line);
