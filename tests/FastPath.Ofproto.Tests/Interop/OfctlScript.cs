using System.Text;

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>
/// A list of ovs-ofctl commands run one after another against one switch (see tests/data/ofctl-differential/README.md
/// for the text form): each command is ovs-ofctl's arguments with <c>{target}</c> where the switch goes and
/// <c>{file:NAME}</c> where a file of the script goes; a monitor step runs <c>ovs-ofctl monitor</c> around commands
/// that provoke what it should see.
/// </summary>
/// <param name="Name">For reports (usually the file name and protocol).</param>
/// <param name="Protocol">
/// The <c>-O</c> value put before every command's arguments (e.g. <c>OpenFlow13</c>), or null for plain ovs-ofctl.
/// </param>
/// <param name="Steps">The commands and monitors, in order.</param>
/// <param name="Files">The files commands refer to, by name: their lines.</param>
public sealed record OfctlScript(string Name, string? Protocol, IReadOnlyList<OfctlStep> Steps, IReadOnlyDictionary<string, IReadOnlyList<string>> Files)
{
    /// <summary>Reads a script file; see <see cref="Parse"/>.</summary>
    public static OfctlScript Load(string path, string? protocol)
        => Parse(Path.GetFileName(path) + (protocol is null ? " (plain)" : " (-O " + protocol + ")"), protocol, File.ReadAllLines(path));

    /// <summary>
    /// Parses a script: <c>#</c> comments and blank lines are skipped; <c>@file NAME</c> … <c>@end</c> holds a file's
    /// lines verbatim; <c>@monitor ARGS</c> … <c>@end</c> is a monitor and the commands that provoke what it shows;
    /// any other line is one command. Arguments split at blanks outside single or double quotes. A malformed script
    /// (an unterminated block or quote, an unknown file, a command without <c>{target}</c>) throws
    /// <see cref="FormatException"/> naming the line.
    /// </summary>
    public static OfctlScript Parse(string name, string? protocol, IReadOnlyList<string> lines)
    {
        var steps = new List<OfctlStep>();
        var files = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("@file ", StringComparison.Ordinal))
            {
                string file = line["@file ".Length..].Trim();
                var body = new List<string>();
                int start = i;
                for (i++; i < lines.Count && lines[i].Trim() != "@end"; i++)
                {
                    body.Add(lines[i]);
                }

                if (i >= lines.Count)
                {
                    throw new FormatException($"{name}:{start + 1}: @file {file} has no @end");
                }

                files[file] = body;
            }
            else if (line.StartsWith("@monitor ", StringComparison.Ordinal))
            {
                int start = i;
                var monitor = Command(name, i, line["@monitor ".Length..]);
                var triggers = new List<OfctlCommand>();
                for (i++; i < lines.Count && lines[i].Trim() != "@end"; i++)
                {
                    string t = lines[i].Trim();
                    if (t.Length > 0 && !t.StartsWith('#'))
                    {
                        triggers.Add(Command(name, i, t));
                    }
                }

                if (i >= lines.Count)
                {
                    throw new FormatException($"{name}:{start + 1}: @monitor has no @end");
                }

                steps.Add(new OfctlMonitorStep(monitor, triggers));
            }
            else if (line.StartsWith('@'))
            {
                throw new FormatException($"{name}:{i + 1}: unknown directive `{line}`");
            }
            else
            {
                steps.Add(new OfctlCommandStep(Command(name, i, line)));
            }
        }

        foreach (OfctlCommand c in steps.SelectMany(s => s.Commands))
        {
            foreach (string file in c.FileReferences())
            {
                if (!files.ContainsKey(file))
                {
                    throw new FormatException($"{name}:{c.Line}: no @file {file}");
                }
            }
        }

        return new OfctlScript(name, protocol, steps, files);
    }

    private static OfctlCommand Command(string name, int index, string text)
    {
        List<string> args = Split(text, $"{name}:{index + 1}");
        // A monitor's trigger may talk to the monitor itself instead: {monitor} ARGS runs ovs-appctl -t MONITOR ARGS.
        if (!args.Any(a => a.Contains("{target}", StringComparison.Ordinal)) && args[0] != "{monitor}")
        {
            throw new FormatException($"{name}:{index + 1}: `{text}` does not name the switch ({{target}})");
        }

        return new OfctlCommand(text, args, index + 1);
    }

    /// <summary>Splits <paramref name="text"/> at blanks outside quotes; quotes are removed.</summary>
    public static List<string> Split(string text, string where = "")
    {
        var args = new List<string>();
        var current = new StringBuilder();
        bool inArg = false;
        char quote = '\0';
        foreach (char c in text)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inArg = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inArg)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inArg = false;
                }
            }
            else
            {
                current.Append(c);
                inArg = true;
            }
        }

        if (quote != '\0')
        {
            throw new FormatException($"{where}: unterminated {quote} in `{text}`");
        }

        if (inArg)
        {
            args.Add(current.ToString());
        }

        return args;
    }
}

/// <summary>One step of an <see cref="OfctlScript"/>.</summary>
public abstract record OfctlStep
{
    /// <summary>The ovs-ofctl commands the step runs, each of which gives a result, in order.</summary>
    public abstract IEnumerable<OfctlCommand> Commands { get; }
}

/// <summary>A step that runs one command.</summary>
/// <param name="Command">The command.</param>
public sealed record OfctlCommandStep(OfctlCommand Command) : OfctlStep
{
    /// <inheritdoc />
    public override IEnumerable<OfctlCommand> Commands => [Command];
}

/// <summary>
/// A step that starts <c>ovs-ofctl monitor</c>, runs <paramref name="Triggers"/> while it listens, then stops it: its
/// result is everything it printed. The triggers' results come first, then the monitor's.
/// </summary>
/// <param name="Monitor">The monitor command (<c>monitor {target} …</c>).</param>
/// <param name="Triggers">Commands that make the switch send the monitor something.</param>
public sealed record OfctlMonitorStep(OfctlCommand Monitor, IReadOnlyList<OfctlCommand> Triggers) : OfctlStep
{
    /// <inheritdoc />
    public override IEnumerable<OfctlCommand> Commands => [.. Triggers, Monitor];
}

/// <summary>One ovs-ofctl command of a script.</summary>
/// <param name="Text">As written in the script.</param>
/// <param name="Args">Its arguments, placeholders unexpanded.</param>
/// <param name="Line">Its line in the script.</param>
public sealed record OfctlCommand(string Text, IReadOnlyList<string> Args, int Line)
{
    /// <summary>The names of the script files the command refers to (<c>{file:NAME}</c>).</summary>
    public IEnumerable<string> FileReferences()
    {
        foreach (string a in Args)
        {
            for (int at = a.IndexOf("{file:", StringComparison.Ordinal); at >= 0; at = a.IndexOf("{file:", at + 1, StringComparison.Ordinal))
            {
                int end = a.IndexOf('}', at);
                if (end > at)
                {
                    yield return a[(at + "{file:".Length)..end];
                }
            }
        }
    }
}
