using System.Globalization;

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>
/// One flow of an <c>ovs-ofctl dump-flows</c> reply: its statistics, its priority, its match fields (as ovs-ofctl
/// prints them, e.g. <c>in_port</c>, <c>dl_src</c>, or a bare <c>icmp</c>) and its actions text.
/// </summary>
internal sealed record DumpedFlow(string Text, long Packets, long Bytes, int Priority, IReadOnlyDictionary<string, string> Match, string Actions)
{
    private static readonly HashSet<string> StatsKeys =
        ["cookie", "duration", "table", "n_packets", "n_bytes", "idle_timeout", "hard_timeout", "idle_age", "hard_age", "reset_counts", "send_flow_rem", "importance"];

    /// <summary>The flows of a whole dump-flows output (the reply's header line and blank lines are skipped).</summary>
    public static List<DumpedFlow> ParseDump(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("actions=", StringComparison.Ordinal)).Select(Parse)];

    /// <summary>Parses one flow line; throws on a line that is not one.</summary>
    public static DumpedFlow Parse(string line)
    {
        int at = line.IndexOf(" actions=", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new FormatException("not a flow: " + line);
        }

        string actions = line[(at + " actions=".Length)..];
        var stats = new Dictionary<string, string>();
        var match = new Dictionary<string, string>();
        foreach (string part in line[..at].Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? part : part[..eq];
            string value = eq < 0 ? string.Empty : part[(eq + 1)..];
            (StatsKeys.Contains(key) ? stats : match)[key] = value;
        }

        int priority = match.Remove("priority", out string? p) ? int.Parse(p, CultureInfo.InvariantCulture) : 32768;
        return new DumpedFlow(line, Number(stats, "n_packets"), Number(stats, "n_bytes"), priority, match, actions);
    }

    /// <summary>A match field's value, or null when the flow does not match on it.</summary>
    public string? Field(string name) => Match.TryGetValue(name, out string? v) ? v : null;

    private static long Number(Dictionary<string, string> stats, string key) =>
        stats.TryGetValue(key, out string? v) ? long.Parse(v, CultureInfo.InvariantCulture) : throw new FormatException($"no {key} in a dumped flow");
}
