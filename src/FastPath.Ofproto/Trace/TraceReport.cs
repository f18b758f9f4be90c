using System.Text;
using FastPath.Datapath.Flows;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Trace;

/// <summary>
/// An <see cref="XlateTrace"/> printed as Open vSwitch's <c>ovs-appctl ofproto/trace</c> prints its answer:
/// <c>Flow:</c>, the bridge and the tables visited, then <c>Final flow:</c>, <c>Megaflow:</c> and
/// <c>Datapath actions:</c>.
/// </summary>
/// <remarks>
/// The three closing lines are meant to be compared with Open vSwitch's line by line:
/// <c>Final flow:</c> is <c>unchanged</c> or the flow in <see cref="OvsFlowFormat.Flow"/>'s text,
/// <c>Megaflow:</c> FastPath's megaflow in <see cref="OvsFlowFormat.Match"/>'s (every bit it matches, including
/// the VLAN tag's presence that Open vSwitch's line leaves implicit), <c>Datapath actions:</c> the program in
/// <see cref="OdpActionFormat"/>'s. A translation FastPath refuses drops the packet and installs nothing:
/// <c>Megaflow: none</c>, <c>Datapath actions: drop</c>.
/// </remarks>
public static class TraceReport
{
    /// <summary>The report for <paramref name="trace"/> of <paramref name="input"/> on bridge <paramref name="bridge"/>.</summary>
    public static string Format(XlateTrace trace, in FlowKey input, string bridge = "br0")
    {
        PipelineKey start = PipelineKey.FromPacket(input);
        var s = new StringBuilder();
        s.Append("Flow: ").Append(OvsFlowFormat.Flow(start)).Append('\n');
        s.Append('\n');
        string header = $"bridge(\"{bridge}\")";
        s.Append(header).Append('\n').Append('-', header.Length).Append('\n');
        foreach (string line in trace.Lines)
        {
            s.Append(line).Append('\n');
        }

        s.Append('\n');
        s.Append("Final flow: ").Append(FinalFlow(trace, start)).Append('\n');
        s.Append("Megaflow: ").Append(trace.Succeeded ? Megaflow(trace.Megaflow) : "none").Append('\n');
        s.Append("Datapath actions: ").Append(trace.Succeeded ? OdpActionFormat.Format(trace.Actions) : "drop").Append('\n');
        return s.ToString();
    }

    /// <summary>The <c>Final flow:</c> value: <c>unchanged</c> when the pipeline left the flow as it came in.</summary>
    public static string FinalFlow(XlateTrace trace, in PipelineKey start)
        => trace.FinalFlow == start ? "unchanged" : OvsFlowFormat.Flow(trace.FinalFlow);

    /// <summary>The <c>Megaflow:</c> value: <c>recirc_id=0,eth,</c> then the fields the megaflow matches.</summary>
    public static string Megaflow(in FlowMatch megaflow)
        => OvsFlowFormat.Match(PipelineKey.FromPacket(megaflow.Key), PipelineKey.FromPacket(megaflow.Mask), megaflow: true);
}
