using System.Text;
using System.Text.RegularExpressions;

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>Which optional masks <see cref="OfctlMasker"/> applies besides the ones it always applies.</summary>
[Flags]
public enum OfctlMasks
{
    /// <summary>Only the masks that are always on: durations, ages, traffic counters, ovs-ofctl's log timestamps.</summary>
    None = 0,

    /// <summary>
    /// Also the datapath id (<c>dpid:…</c>) and port MACs (<c>addr:…</c>): for a comparison between switches that
    /// cannot be given the same addresses. Off by default: a switch that can should be set up with Open vSwitch's.
    /// </summary>
    HardwareAddresses = 1,

    /// <summary>
    /// Also the values of <c>dump-desc</c>'s lines (<c>Manufacturer:</c>, <c>Hardware:</c>, <c>Software:</c>,
    /// <c>Serial Num:</c>, <c>DP Description:</c>): OFPST_DESC is how a switch tells what it is, so two different
    /// switches must differ there. The field names stay, so a missing or extra field still shows.
    /// </summary>
    SwitchDescription = 2,
}

/// <summary>
/// Normalizes what ovs-ofctl prints so that two correct switches, given the same commands, print the same text:
/// what legitimately differs between two runs is masked, and records a switch may list in any order are sorted.
/// </summary>
/// <remarks>
/// Every mask and why (each replaces the value, never the field name, so a field one switch prints and the other
/// does not still shows):
/// <list type="bullet">
/// <item><c>duration=12.345s</c> (flow, group and OpenFlow 1.3+ port statistics), <c>duration:0.5s</c> (meter
/// statistics): time since the rule/group/port/meter was created — differs between any two runs, even of one switch.</item>
/// <item><c>idle_age=</c> (plain dump-flows): seconds since the rule's last hit, likewise; <c>, hard_age=N</c> is
/// removed whole, because ovs-ofctl prints it only when it differs from the whole seconds of <c>duration</c>, which
/// depends on when within a second a mod-flows came.</item>
/// <item>Traffic counters: <c>n_packets=</c>, <c>n_bytes=</c>, <c>packet_count</c>, <c>byte_count</c>,
/// <c>packet_in_count</c>, <c>byte_in_count</c>, the port counters <c>pkts bytes drop errs frame over crc coll</c>,
/// queue <c>errors</c>, table <c>lookup</c>/<c>matched</c>: issue 14 leaves counters out of the comparison (how many
/// packets a switch counted depends on its datapath, not on the OpenFlow front end). A counter the port does not
/// keep prints <c>?</c> (all-ones on the wire) and is masked alike: whether a port counts, say, CRC errors depends on
/// its driver (Open vSwitch's dummy ports count none of the error counters), not on the OpenFlow front end. Table <c>active=</c> (number of rules)
/// and group <c>ref_count</c> are state, not traffic, and are compared.</item>
/// <item>The timestamp and sequence number of ovs-ofctl's own log lines on stderr
/// (<c>2026-11-25T18:27:34Z|00001|</c>): the tool's clock.</item>
/// <item>Optionally (<see cref="OfctlMasks.HardwareAddresses"/>) <c>dpid:</c> and <c>addr:</c>.</item>
/// <item>Optionally (<see cref="OfctlMasks.SwitchDescription"/>) the values of the switch description.</item>
/// <item>The xid of a queue configuration reply naming a port: <c>queue-get-config</c> without a port (OpenFlow 1.0)
/// asks port by port in the order the switch listed its ports, so which port got which xid is that order.</item>
/// </list>
/// Record order: ports (<c> 1(p1):</c>, <c>port  1:</c>, <c>port 1 queue</c>), flows (<c>cookie=</c>), the flow
/// updates of one flow monitor message (<c> event=</c>: the initial dump, a delete of several flows), groups
/// (<c>group_id=</c>), meters (<c>meter=</c>, <c>meter:</c>, a number or the virtual <c>controller</c> and
/// <c>slowpath</c>), <c>diff-flows</c> lines (<c>-</c>/<c>+</c> and a flow: ovs-ofctl prints them from a hash table
/// filled in the order the switch dumped its flows) and per-port queue configuration replies come in the switch's
/// hash order — Open vSwitch lists
/// groups in a different order from one start to the next — and OpenFlow does not define an order. A run of such
/// records (a record being its first line and the lines that continue it) is sorted; blank lines that ended records
/// follow the sorted run. Messages and everything else keep their order. The target and temporary paths were
/// replaced by <see cref="OfctlRunner"/> already.
/// </remarks>
public static partial class OfctlMasker
{
    /// <summary>Masks <paramref name="text"/> (see the class remarks) without reordering anything.</summary>
    public static string Mask(string text, OfctlMasks masks = OfctlMasks.None)
    {
        text = LogStamp().Replace(text, "#|#|");
        text = HardAge().Replace(text, "");
        text = Duration().Replace(text, "${name}${sep}#s");
        text = Counter().Replace(text, "${name}${sep}#");
        text = QueueConfigXid().Replace(text, "${head}#${tail}");
        if (masks.HasFlag(OfctlMasks.HardwareAddresses))
        {
            text = Dpid().Replace(text, "dpid:#");
            text = Addr().Replace(text, "addr:#");
        }

        if (masks.HasFlag(OfctlMasks.SwitchDescription))
        {
            text = Description().Replace(text, "${name}: #");
        }

        return text;
    }

    /// <summary><see cref="Mask"/>, then every run of unordered records sorted: the form two switches' outputs are compared in.</summary>
    public static string Canonical(string text, OfctlMasks masks = OfctlMasks.None)
        => SortRecords(Mask(text, masks));

    /// <summary>Sorts each run of consecutive unordered records (see the class remarks) ordinally.</summary>
    public static string SortRecords(string text)
    {
        string[] lines = text.Split('\n');
        var output = new List<string>(lines.Length);
        int i = 0;
        while (i < lines.Length)
        {
            if (!RecordStart().IsMatch(lines[i]))
            {
                output.Add(lines[i]);
                i++;
                continue;
            }

            var records = new List<string>();
            int blanks = 0;
            while (i < lines.Length && RecordStart().IsMatch(lines[i]))
            {
                var record = new StringBuilder(lines[i]);
                i++;
                while (i < lines.Length && !RecordStart().IsMatch(lines[i]) && Continues(lines[i]))
                {
                    record.Append('\n').Append(lines[i]);
                    i++;
                }

                string r = record.ToString();
                string trimmed = r.TrimEnd('\n');
                blanks += r.Length - trimmed.Length;
                records.Add(trimmed);
            }

            records.Sort(StringComparer.Ordinal);
            output.AddRange(records);
            output.AddRange(Enumerable.Repeat("", blanks));
        }

        return string.Join('\n', output);
    }

    /// <summary>
    /// Whether a line after a record's first line belongs to it: anything but a new message (a line at column 0
    /// naming an OpenFlow message, as <c>OFPST_METER reply</c>) and the end of the text. Blank lines belong to the
    /// record they follow.
    /// </summary>
    private static bool Continues(string line) => !MessageStart().IsMatch(line);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\|\d+\|", RegexOptions.Multiline)]
    private static partial Regex LogStamp();

    [GeneratedRegex(@", hard_age=\d+\b")]
    private static partial Regex HardAge();

    [GeneratedRegex(@"\b(?<name>duration)(?<sep>[=:])\d+(\.\d+)?s")]
    private static partial Regex Duration();

    [GeneratedRegex(@"\b(?<name>idle_age|n_packets|n_bytes|packet_count|byte_count|packet_in_count|byte_in_count|pkts|bytes|drop|errs|frame|over|crc|coll|errors|lookup|matched)(?<sep>[=:])(\d+\b|\?)")]
    private static partial Regex Counter();

    [GeneratedRegex(@"^(?<name>Manufacturer|Hardware|Software|Serial Num|DP Description): .*$", RegexOptions.Multiline)]
    private static partial Regex Description();

    [GeneratedRegex(@"^(?<head>OFPT_QUEUE_GET_CONFIG_REPLY (\(OF1\.\d\) )?\(xid=)0x[0-9a-f]+(?<tail>\): port=)", RegexOptions.Multiline)]
    private static partial Regex QueueConfigXid();

    [GeneratedRegex(@"\bdpid:[0-9a-f]{16}\b")]
    private static partial Regex Dpid();

    [GeneratedRegex(@"\baddr:[0-9a-f]{2}(:[0-9a-f]{2}){5}\b")]
    private static partial Regex Addr();

    [GeneratedRegex(@"^(\s*\d+\([^)]*\):|\s*LOCAL\([^)]*\):|\s*port\s+(\d+|LOCAL|ANY)(:| queue)|\s*cookie=|\s*event=|\s*group_id=|meter[=:](\d+|controller|slowpath)\b|[-+][a-z]|OFPT_QUEUE_GET_CONFIG_REPLY .*\(xid=#\): port=)")]
    private static partial Regex RecordStart();

    [GeneratedRegex(@"^[A-Z][A-Z0-9_]+[ _(]")]
    private static partial Regex MessageStart();
}
