using System.Diagnostics;
using System.Globalization;

namespace FastPath.Daemon;

/// <summary>
/// ovs-vswitchd's <c>--detach</c>: the daemon runs in the background, in a session of its own, and the command
/// returns once it is up, as ovs-vswitchd's daemonize_complete: the first configuration read from the database is
/// applied, so the next line of a script can use it. .NET cannot fork, so the command starts a second fastpathd
/// with the same arguments but <c>--detach</c>, its standard streams closed, and waits for the file it creates
/// then (named in <see cref="ReadyFileVariable"/>).
/// </summary>
public static class DaemonDetach
{
    /// <summary>The environment variable naming the file the background daemon creates once it is up.</summary>
    public const string ReadyFileVariable = "FASTPATHD_READY_FILE";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts the background daemon and waits for it; returns 0 once it is up, else 1 with a message.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> argsWithoutDetach)
    {
        ArgumentNullException.ThrowIfNull(argsWithoutDetach);
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("the process has no path");
        string[] command = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [self, Environment.GetCommandLineArgs()[0], .. argsWithoutDetach]
            : [self, .. argsWithoutDetach];

        // setsid: a session of its own, so the daemon outlives the shell and terminal that started it.
        ProcessStartInfo psi = File.Exists("/usr/bin/setsid")
            ? new ProcessStartInfo("/usr/bin/setsid", command)
            : new ProcessStartInfo(command[0], command[1..]);
        string ready = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"fastpathd-ready-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        psi.Environment[ReadyFileVariable] = ready;
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using Process child = Process.Start(psi) ?? throw new InvalidOperationException("could not start fastpathd");
        child.StandardInput.Close();

        // What it says before it is up is read (so it never blocks on a full pipe) and shown if it fails to start.
        Task<string> errors = child.StandardError.ReadToEndAsync();
        _ = child.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (child.HasExited)
            {
                await Console.Error.WriteAsync(await errors.ConfigureAwait(false)).ConfigureAwait(false);
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fastpathd: the detached daemon exited with {child.ExitCode}")).ConfigureAwait(false);
                return 1;
            }

            if (File.Exists(ready))
            {
                File.Delete(ready);
                return 0;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fastpathd: the detached daemon (pid {child.Id}) did not come up in {StartTimeout.TotalSeconds} s")).ConfigureAwait(false);
        return 1;
    }
}
