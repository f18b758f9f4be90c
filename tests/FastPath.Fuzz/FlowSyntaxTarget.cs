using System.Text;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Groups;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;

namespace FastPath.Fuzz;

/// <summary>
/// The ovs-ofctl text parsers: every input (as UTF-8) goes through FlowText (add-flow lines, filters, files),
/// MatchText, ActionText, GroupText and MeterText. <see cref="FlowSyntaxException"/> is the one way to refuse
/// text; any other exception, a stack overflow or a hang is a finding. What a parser accepts must survive
/// print → parse → print unchanged (and its printed form must parse), and printing it in every spelling must not throw.
/// </summary>
internal sealed class FlowSyntaxTarget : FuzzTarget
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <inheritdoc/>
    public override string Name => "flow";

    /// <inheritdoc/>
    public override void Run(ReadOnlySpan<byte> input)
    {
        string text = Utf8.GetString(input);

        // A rule keeps everything but its instructions exactly: those are printed in Open vSwitch's canonical
        // spellings (mod_vlan_vid becomes push_vlan and set_field), so only their printed form must be stable.
        Check("FlowText.Parse", text, s => FlowText.Parse(s), r => FlowText.FormatDumpFlow(r, null), (a, b) =>
            StructuralEquality.FirstDifference(a with { Instructions = b.Instructions }, b));
        Check("MatchText.Parse", text, MatchText.Parse, m => MatchText.Format(m), (a, b) => StructuralEquality.FirstDifference(a, b));
        Check("ActionText.Parse", text, ActionText.Parse, s => ActionText.Format(s, default), null);
        Check("GroupText.Parse", text, GroupText.Parse, g => GroupText.Format(g, OpenFlowVersion.OF15), null);
        Check("MeterText.Parse", text, MeterText.Parse, MeterText.Format, (a, b) => StructuralEquality.FirstDifference(a, b));
        Check("FlowText.Parse(filter)", text, s => FlowText.Parse(s, requireActions: false), null, null);
        Check("FlowText.ParseFile", text, s => FlowText.ParseFile(new StringReader(s)), null, null);
        Check("GroupText.ParseFile", text, s => GroupText.ParseFile(new StringReader(s)), null, null);
        Check("GroupText.ParseDeleteFilter", text, GroupText.ParseDeleteFilter, null, null);
        Check("MeterText.ParseMeterId", text, MeterText.ParseMeterId, null, null);
        PrintEverySpelling(text);
    }

    /// <inheritdoc/>
    public override IEnumerable<byte[]> Seeds(string repoRoot)
    {
        var lines = new List<string>(TestVectors.FlowSyntaxLines(repoRoot))
        {
            // Groups and meters, in case no test keeps one in a form the extraction finds.
            "group_id=1,type=select,selection_method=hash,fields(ip_src,tcp_dst),bucket=bucket_id:1,weight:5,output:1,bucket=output:2",
            "group_id=2,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_group:3,actions=group:3",
            "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100",
            "meter=2 pktps bands=\ntype=dscp_remark rate=10 prec_level=1",
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            // A flow also seeds its match and its actions alone, for the parsers of each.
            int at = line.IndexOf("actions=", StringComparison.Ordinal);
            string[] variants = at < 0 ? [line] : [line, line[..at].TrimEnd(',', ' '), line[(at + "actions=".Length)..]];
            foreach (string v in variants)
            {
                if (v.Length > 0 && seen.Add(v))
                {
                    yield return Utf8.GetBytes(v);
                }
            }
        }
    }

    /// <inheritdoc/>
    public override IEnumerable<string> Dictionary()
    {
        string[] keywords =
        [
            "actions=", "drop", ",", "=", ":", "/", "(", ")", "->", "[]", "[0]", "[0..15]", "[16..31]", "0x", "0xffff", "/0xff00",
            "255.255.255.0", "/24", "::1", "/64", "ff:ff:ff:ff:ff:ff", "01:00:00:00:00:00/01:00:00:00:00:00", "\\\n",
            "table=", "priority=", "cookie=", "idle_timeout=", "hard_timeout=", "importance=", "send_flow_rem", "check_overlap",
            "reset_counts", "no_packet_counts", "no_byte_counts", "duration=", "n_packets=", "n_bytes=", "idle_age=", "hard_age=",
            "output:", "controller", "controller(max_len=", "CONTROLLER:", "LOCAL", "IN_PORT", "NORMAL", "FLOOD", "ALL", "ANY",
            "mod_dl_src:", "mod_dl_dst:", "mod_nw_src:", "mod_nw_dst:", "mod_nw_tos:", "mod_nw_ecn:", "mod_tp_src:", "mod_tp_dst:",
            "mod_vlan_vid:", "mod_vlan_pcp:", "strip_vlan", "pop_vlan", "push_vlan:0x8100", "push_vlan:0x88a8", "push_mpls:0x8847",
            "pop_mpls:0x0800", "set_mpls_label:", "set_mpls_tc:", "set_mpls_ttl(", "dec_mpls_ttl", "dec_ttl", "set_nw_ttl:",
            "mod_nw_ttl:", "group:", "set_queue:", "set_field:", "load:", "move:", "meter:", "clear_actions", "write_actions(",
            "write_metadata:", "goto_table:", "apply_actions(",
            "group_id=", "type=", "all", "select", "indirect", "ff", "fast_failover", "selection_method=", "hash", "dp_hash",
            "selection_method_param=", "fields(", "fields=", "bucket=", "bucket_id:", "weight:", "watch_port:", "watch_group:",
            "meter=", "kbps", "pktps", "burst", "stats", "band=", "bands=", "type=drop", "type=dscp_remark", "rate=", "burst_size=",
            "prec_level=", "slowpath",
            "ip", "ipv6", "icmp", "icmp6", "tcp", "tcp6", "udp", "udp6", "sctp", "sctp6", "arp", "rarp", "mpls", "mplsm",
            "ip_frag=", "no", "yes", "first", "later", "not_later", "tcp_flags=", "+syn", "-ack", "syn|ack",
        ];
        return keywords.Concat(OfFields.All.SelectMany(f => f.Aliases.Prepend(f.Name).Select(n => n + "=")
            .Concat(f.NxmName is { } nxm ? [nxm] : []).Append(f.Name))).Distinct(StringComparer.Ordinal);
    }

    private static void Check<T>(string what, string text, Func<string, T> parse, Func<T, string>? print, Func<T, T, string?>? compare)
    {
        T first;
        try
        {
            first = parse(text);
        }
        catch (FlowSyntaxException)
        {
            return;
        }

        if (print is null)
        {
            return;
        }

        string printed = print(first);
        T second;
        try
        {
            second = parse(printed);
        }
        catch (FlowSyntaxException e)
        {
            throw new FuzzFinding($"{what}: accepted \"{text}\" but refuses its printed form \"{printed}\": {e.Message}", e);
        }

        string reprinted = print(second);
        if (reprinted != printed)
        {
            throw new FuzzFinding($"{what}: \"{text}\" prints as \"{printed}\", which parses and prints as \"{reprinted}\"");
        }

        if (compare?.Invoke(first, second) is { } diff)
        {
            throw new FuzzFinding($"{what}: \"{text}\" and its printed form \"{printed}\" parse differently: {diff}");
        }
    }

    /// <summary>The other printers (OpenFlow 1.0 spellings, parse-flow's flow_mod, 1.3 groups): whatever parsed must print.</summary>
    private static void PrintEverySpelling(string text)
    {
        FlowRule? rule = TryParse(() => FlowText.Parse(text));
        if (rule is not null)
        {
            foreach (OpenFlowVersion v in Enum.GetValues<OpenFlowVersion>())
            {
                _ = FlowText.FormatDumpFlow(rule, new FlowStats(1, 64, 2, 500_000_000, 1, 2), v);
                _ = FlowText.FormatFlowMod(rule, v);
            }
        }

        OfInstructionSet? actions = TryParse(() => ActionText.Parse(text));
        if (actions is not null)
        {
            PipelineMatch none = default;
            _ = ActionText.Format(actions, none, OpenFlowVersion.OF10);
        }

        GroupDescription? group = TryParse(() => GroupText.Parse(text));
        if (group is not null)
        {
            _ = GroupText.Format(group, OpenFlowVersion.OF13);
            _ = GroupText.Format(group, OpenFlowVersion.OF10);
        }

        OfMeterConfig? meter = TryParse(() => MeterText.Parse(text));
        if (meter is not null)
        {
            _ = meter.ToString();
        }
    }

    private static T? TryParse<T>(Func<T> parse)
        where T : class
    {
        try
        {
            return parse();
        }
        catch (FlowSyntaxException)
        {
            return null;
        }
    }
}
