using System.Diagnostics;
using FastPath.OpenFlow.Wire;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// <c>ovs-ofctl [-O PROTOCOL] parse-flow FLOW</c> with the protocol Open vSwitch chose: the session our codec
/// must encode the same flow-mod with, and the flow-mod line Open vSwitch printed.
/// </summary>
internal static class OvsParseFlow
{
    /// <summary>Open vSwitch's session and printed flow-mod (after "): "), or null if it rejected the flow or chose OpenFlow 1.1/1.2.</summary>
    public static (OfSession Session, string Printed)? Run(string flow, string? protocol)
    {
        var psi = new ProcessStartInfo("ovs-ofctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (protocol is not null)
        {
            psi.ArgumentList.Add("-O");
            psi.ArgumentList.Add(protocol);
        }

        psi.ArgumentList.Add("parse-flow");
        psi.ArgumentList.Add(flow);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ovs-ofctl");
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(20_000))
        {
            p.Kill();
            throw new TimeoutException($"ovs-ofctl parse-flow {flow}");
        }

        _ = err.Result;
        if (p.ExitCode != 0)
        {
            return null;
        }

        string[] lines = stdout.Split('\n');
        string chosen = lines.Single(l => l.StartsWith("chosen protocol: ", StringComparison.Ordinal))["chosen protocol: ".Length..].Trim();
        OfSession? session = chosen switch
        {
            "OpenFlow10+table_id" => new OfSession(OpenFlowVersion.OF10, FlowModTableId: true),
            "OpenFlow10-table_id" => new OfSession(OpenFlowVersion.OF10),
            "NXM+table_id" => new OfSession(OpenFlowVersion.OF10, NxFlowFormat.Nxm, FlowModTableId: true),
            "NXM-table_id" => new OfSession(OpenFlowVersion.OF10, NxFlowFormat.Nxm),
            "OXM-OpenFlow13" => new OfSession(OpenFlowVersion.OF13),
            "OXM-OpenFlow14" => new OfSession(OpenFlowVersion.OF14),
            "OXM-OpenFlow15" => new OfSession(OpenFlowVersion.OF15),
            _ => null,
        };
        if (session is null)
        {
            return null;
        }

        string line = lines.Single(l => l.Contains("FLOW_MOD", StringComparison.Ordinal));
        return (session.Value, line[(line.IndexOf("): ", StringComparison.Ordinal) + 3)..].TrimEnd());
    }
}
