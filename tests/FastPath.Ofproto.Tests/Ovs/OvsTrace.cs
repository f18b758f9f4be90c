namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// What <c>ovs-appctl ofproto/trace</c> reported for one flow: the full text, and its three closing lines
/// parsed: <c>Final flow:</c> (the flow after the rewrites), <c>Megaflow:</c> (the datapath flow's match:
/// the bits xlate looked at) and <c>Datapath actions:</c>.
/// </summary>
public sealed class OvsTrace
{
    private OvsTrace(string text, string finalFlow, OvsMegaflow megaflow, string actionsText, IReadOnlyList<OdpAction> actions)
    {
        Text = text;
        FinalFlow = finalFlow;
        Megaflow = megaflow;
        DatapathActionsText = actionsText;
        DatapathActions = actions;
    }

    /// <summary>Everything ofproto/trace printed (the table-by-table walk included).</summary>
    public string Text { get; }

    /// <summary>The <c>Final flow:</c> line's value: a flow in ovs-ofctl syntax, or <c>unchanged</c>.</summary>
    public string FinalFlow { get; }

    /// <summary>Whether the pipeline left the flow as it came in (<c>Final flow: unchanged</c>).</summary>
    public bool FinalFlowUnchanged => FinalFlow == "unchanged";

    /// <summary>The <c>Megaflow:</c> line, parsed.</summary>
    public OvsMegaflow Megaflow { get; }

    /// <summary>The <c>Datapath actions:</c> line's value as printed, e.g. <c>set(ipv4(src=192.181.137.1)),2</c>.</summary>
    public string DatapathActionsText { get; }

    /// <summary>The datapath actions, parsed; a dropped packet has the single action <c>drop</c>.</summary>
    public IReadOnlyList<OdpAction> DatapathActions { get; }

    /// <summary>Whether the datapath actions are <c>drop</c> (nothing is done with the packet).</summary>
    public bool IsDrop => DatapathActions.Count == 1 && DatapathActions[0].Name == "drop";

    /// <summary>The datapath ports the packet is sent to, in order (top-level output actions only).</summary>
    public IReadOnlyList<int> OutputPorts => DatapathActions.Where(a => a.IsOutput).Select(a => a.OutputPort).ToList();

    /// <summary>
    /// Parses ofproto/trace's output. The closing lines are taken from the end (a trace that recirculates
    /// prints earlier sections too); missing lines throw a <see cref="FormatException"/> quoting the text.
    /// </summary>
    public static OvsTrace Parse(string text)
    {
        string[] lines = text.Split('\n');
        string final = Last(lines, "Final flow: ", text);
        string megaflow = Last(lines, "Megaflow: ", text);
        string actions = Last(lines, "Datapath actions: ", text);
        try
        {
            return new OvsTrace(text, final, OvsMegaflow.Parse(megaflow), actions, OdpAction.ParseList(actions));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{e.Message}\nin ofproto/trace output:\n{text}", e);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Megaflow: {Megaflow.Text}\nDatapath actions: {DatapathActionsText}";

    private static string Last(string[] lines, string prefix, string text)
    {
        for (int i = lines.Length - 1; i >= 0; i--)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..].Trim();
            }
        }

        throw new FormatException($"ofproto/trace printed no '{prefix.Trim()}' line:\n{text}");
    }
}
