using System.Diagnostics;
using System.Globalization;

namespace FastPath.Unixctl.Tests;

/// <summary>One daemon per run directory, as Open vSwitch's pidfiles enforce it; stale files are cleaned up.</summary>
public sealed class RunDirectoryTests : IDisposable
{
    private readonly TempRunDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void DefaultIsOvsRundirElseOursNotOpenVSwitchs()
    {
        string? saved = Environment.GetEnvironmentVariable("OVS_RUNDIR");
        try
        {
            Environment.SetEnvironmentVariable("OVS_RUNDIR", null);
            Assert.Equal("/var/run/fastpath", RunDirectory.Resolve());
            Environment.SetEnvironmentVariable("OVS_RUNDIR", dir.Path);
            Assert.Equal(dir.Path, RunDirectory.Resolve());
        }
        finally
        {
            Environment.SetEnvironmentVariable("OVS_RUNDIR", saved);
        }
    }

    [Fact]
    public async Task SecondServerOnOneRunDirectoryInTheSameProcessIsRefused()
    {
        await using UnixctlServer first = UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = dir.Path });
        var e = Assert.Throws<UnixctlException>(() => UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = dir.Path }));
        Assert.Contains("already running as pid " + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);

        // The refused start left the first one's pidfile locked: ovs-appctl still believes it.
        Assert.Equal(0, AppCtl.Run(dir.Path, "version").ExitCode);
    }

    [Fact]
    public void PidfileLockedByAnotherLiveProcessIsRefused()
    {
        // A real other daemon: Open vSwitch's ovsdb-server holding DIR/ovs-vswitchd.pid its own way (fcntl lock).
        string db = Path.Combine(dir.Path, "conf.db");
        Run("ovsdb-tool", "create", db, "/usr/share/openvswitch/vswitch.ovsschema");
        string pidfile = Path.Combine(dir.Path, "ovs-vswitchd.pid");
        var psi = new ProcessStartInfo("ovsdb-server")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { db, "--pidfile=" + pidfile, "--unixctl=" + Path.Combine(dir.Path, "db.ctl"), "--no-chdir", "-vconsole:off", "--remote=punix:" + Path.Combine(dir.Path, "db.sock") })
        {
            psi.ArgumentList.Add(a);
        }

        using Process other = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        other.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        other.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        other.BeginErrorReadLine();
        other.BeginOutputReadLine();
        try
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.Exists(pidfile) || new FileInfo(pidfile).Length == 0)
            {
                if (other.HasExited)
                {
                    lock (output)
                    {
                        Assert.Fail($"ovsdb-server exited {other.ExitCode}: {output}");
                    }
                }

                Assert.True(DateTime.UtcNow < deadline, "ovsdb-server wrote no pidfile in 20 s");
                Thread.Sleep(20);
            }

            var e = Assert.Throws<UnixctlException>(() => UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = dir.Path }));
            Assert.Equal($"{pidfile}: already running as pid {other.Id.ToString(CultureInfo.InvariantCulture)}, aborting", e.Message);
            Assert.True(File.Exists(pidfile), "the live daemon's pidfile must stay");
        }
        finally
        {
            other.Kill();
            other.WaitForExit(10_000);
        }
    }

    [Fact]
    public async Task StalePidfileAndSocketsOfDeadDaemonsAreReplaced()
    {
        // A daemon that died: its pidfile names a process that is gone and nobody holds its lock.
        using Process dead = Process.Start("true")!;
        dead.WaitForExit();
        string deadPid = dead.Id.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(dir.Path, "ovs-vswitchd.pid"), deadPid + "\n");
        string staleSocket = Path.Combine(dir.Path, $"ovs-vswitchd.{deadPid}.ctl");
        File.WriteAllText(staleSocket, "");
        string unrelated = Path.Combine(dir.Path, "ovsdb-server.1.ctl");
        File.WriteAllText(unrelated, "");

        await using UnixctlServer server = UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = dir.Path });
        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n", OutsideRead.Text(server.PidfilePath!));
        Assert.False(File.Exists(staleSocket));
        Assert.True(File.Exists(unrelated));
        Assert.Equal(0, AppCtl.Run(dir.Path, "version").ExitCode);
    }

    [Fact]
    public async Task ExplicitSocketPathAndMissingRunDirectoryIsCreated()
    {
        string run = Path.Combine(dir.Path, "sub");
        string sock = Path.Combine(dir.Path, "my.ctl");
        await using UnixctlServer server = UnixctlServer.Start(new UnixctlServerOptions { RunDirectory = run, SocketPath = sock });
        Assert.True(Directory.Exists(run));
        Assert.Equal(sock, server.SocketPath);
        Assert.Equal(0, AppCtl.Run(run, "-t", sock, "version").ExitCode);
    }

    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Assert.True(p.WaitForExit(20_000), program + " did not finish");
        Assert.True(p.ExitCode == 0, program + ": " + p.StandardError.ReadToEnd());
    }
}
