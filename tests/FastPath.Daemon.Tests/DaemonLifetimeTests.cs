using System.Diagnostics;

namespace FastPath.Daemon.Tests;

/// <summary>fastpathd as a real process: it starts, logs, and shuts down cleanly on SIGTERM.</summary>
public class DaemonLifetimeTests
{
    [Fact]
    public void StopsCleanlyOnSigterm()
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
            Assert.True(started.Task.Wait(TimeSpan.FromSeconds(30)), "fastpathd did not log its start");
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), "fastpathd did not stop on SIGTERM");
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
