using System.Diagnostics;

namespace FastPath.Daemon.Tests.DocCommands;

/// <summary>
/// Runs the command lines in order through <c>bash -c</c>, as a user pastes them, with OVS_RUNDIR naming the switch,
/// SWITCHNS the namespace it runs in and HOSTNS the namespace of the veth peers, in a scratch directory (for the flow files some lines write).
/// </summary>
public static class DocCommandRunner
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Every judged line's result, in order; setup lines are run and left out.</summary>
    public static async Task<IReadOnlyList<DocCommandResult>> RunAsync(IReadOnlyList<DocCommandLine> lines, string runDir, string switchNamespace, string hostNamespace)
    {
        string scratch = Directory.CreateTempSubdirectory("ovs-doc-commands-").FullName;
        try
        {
            var results = new List<DocCommandResult>(lines.Count);
            foreach (DocCommandLine line in lines)
            {
                (int exit, string output, string error) = await RunLineAsync(line.Command, runDir, switchNamespace, hostNamespace, scratch);
                if (!line.Setup)
                {
                    results.Add(new DocCommandResult(line, exit, output, error));
                }
            }

            return results;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<(int, string, string)> RunLineAsync(string command, string runDir, string switchNamespace, string hostNamespace, string scratch)
    {
        var psi = new ProcessStartInfo("bash", ["-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = scratch,
        };
        psi.Environment["OVS_RUNDIR"] = runDir;
        psi.Environment["SWITCHNS"] = switchNamespace;
        psi.Environment["HOSTNS"] = hostNamespace;
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start bash");
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        Task<string> error = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(LineTimeout);
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Only the shell started here and what it started, by its own handle.
            p.Kill(entireProcessTree: true);
            return (-1, await output, $"did not finish in {LineTimeout}");
        }

        return (p.ExitCode, await output, await error);
    }
}
