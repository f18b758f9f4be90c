using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FastPath.Daemon.Ovsdb;

/// <summary>
/// The ovsdb-server fastpathd runs for itself when it is given no database address: Open vSwitch's own server,
/// in the run directory, over a database created from Open vSwitch's schema on first use. It is a detached
/// daemon with its own pidfile, so the configuration outlives a crashed fastpathd, and a restarted fastpathd
/// finds it running and reconnects instead of starting a second one.
/// </summary>
public sealed class PrivateOvsdbServer
{
    private readonly string runDir;
    private readonly ILogger logger;

    /// <summary>A server whose files live in <paramref name="runDir"/>; the database is <paramref name="dbFile"/> (default RUNDIR/conf.db).</summary>
    public PrivateOvsdbServer(string runDir, ILogger logger, string? dbFile = null, string? schema = null)
    {
        this.runDir = runDir;
        this.logger = logger;
        DbFile = dbFile ?? Path.Combine(runDir, "conf.db");
        Schema = schema ?? DefaultSchema();
    }

    /// <summary>The database file.</summary>
    public string DbFile { get; }

    /// <summary>The schema the database is created from.</summary>
    public string Schema { get; }

    /// <summary>Where clients connect: <c>unix:RUNDIR/db.sock</c>, ovs-vsctl's default when OVS_RUNDIR is the run directory.</summary>
    public string Remote => "unix:" + SocketPath;

    /// <summary>The server's socket.</summary>
    public string SocketPath => Path.Combine(runDir, "db.sock");

    /// <summary>The server's pidfile.</summary>
    public string PidFile => Path.Combine(runDir, "ovsdb-server.pid");

    /// <summary>The pid of the running server, or null.</summary>
    public int? RunningPid()
    {
        try
        {
            int pid = int.Parse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture);
            return Directory.Exists($"/proc/{pid}") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "ovsdb-server" ? pid : null;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Creates the database if needed and starts the server unless one already runs for this directory; returns its pid.</summary>
    /// <exception cref="InvalidOperationException">A tool failed; the message carries its error output.</exception>
    public async Task<int> StartAsync(CancellationToken cancel)
    {
        Directory.CreateDirectory(runDir);
        if (RunningPid() is int running && File.Exists(SocketPath))
        {
            logger.LogInformation("using the private ovsdb-server already running (pid {Pid}, {Remote})", running, Remote);
            return running;
        }

        if (!File.Exists(DbFile))
        {
            if (!File.Exists(Schema))
            {
                throw new InvalidOperationException($"{Schema}: Open vSwitch's schema is missing (install openvswitch-switch, or pass --db)");
            }

            await RunAsync("ovsdb-tool", ["create", DbFile, Schema], cancel).ConfigureAwait(false);
            logger.LogInformation("created database {Db} from {Schema}", DbFile, Schema);
        }
        else
        {
            // A database written by an older schema is upgraded as ovs-ctl does before starting the server.
            string needs = (await RunAsync("ovsdb-tool", ["needs-conversion", DbFile, Schema], cancel).ConfigureAwait(false)).Trim();
            if (needs == "yes")
            {
                await RunAsync("ovsdb-tool", ["convert", DbFile, Schema], cancel).ConfigureAwait(false);
            }
        }

        await RunAsync("ovsdb-server",
        [
            DbFile, "--remote=punix:" + SocketPath, "--remote=db:Open_vSwitch,Open_vSwitch,manager_options",
            "--unixctl=" + Path.Combine(runDir, "ovsdb-server.ctl"), "--pidfile=" + PidFile, "--overwrite-pidfile",
            "--log-file=" + Path.Combine(runDir, "ovsdb-server.log"), "--no-chdir", "--detach",
        ], cancel).ConfigureAwait(false);

        // ovs-vsctl init: the Open_vSwitch row every other table hangs from, as ovs-ctl creates it.
        await RunAsync("ovs-vsctl", ["--db=" + Remote, "--no-wait", "--timeout=10", "init"], cancel).ConfigureAwait(false);
        int pid = RunningPid() ?? throw new InvalidOperationException($"ovsdb-server started but {PidFile} names no live server");
        logger.LogInformation("started private ovsdb-server (pid {Pid}) on {Remote}", pid, Remote);
        return pid;
    }

    /// <summary>Stops the server this directory's pidfile names (a clean shutdown of fastpathd stops its private server).</summary>
    public void Stop()
    {
        if (RunningPid() is int pid)
        {
            try
            {
                using Process p = Process.GetProcessById(pid);
                p.Kill();
                p.WaitForExit(5000);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                logger.LogWarning("could not stop ovsdb-server {Pid}: {Error}", pid, e.Message);
            }
        }
    }

    private static string DefaultSchema()
    {
        string dir = Environment.GetEnvironmentVariable("OVS_PKGDATADIR") is { Length: > 0 } d ? d : "/usr/share/openvswitch";
        return Path.Combine(dir, "vswitch.ovsschema");
    }

    private static async Task<string> RunAsync(string file, string[] args, CancellationToken cancel)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{file}: could not start");
        Task<string> output = p.StandardOutput.ReadToEndAsync(cancel);
        Task<string> error = p.StandardError.ReadToEndAsync(cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: no answer in 30 s");
        }

        string stdout = await output.ConfigureAwait(false);
        string stderr = await error.ConfigureAwait(false);
        if (p.ExitCode != 0 && !(file == "ovsdb-tool" && args[0] == "needs-conversion"))
        {
            throw new InvalidOperationException($"{file} {args[0]} failed (exit {p.ExitCode}): {stderr.Trim()}");
        }

        return stdout;
    }
}
