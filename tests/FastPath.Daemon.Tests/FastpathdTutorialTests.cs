using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// Command lines from Open vSwitch's tutorials and documentation (tests/data/tutorial/commands.sh), run one by one
/// with bash and the real ovs-vsctl, ovs-ofctl and ovs-appctl against fastpathd: every line must exit 0.
/// </summary>
public sealed class FastpathdTutorialTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryTutorialCommandLineSucceeds()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        int id = Environment.ProcessId % 100000;

        // A TCP port nobody listens on, for set-controller.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int ctrl = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var env = new Dictionary<string, string>
        {
            ["OVS_RUNDIR"] = d.RunDir,
            ["BR"] = $"fpu{id}",
            ["BR2"] = $"fpw{id}",
            ["FLOWS"] = TestData.Path("tutorial", "flows.txt"),
            ["CTRL"] = ctrl.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var failures = new List<string>();
        foreach (string line in File.ReadAllLines(TestData.Path("tutorial", "commands.sh")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            (int code, string stdout, string stderr) = await BashAsync(line, env);
            output.WriteLine($"$ {line}  -> {code}\n{stdout}{stderr}");
            if (code != 0)
            {
                failures.Add($"{line} -> exit {code}: {stderr.Trim()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures) + "\nfastpathd log:\n" + d.Log);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> BashAsync(string line, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("bash", ["-o", "pipefail", "-c", line]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string k, string v) in env)
        {
            psi.Environment[k] = v;
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start bash");
        Task<string> o = p.StandardOutput.ReadToEndAsync(), e = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return (-1, await o, "timed out after 60 s");
        }

        return (p.ExitCode, await o, await e);
    }
}
