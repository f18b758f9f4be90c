using System.Globalization;
using System.Text;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Text;

namespace FastPath.OpenFlow.Rules;

/// <summary>
/// Rules in <c>ovs-ofctl</c> syntax: parsing add-flow lines and add-flows files, printing as dump-flows
/// (with or without statistics) and as parse-flow prints a flow_mod.
/// </summary>
public static class FlowText
{
    private static readonly (string Name, FlowModFlags Flag)[] FlagNames =
    [
        ("send_flow_rem", FlowModFlags.SendFlowRem), ("check_overlap", FlowModFlags.CheckOverlap),
        ("reset_counts", FlowModFlags.ResetCounts), ("no_packet_counts", FlowModFlags.NoPacketCounts),
        ("no_byte_counts", FlowModFlags.NoByteCounts),
    ];

    /// <summary>The dump-flows statistics keywords, which a parsed line may carry and which are ignored (so dump output can be fed back).</summary>
    private static readonly HashSet<string> StatsKeywords = new(StringComparer.Ordinal) { "duration", "n_packets", "n_bytes", "idle_age", "hard_age" };

    /// <summary>
    /// Parses one flow. With <paramref name="requireActions"/> (add-flow) the flow must end in <c>actions=</c> and a
    /// cookie mask is refused; without it (a dump or delete filter) actions are refused and cookie=V/M is allowed.
    /// </summary>
    public static FlowRule Parse(string line, bool requireActions = true)
    {
        string matchPart = line;
        string? actionsPart = null;
        int at = FindActions(line);
        if (at >= 0)
        {
            matchPart = line[..at];
            actionsPart = line[(at + "actions=".Length)..];
        }

        if (requireActions && actionsPart is null)
        {
            throw new FlowSyntaxException($"{line.Trim()}: must specify an action (actions=...)");
        }

        if (!requireActions && actionsPart is not null)
        {
            throw new FlowSyntaxException($"{line.Trim()}: actions are not allowed here");
        }

        var rule = new FlowRule();
        var match = new MatchText.Builder();
        foreach (string token in matchPart.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = token.IndexOf('=');
            string key = eq < 0 ? token : token[..eq];
            string? value = eq < 0 ? null : token[(eq + 1)..];
            if (StatsKeywords.Contains(key))
            {
                continue;
            }

            int flag = Array.FindIndex(FlagNames, f => f.Name == key);
            if (flag >= 0)
            {
                rule = rule with { Flags = rule.Flags | FlagNames[flag].Flag };
                continue;
            }

            switch (key)
            {
                case "table":
                    ulong table = FieldText.ParseInteger(Value(key, value), 8, "table");
                    rule = rule with { TableId = table < 255 ? (byte)table : throw new FlowSyntaxException($"{token}: table must be 0-254") };
                    break;
                case "priority":
                    rule = rule with { Priority = (ushort)FieldText.ParseInteger(Value(key, value), 16, "priority") };
                    break;
                case "idle_timeout":
                    rule = rule with { IdleTimeout = (ushort)FieldText.ParseInteger(Value(key, value), 16, "idle_timeout") };
                    break;
                case "hard_timeout":
                    rule = rule with { HardTimeout = (ushort)FieldText.ParseInteger(Value(key, value), 16, "hard_timeout") };
                    break;
                case "importance":
                    rule = rule with { Importance = (ushort)FieldText.ParseInteger(Value(key, value), 16, "importance") };
                    break;
                case "cookie":
                    string v = Value(key, value);
                    int slash = v.IndexOf('/');
                    ulong cookie = FieldText.ParseInteger(slash < 0 ? v : v[..slash], 64, "cookie");
                    ulong mask = slash < 0 ? 0 : FieldText.ParseInteger(v[(slash + 1)..], 64, "cookie mask");
                    if (requireActions && slash >= 0)
                    {
                        throw new FlowSyntaxException($"{token}: a cookie mask is only for filters (dump-flows, del-flows), not for adding a flow");
                    }

                    rule = rule with { Cookie = cookie & (slash < 0 ? ulong.MaxValue : mask), CookieMask = mask };
                    break;
                default:
                    match.Add(key, value);
                    break;
            }
        }

        PipelineMatch m = match.Finish();
        OfInstructionSet instructions = actionsPart is null ? OfInstructionSet.Drop : ActionText.Parse(actionsPart);
        ActionText.Validate(instructions, m);
        if (instructions.GotoTable is byte next && next <= rule.TableId)
        {
            throw new FlowSyntaxException($"{line.Trim()}: goto_table:{next} must name a later table than the rule's table {rule.TableId}");
        }

        return rule with { Match = m, Instructions = instructions };
    }

    /// <summary>
    /// Parses a file of flows as <c>ovs-ofctl add-flows</c> reads it: '#' starts a comment, blank lines are
    /// skipped, a line ending in '\' continues on the next. Errors name the line.
    /// </summary>
    public static List<FlowRule> ParseFile(TextReader reader)
    {
        var rules = new List<FlowRule>();
        var pending = new StringBuilder();
        int lineNo = 0, firstLine = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNo++;
            string line = raw;
            int hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }

            if (pending.Length == 0)
            {
                firstLine = lineNo;
            }

            string trimmed = line.TrimEnd();
            if (trimmed.EndsWith('\\'))
            {
                pending.Append(trimmed[..^1]).Append(' ');
                continue;
            }

            pending.Append(line);
            string flow = pending.ToString().Trim();
            pending.Clear();
            if (flow.Length == 0)
            {
                continue;
            }

            try
            {
                rules.Add(Parse(flow));
            }
            catch (FlowSyntaxException e)
            {
                throw new FlowSyntaxException($"line {firstLine}: {e.Message}");
            }
        }

        if (pending.ToString().Trim().Length > 0)
        {
            throw new FlowSyntaxException($"line {firstLine}: the file ends inside a continued line");
        }

        return rules;
    }

    /// <summary>
    /// Prints a rule as <c>ovs-ofctl dump-flows</c> does (without its one-space indent). With <paramref name="stats"/>
    /// the line has cookie, duration, table, counters and ages; without, as <c>--no-stats</c>, cookie and table
    /// only when not zero.
    /// </summary>
    public static string FormatDumpFlow(FlowRule rule, FlowStats? stats, OpenFlowVersion version = OpenFlowVersion.OF13)
    {
        var s = new StringBuilder();
        if (stats is not null || rule.Cookie != 0)
        {
            s.Append("cookie=0x").Append(rule.Cookie.ToString("x", CultureInfo.InvariantCulture)).Append(", ");
        }

        if (stats is not null)
        {
            s.Append("duration=").Append(FormatDuration(stats.DurationSeconds, stats.DurationNanoseconds)).Append(", ");
        }

        if (stats is not null || rule.TableId != 0)
        {
            s.Append("table=").Append(rule.TableId).Append(", ");
        }

        if (stats is not null)
        {
            s.Append("n_packets=").Append(stats.Packets).Append(", n_bytes=").Append(stats.Bytes).Append(", ");
        }

        if (rule.IdleTimeout != 0)
        {
            s.Append("idle_timeout=").Append(rule.IdleTimeout).Append(", ");
        }

        if (rule.HardTimeout != 0)
        {
            s.Append("hard_timeout=").Append(rule.HardTimeout).Append(", ");
        }

        AppendFlags(s, rule.Flags);
        if (rule.Importance != 0)
        {
            s.Append("importance=").Append(rule.Importance).Append(", ");
        }

        if (stats?.IdleAge is int idleAge)
        {
            s.Append("idle_age=").Append(idleAge).Append(", ");
        }

        if (stats?.HardAge is int hardAge && hardAge != stats.DurationSeconds)
        {
            s.Append("hard_age=").Append(hardAge).Append(", ");
        }

        string match = MatchText.Format(rule.Match, rule.Priority);
        s.Append(match).Append(match.Length > 0 ? " " : string.Empty);
        s.Append("actions=").Append(ActionText.Format(rule.Instructions, rule.Match, version));
        return s.ToString();
    }

    /// <summary>Prints an add flow_mod as <c>ovs-ofctl parse-flow</c> does after its message header: <c>ADD [table:N ]MATCH [cookie:..] [idle:..] [hard:..] [flags] actions=...</c>.</summary>
    public static string FormatFlowMod(FlowRule rule, OpenFlowVersion version = OpenFlowVersion.OF13)
    {
        var s = new StringBuilder("ADD");
        if (rule.TableId != 0)
        {
            s.Append(" table:").Append(rule.TableId);
        }

        string match = MatchText.Format(rule.Match, rule.Priority);
        if (match.Length > 0)
        {
            s.Append(' ').Append(match);
        }

        if (rule.Cookie != 0)
        {
            s.Append(" cookie:0x").Append(rule.Cookie.ToString("x", CultureInfo.InvariantCulture));
        }

        if (rule.IdleTimeout != 0)
        {
            s.Append(" idle:").Append(rule.IdleTimeout);
        }

        if (rule.HardTimeout != 0)
        {
            s.Append(" hard:").Append(rule.HardTimeout);
        }

        if (rule.Importance != 0)
        {
            s.Append(" importance:").Append(rule.Importance);
        }

        if (rule.Flags != FlowModFlags.None)
        {
            s.Append(' ');
            AppendFlags(s, rule.Flags);
            s.Length--;
        }

        s.Append(" actions=").Append(ActionText.Format(rule.Instructions, rule.Match, version));
        return s.ToString();
    }

    /// <summary>A duration as Open vSwitch prints it: whole seconds, then milliseconds when exact, else up to nine digits.</summary>
    public static string FormatDuration(uint seconds, uint nanoseconds)
    {
        string sec = seconds.ToString(CultureInfo.InvariantCulture);
        if (nanoseconds == 0)
        {
            return sec + "s";
        }

        string frac = nanoseconds % 1_000_000 == 0
            ? (nanoseconds / 1_000_000).ToString("D3", CultureInfo.InvariantCulture)
            : nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return $"{sec}.{frac}s";
    }

    private static void AppendFlags(StringBuilder s, FlowModFlags flags)
    {
        foreach (var (name, flag) in FlagNames)
        {
            if ((flags & flag) != 0)
            {
                s.Append(name).Append(' ');
            }
        }
    }

    private static string Value(string key, string? value) =>
        string.IsNullOrEmpty(value) ? throw new FlowSyntaxException($"{key}: needs a value ({key}=VALUE)") : value;

    /// <summary>Where "actions=" starts as a keyword (at the start or after a separator), or -1.</summary>
    private static int FindActions(string line)
    {
        int from = 0;
        while (true)
        {
            int i = line.IndexOf("actions=", from, StringComparison.Ordinal);
            if (i < 0)
            {
                return -1;
            }

            if (i == 0 || line[i - 1] is ',' or ' ' or '\t')
            {
                return i;
            }

            from = i + 1;
        }
    }
}
