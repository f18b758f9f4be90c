using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FastPath.Daemon.Tests;

/// <summary>
/// fastpathd as a real process in a private run directory (OVS_RUNDIR), with its private ovsdb-server, driven by the
/// real ovs-vsctl, ovs-ofctl and ovs-appctl with the same OVS_RUNDIR. Disposing stops what it started, by PID,
/// and removes the directory.
/// </summary>
public sealed class FastpathdProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder log = new();
    private Process? process;

    /// <summary>
    /// A daemon to be started in a new temporary run directory (or <paramref name="runDir"/>), in the network
    /// namespace <paramref name="netns"/> when one is given (through <c>ip netns exec</c>, which becomes the daemon).
    /// </summary>
    public FastpathdProcess(string? runDir = null, string? netns = null)
    {
        RunDir = runDir ?? Directory.CreateTempSubdirectory("fastpathd-test-").FullName;
        Netns = netns;
    }

    /// <summary>The network namespace the daemon runs in, or null for the test's own.</summary>
    public string? Netns { get; }

    /// <summary>The run directory.</summary>
    public string RunDir { get; }

    /// <summary>The daemon's pid while it runs.</summary>
    public int? Pid => process is { HasExited: false } p ? p.Id : null;

    /// <summary>What the daemon logged so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>Starts the daemon and waits until its database answers and the first configuration is applied.</summary>
    public async Task StartAsync(params string[] extraArgs)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "fastpathd.dll");
        ProcessStartInfo psi = Netns is null
            ? new ProcessStartInfo("dotnet", [dll, .. extraArgs])
            : new ProcessStartInfo("ip", ["netns", "exec", Netns, "dotnet", dll, .. extraArgs]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.Environment["OVS_RUNDIR"] = RunDir;
        process = Process.Start(psi) ?? throw new InvalidOperationException("could not start fastpathd");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // ovs-vsctl without --no-wait returns only once fastpathd has written cur_cfg: the daemon is serving.
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"fastpathd exited with {process.ExitCode}:\n{Log}");
            }

            if (File.Exists(Path.Combine(RunDir, "db.sock")) && (await TrySyncAsync(5)).Code == 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"fastpathd did not come up in {StartTimeout}:\n{Log}");
    }

    /// <summary>
    /// Waits until the daemon has applied everything in the database: a change that does nothing (a nonce in
    /// Open_vSwitch external_ids), made by ovs-vsctl without --no-wait, returns once fastpathd has written cur_cfg.
    /// </summary>
    public async Task SyncAsync()
    {
        (int code, _, string error) = await TrySyncAsync(30);
        if (code != 0)
        {
            throw new InvalidOperationException($"fastpathd did not catch up with the database: {error}\nfastpathd log:\n{Log}");
        }
    }

    private Task<(int Code, string Output, string Error)> TrySyncAsync(int seconds) =>
        TryRunAsync("ovs-vsctl", $"--timeout={seconds}", "set", "open_vswitch", ".", $"external_ids:fastpath-test-sync={Guid.NewGuid():N}");

    /// <summary>Runs an Open vSwitch tool against this daemon; throws with its error output when it fails.</summary>
    public async Task<string> RunAsync(string tool, params string[] args)
    {
        (int code, string output, string error) = await TryRunAsync(tool, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({code}): {error}\nfastpathd log:\n{Log}");
        }

        return output;
    }

    /// <summary>Runs an Open vSwitch tool with OVS_RUNDIR set to the run directory (bounded: 60 s).</summary>
    public async Task<(int Code, string Output, string Error)> TryRunAsync(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OVS_RUNDIR"] = RunDir;
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        Task<string> error = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in 60 s\nfastpathd log:\n{Log}");
        }

        return (p.ExitCode, await output, await error);
    }

    /// <summary>Ends the daemon with SIGKILL, as a crash would; its private ovsdb-server keeps running.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
    }

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (process is not { HasExited: false } p)
        {
            return process?.ExitCode ?? 0;
        }

        using (Process kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(wait.Token);
        return p.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Pid != null)
            {
                await StopAsync();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            await KillAsync();
        }

        // The private ovsdb-server a crashed daemon left behind: ours, named by our run directory's pidfile.
        string pidFile = Path.Combine(RunDir, "ovsdb-server.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "ovsdb-server")
        {
            try
            {
                using Process s = Process.GetProcessById(pid);
                s.Kill();
                s.WaitForExit(5000);
            }
            catch (ArgumentException)
            {
            }
        }

        process?.Dispose();
        try
        {
            Directory.Delete(RunDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line != null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }
}
