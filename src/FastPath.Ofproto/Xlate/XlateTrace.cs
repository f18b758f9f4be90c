using System.Globalization;
using FastPath.Datapath.Flows;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Trace;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Text;

namespace FastPath.Ofproto.Xlate;

/// <summary>What one translation did, step by step, and what it made: the material of ofproto/trace.</summary>
/// <remarks>
/// The steps are lines in Open vSwitch's ofproto/trace layout: <c> 0. MATCH, priority N, cookie 0xC</c> for a
/// rule, <c> 0. No match.</c> for a miss, the actions as executed indented by four spaces in
/// <c>ovs-ofctl</c>'s OpenFlow 1.3 spelling (<c>set_field:10.0.0.1->ip_src</c>), and notes such as
/// <c>     >> skipping output to input port</c>. <see cref="TraceReport"/> prints them.
/// </remarks>
public sealed class XlateTrace
{
    private const string Indent = "    ";
    private readonly List<string> lines = [];

    // Open vSwitch prints the trace as a tree: a resubmit's table is nested under the table that resubmitted
    // unless nothing follows it there. Each level of resubmit keeps the line range of its last nested table until
    // it is known whether something follows (see Resolve).
    private readonly List<(int Start, int End)?> pendingNested = [null];
    private readonly Stack<int> nestedStarts = new();

    /// <summary>The steps: tables visited, rules matched, actions taken.</summary>
    public IReadOnlyList<string> Lines => lines;

    /// <summary>Whether the translation succeeded.</summary>
    public bool Succeeded { get; internal set; }

    /// <summary>Why it did not.</summary>
    public string? Error { get; internal set; }

    /// <summary>The flow as the pipeline left it.</summary>
    public PipelineKey FinalFlow { get; internal set; }

    /// <summary>The megaflow.</summary>
    public FlowMatch Megaflow { get; internal set; }

    /// <summary>The datapath actions.</summary>
    public byte[] Actions { get; internal set; } = [];

    /// <summary>Appends a step.</summary>
    internal void Add(string line)
    {
        Resolve();
        lines.Add(line);
    }

    /// <summary>A resubmit's lookups begin: what they print is laid out as Open vSwitch nests it.</summary>
    internal void BeginResubmit()
    {
        Resolve();
        nestedStarts.Push(lines.Count);
        pendingNested.Add(null);
    }

    /// <summary>A resubmit's lookups end.</summary>
    internal void EndResubmit()
    {
        // Whatever is still pending in the resubmit's own level had nothing after it: it stays flat.
        int start = nestedStarts.Pop();
        pendingNested.RemoveAt(pendingNested.Count - 1);
        pendingNested[^1] = lines.Count > start ? (start, lines.Count) : null;
    }

    // Something follows a finished resubmit at this level: its block moves in, the table line by one step and
    // everything under it by two (Open vSwitch's tree layout for a node with later siblings).
    private void Resolve()
    {
        if (pendingNested[^1] is not (int start, int end))
        {
            return;
        }

        pendingNested[^1] = null;
        lines[start] = Indent + lines[start];
        for (int i = start + 1; i < end; i++)
        {
            lines[i] = Indent + Indent + lines[i];
        }
    }

    /// <summary>Table <paramref name="table"/> matched <paramref name="rule"/>.</summary>
    internal void Rule(byte table, OfRule rule)
    {
        PipelineMatch m = rule.Spec.Match;
        string match = OvsFlowFormat.Match(m.Key, m.Mask, megaflow: false);
        string line = string.Create(CultureInfo.InvariantCulture, $"{table,2}. {match}{(match.Length > 0 ? ", " : "")}priority {rule.Spec.Priority}");
        if (rule.Spec.Cookie != 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $", cookie 0x{rule.Spec.Cookie:x}");
        }

        Add(line);
        if (rule.Spec.Instructions.IsDrop)
        {
            Add(Indent + "drop");
        }
    }

    /// <summary>Table <paramref name="table"/> had no matching rule; the miss drops unless it goes to the controller.</summary>
    internal void Miss(byte table, bool toController)
    {
        Add(string.Create(CultureInfo.InvariantCulture, $"{table,2}. No match."));
        if (!toController)
        {
            Add(Indent + "drop");
        }
    }

    /// <summary>Action <paramref name="action"/> runs on <paramref name="flow"/> (the packet as the earlier actions left it).</summary>
    internal void Action(OfAction action, in PipelineKey flow)
    {
        // The exact match of the flow tells the formatter the protocol (tp_src is udp_src here) and the tags.
        PipelineKey all = default;
        all.Bytes.Fill(0xff);
        var state = new PipelineMatch(flow, all);
        foreach (string part in SplitTopLevel(ActionText.FormatAction(action, ref state)))
        {
            Add(Indent + part);
        }
    }

    /// <summary>The instructions after apply-actions: clear-actions, write-actions and write-metadata.</summary>
    internal void Instructions(OfInstructionSet ins, in PipelineKey flow, IEnumerable<OfAction> actionSetAfter)
    {
        if (ins.ClearActions)
        {
            Add(Indent + "clear_actions");
        }

        if (ins.WriteActions is { } write)
        {
            PipelineKey all = default;
            all.Bytes.Fill(0xff);
            var state = new PipelineMatch(flow, all);
            Add(Indent + "write_actions(" + string.Join(",", write.Select(a => ActionText.FormatAction(a, ref state))) + ")");
            state = new PipelineMatch(flow, all);
            Add(Indent + " -> action set is: " + string.Join(",", actionSetAfter.Select(a => ActionText.FormatAction(a, ref state))));
        }

        if (ins.WriteMetadata is var (v, m))
        {
            Add(Indent + (m == ulong.MaxValue ? $"write_metadata:{FieldText.Hex(v)}" : $"write_metadata:{FieldText.Hex(v)}/{FieldText.Hex(m)}"));
        }
    }

    /// <summary>The pipeline ended and the action set runs.</summary>
    internal void ExecutingActionSet() => Add("--. Executing action set:");

    /// <summary>A note on the step before (Open vSwitch's <c>&gt;&gt;</c> lines).</summary>
    internal void Note(string note) => Add(Indent + " >> " + note);

    // Splits "push_vlan:0x8100,set_field:4101->vlan_vid" into its actions, leaving commas inside parentheses.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }
}
