using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FastPath.Ovsdb.Tests;

/// <summary>A private Open vSwitch ovsdb-server (Debian's openvswitch-common) on a fresh vswitch database in a temporary
/// directory, killed by PID on dispose. <see cref="Vsctl"/> runs the real ovs-vsctl against it.</summary>
internal sealed partial class OvsdbServer : IAsyncDisposable
{
    public const string VswitchSchema = "/usr/share/openvswitch/vswitch.ovsschema";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(20);
    private Process? _process;

    private OvsdbServer(string dir, string remote)
    {
        Dir = dir;
        Remote = remote;
    }

    /// <summary>The temporary directory (short: Unix socket paths are limited to 108 bytes).</summary>
    public string Dir { get; }

    /// <summary>The remote given to ovsdb-server: punix:DIR/db.sock, or ptcp:0:127.0.0.1.</summary>
    public string Remote { get; }

    public string Socket => Path.Combine(Dir, "db.sock");

    public string UnixTarget => "unix:" + Socket;

    /// <summary>The tcp:127.0.0.1:PORT the server bound for a ptcp remote (read with ovs-appctl).</summary>
    public string? TcpTarget { get; private set; }

    public int Pid => _process?.Id ?? 0;

    public static async Task<OvsdbServer> StartAsync(bool tcp = false, bool init = true)
    {
        string dir = Path.Combine(Path.GetTempPath(), "fpdb-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        var server = new OvsdbServer(dir, tcp ? "ptcp:0:127.0.0.1" : "punix:" + Path.Combine(dir, "db.sock"));
        try
        {
            await RunAsync("ovsdb-tool", "create", Path.Combine(dir, "db"), VswitchSchema);
            await server.LaunchAsync();
            if (init)
            {
                await server.VsctlAsync("init");
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Starts ovsdb-server on the database file (again, after <see cref="Kill"/>).</summary>
    public async Task LaunchAsync()
    {
        if (File.Exists(Socket))
        {
            File.Delete(Socket);
        }

        var psi = new ProcessStartInfo("ovsdb-server") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[]
        {
            "--remote=" + Remote, "--remote=punix:" + Socket, "--unixctl=" + Path.Combine(Dir, "ctl"), "--no-chdir",
            "--pidfile=" + Path.Combine(Dir, "pid"), "--log-file=" + Path.Combine(Dir, "log"), Path.Combine(Dir, "db"),
        }.Distinct())
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ovsdb-server (scripts/setup.sh installs openvswitch-common)");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        long end = Environment.TickCount64 + 10000;
        while (!File.Exists(Socket) || !File.Exists(Path.Combine(Dir, "ctl")))
        {
            if (Environment.TickCount64 > end || _process.HasExited)
            {
                throw new InvalidOperationException("ovsdb-server did not create its sockets in " + Dir);
            }

            await Task.Delay(20);
        }

        if (Remote.StartsWith("ptcp:", StringComparison.Ordinal))
        {
            // ovs-appctl ovsdb-server/list-remotes prints the remote as configured (ptcp:0:…); the bound port is in the log.
            TcpTarget = null;
            string log = "";
            while (Environment.TickCount64 < end)
            {
                log = await File.ReadAllTextAsync(Path.Combine(Dir, "log"));
                MatchCollection ms = ListeningPort().Matches(log);
                if (ms.Count > 0)
                {
                    TcpTarget = "tcp:127.0.0.1:" + ms[^1].Groups[1].Value;
                    break;
                }

                await Task.Delay(20);
            }

            if (TcpTarget is null)
            {
                throw new InvalidOperationException($"no listening port in ovsdb-server's log: {log}");
            }
        }
    }

    /// <summary>Kills the server (SIGKILL, by PID): clients see the connection drop.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(5000);
        }
    }

    /// <summary>Runs a transaction on the database file with ovsdb-tool (the server must be down).</summary>
    public Task<string> TransactOfflineAsync(string transaction) => RunAsync("ovsdb-tool", "transact", Path.Combine(Dir, "db"), transaction);

    public Task<string> VsctlAsync(params string[] args) =>
        RunAsync("ovs-vsctl", new[] { "--db=" + UnixTarget, "--no-wait", "--timeout=10" }.Concat(args).ToArray());

    /// <summary>ovs-vsctl's value, trimmed of its newline and quotes.</summary>
    public async Task<string> GetAsync(string table, string record, string column) =>
        (await VsctlAsync("get", table, record, column)).Trim().Trim('"');

    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> o = p.StandardOutput.ReadToEndAsync();
        Task<string> e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(ToolTimeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }

        string output = await o;
        string error = await e;
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {error}{output}");
        }

        return output;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"127\.0\.0\.1: listening on port (\d+)")]
    private static partial Regex ListeningPort();
}
