using System.Diagnostics;

namespace FastPath.Daemon.Tests;

/// <summary>fastpathd as a real process: it starts, logs, and shuts down cleanly on SIGTERM.</summary>
public class DaemonLifetimeTests
{
    [Fact]
    public async Task StopsCleanlyOnSigterm()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "fastpathd.dll");
        var psi = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        try
        {
            var started = new TaskCompletionSource();
            p.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("fastpathd started", StringComparison.Ordinal) == true)
                {
                    started.TrySetResult();
                }
            };
            p.BeginOutputReadLine();
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var stopWait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(stopWait.Token);
            Assert.Equal(0, p.ExitCode);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill();
            }
        }
    }
}
