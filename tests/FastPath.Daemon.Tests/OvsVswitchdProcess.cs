using System.Diagnostics;

namespace FastPath.Daemon.Tests;

/// <summary>
/// Debian's own ovsdb-server and ovs-vswitchd in a private run directory, the reference the side-by-side tests
/// compare fastpathd with: by default with <c>--enable-dummy=override --disable-system</c> (no kernel datapath, no
/// kernel devices), or in a network namespace with real devices. Disposing ends the two processes it started, by
/// their own handles, and removes the directory.
/// </summary>
public sealed class OvsVswitchdProcess : IAsyncDisposable
{
    private const string Schema = "/usr/share/openvswitch/vswitch.ovsschema";
    private readonly List<Process> started = [];

    private OvsVswitchdProcess(string dir) => RunDir = dir;

    /// <summary>The run directory (OVS_RUNDIR).</summary>
    public string RunDir { get; }

    /// <summary>Why the reference cannot run here (no Open vSwitch installed), or null.</summary>
    public static string? Unavailable() =>
        File.Exists(Schema) && File.Exists("/usr/sbin/ovs-vswitchd") && File.Exists("/usr/sbin/ovsdb-server")
            ? null
            : "Debian's openvswitch-switch is not installed (scripts/setup.sh installs it)";

    /// <summary>Starts the database and ovs-vswitchd, in <paramref name="netns"/> when given (then with its real devices and routes, else dummies).</summary>
    public static async Task<OvsVswitchdProcess> StartAsync(string? netns = null)
    {
        var o = new OvsVswitchdProcess(Directory.CreateTempSubdirectory("ovs-ref-").FullName);
        try
        {
            await o.RunAsync("ovsdb-tool", "create", Path.Combine(o.RunDir, "conf.db"), Schema);
            o.Spawn(netns, "ovsdb-server", Path.Combine(o.RunDir, "conf.db"), $"--remote=punix:{o.RunDir}/db.sock", "--pidfile", "--log-file");
            await o.WaitAsync(() => File.Exists(Path.Combine(o.RunDir, "db.sock")));
            await o.RunAsync("ovs-vsctl", "--no-wait", "init");
            string[] dummy = netns is null ? ["--enable-dummy=override"] : [];
            o.Spawn(netns, "ovs-vswitchd", [$"unix:{o.RunDir}/db.sock", .. dummy, "--disable-system", "--pidfile", "--log-file"]);
            await o.WaitAsync(() => File.Exists(Path.Combine(o.RunDir, "ovs-vswitchd.pid")));
            await o.RunAsync("ovs-vsctl", "--timeout=30", "set", "open_vswitch", ".", "external_ids:ready=1");
            return o;
        }
        catch
        {
            await o.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs an Open vSwitch tool against this ovs-vswitchd (bounded: 60 s).</summary>
    public async Task<(int Code, string Output, string Error)> TryRunAsync(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        SetEnvironment(psi);
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
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in 60 s");
        }

        return (p.ExitCode, await output, await error);
    }

    /// <summary>Runs a tool; throws with its error output when it fails.</summary>
    public async Task<string> RunAsync(string tool, params string[] args)
    {
        (int code, string output, string error) = await TryRunAsync(tool, args);
        return code == 0 ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({code}): {error}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (Process p in Enumerable.Reverse(started))
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    await p.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            p.Dispose();
        }

        try
        {
            Directory.Delete(RunDir, recursive: true);
        }
        catch (IOException)
        {
            // A socket left behind by a process that is going: the temporary directory is harmless.
        }
    }

    private void Spawn(string? netns, string program, params string[] args)
    {
        ProcessStartInfo psi = netns is null ? new ProcessStartInfo(program, args) : new ProcessStartInfo("ip", ["netns", "exec", netns, program, .. args]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        SetEnvironment(psi);
        Process p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        started.Add(p);
    }

    private void SetEnvironment(ProcessStartInfo psi)
    {
        psi.Environment["OVS_RUNDIR"] = RunDir;
        psi.Environment["OVS_LOGDIR"] = RunDir;
        psi.Environment["OVS_DBDIR"] = RunDir;
    }

    private async Task WaitAsync(Func<bool> done)
    {
        for (int i = 0; i < 150 && !done(); i++)
        {
            if (started.Any(p => p.HasExited))
            {
                throw new InvalidOperationException($"{started.First(p => p.HasExited).StartInfo.FileName} exited early");
            }

            await Task.Delay(100);
        }

        if (!done())
        {
            throw new TimeoutException("Open vSwitch did not come up in 15 s");
        }
    }
}
