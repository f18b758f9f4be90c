using System.Globalization;
using System.Text.RegularExpressions;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Trace;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;
using FastPath.Packets;

namespace FastPath.Cli.Trace;

/// <summary>
/// <c>fpctl ofproto-trace</c>: loads an <c>ovs-ofctl add-flows</c> file into a fresh bridge (ports 1..N, no
/// controller, a table miss drops as in OpenFlow 1.3), traces one flow or packet through it, and prints the
/// report in <c>ovs-appctl ofproto/trace</c>'s layout, so that the same rule sets and flows can be run against
/// FastPath and Open vSwitch and their <c>Final flow:</c>, <c>Megaflow:</c> and <c>Datapath actions:</c> lines
/// compared.
/// </summary>
public static partial class OfprotoTrace
{
    /// <summary>
    /// Runs the trace and returns its report. Throws <see cref="TraceFailedException"/> with a one-line
    /// message for a bad file, flow, packet or port list.
    /// </summary>
    public static string Run(string flowsFile, IReadOnlyList<string> portNames, int ports, string bridge, string flow, string? packetHex)
    {
        Dictionary<string, uint> names = PortMap(portNames);
        uint[] numbers = names.Count > 0 ? names.Values.Distinct().Order().ToArray()
            : Enumerable.Range(1, ports).Select(p => (uint)p).ToArray();
        if (numbers.Length == 0)
        {
            throw new TraceFailedException("the bridge needs at least one port (--ports N, N >= 1)");
        }

        string text;
        try
        {
            text = File.ReadAllText(flowsFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceFailedException($"{flowsFile}: {e.Message}");
        }

        List<FlowRule> rules;
        try
        {
            rules = FlowText.ParseFile(new StringReader(Substitute(text, names)));
        }
        catch (FlowSyntaxException e)
        {
            throw new TraceFailedException($"{flowsFile}: {e.Message}");
        }

        var pipeline = new OfPipeline();
        foreach (FlowRule rule in rules)
        {
            try
            {
                pipeline.Apply(new FlowMod(FlowModCommand.Add, rule), 0);
            }
            catch (FlowModException e)
            {
                throw new TraceFailedException($"{flowsFile}: {FlowText.FormatFlowMod(rule)}: {e.Message}");
            }
        }

        var bridgePorts = new BridgePorts();
        foreach (uint p in numbers)
        {
            bridgePorts.Set(p);
        }

        FlowKey key;
        try
        {
            key = TraceInput.Parse(Substitute(flow, names), packetHex);
        }
        catch (FormatException e)
        {
            throw new TraceFailedException(e.Message);
        }

        var xlate = new OfXlate(pipeline, bridgePorts);
        return TraceReport.Format(xlate.Trace(key), key, bridge);
    }

    // --port-names p1,p2 numbers the ports 1, 2... in order; p1=5 names port 5.
    private static Dictionary<string, uint> PortMap(IReadOnlyList<string> portNames)
    {
        var map = new Dictionary<string, uint>(StringComparer.Ordinal);
        uint next = 1;
        foreach (string item in portNames.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            string name = item;
            uint number = next;
            int eq = item.IndexOf('=');
            if (eq >= 0)
            {
                name = item[..eq];
                if (!uint.TryParse(item[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is 0 or > OpenFlow.Fields.OfPorts.Max)
                {
                    throw new TraceFailedException($"--port-names: {item}: the port number must be 1-{OpenFlow.Fields.OfPorts.Max}");
                }
            }

            if (!PortName().IsMatch(name) || uint.TryParse(name, out _))
            {
                throw new TraceFailedException($"--port-names: {item}: a port name is letters, digits, '-' and '_', not a number");
            }

            if (!map.TryAdd(name, number))
            {
                throw new TraceFailedException($"--port-names: {name} is named twice");
            }

            next = number + 1;
        }

        return map;
    }

    // Port names stand where Open vSwitch takes them: in_port=NAME and output:NAME.
    private static string Substitute(string text, Dictionary<string, uint> names)
    {
        if (names.Count == 0)
        {
            return text;
        }

        return PortReference().Replace(text, m => names.TryGetValue(m.Groups[2].Value, out uint n)
            ? m.Groups[1].Value + n.ToString(CultureInfo.InvariantCulture)
            : m.Value);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+$")]
    private static partial Regex PortName();

    [GeneratedRegex(@"(in_port=|output:)([A-Za-z0-9_\-]+)")]
    private static partial Regex PortReference();
}
