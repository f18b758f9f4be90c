using System.Diagnostics;

namespace FastPath.OpenFlow.Tests.Ovs;

/// <summary>
/// Runs Debian's <c>ovs-ofctl parse-flow</c> (openvswitch-common, installed by scripts/setup.sh) as the oracle:
/// it parses a flow offline, encodes it as a flow_mod, decodes it and prints Open vSwitch's canonical form.
/// </summary>
internal static class OvsOfctl
{
    /// <summary>Each flow through parse-flow, run in parallel batches; an error becomes "error: " and Open vSwitch's message.</summary>
    public static string[] ParseFlows(string[] flows, bool openFlow13)
    {
        var results = new string[flows.Length];
        Parallel.For(0, flows.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var (ok, text) = ParseFlow(flows[i], openFlow13);
            results[i] = ok ? text : "error: " + text;
        });
        return results;
    }

    /// <summary>The printed flow_mod without its header (<c>ADD [table:N ]MATCH ... actions=...</c>), or the error text.</summary>
    public static (bool Ok, string Text) ParseFlow(string flow, bool openFlow13) => ParseFlow(flow, openFlow13 ? "OpenFlow13" : null);

    /// <summary>As <see cref="ParseFlow(string, bool)"/> with <c>-O PROTOCOL</c> (null: ovs-ofctl's default, OpenFlow 1.0 with NXM).</summary>
    public static (bool Ok, string Text) ParseFlow(string flow, string? protocol)
    {
        var psi = new ProcessStartInfo("ovs-ofctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (protocol is not null)
        {
            psi.ArgumentList.Add("-O");
            psi.ArgumentList.Add(protocol);
        }

        psi.ArgumentList.Add("parse-flow");
        psi.ArgumentList.Add(flow);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ovs-ofctl (install openvswitch-common: scripts/setup.sh)");
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(20_000))
        {
            p.Kill();
            throw new TimeoutException($"ovs-ofctl parse-flow {flow} did not finish");
        }

        string stderr = err.Result;
        if (p.ExitCode != 0)
        {
            return (false, stderr.Trim());
        }

        // Drop what parse-flow adds around the flow: "usable protocols:", "chosen protocol:" and the message header.
        string line = stdout.Split('\n').Single(l => l.Contains("FLOW_MOD", StringComparison.Ordinal));
        int colon = line.IndexOf("): ", StringComparison.Ordinal);
        return (true, line[(colon + 3)..].TrimEnd());
    }
}
