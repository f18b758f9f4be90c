using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastPath.Ofproto.Tests.Ovs;

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>
/// A real OpenFlow controller listening on a loopback port: os-ken running tests/data/controllers/simple_switch_13.py,
/// or Open vSwitch's <c>ovs-testcontroller</c> (an L2 learning switch). Started by this object, watched and ended by
/// its own process handle (never by name); its output is kept for the test's log.
/// </summary>
internal sealed class ControllerProcess : IDisposable
{
    /// <summary>os-ken with the simple_switch_13 app.</summary>
    public const string OsKen = "os-ken";

    /// <summary>Open vSwitch's ovs-testcontroller.</summary>
    public const string OvsTestController = "ovs-testcontroller";

    private const string OsKenManager = "/usr/bin/osken-manager";

    // Debian's interpreter, which has python3-os-ken; a python3 earlier on PATH (pyenv) would not.
    private const string DebianPython = "/usr/bin/python3";
    private const int MaxOutputChars = 64 * 1024;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly string directory;
    private int disposed;

    private ControllerProcess(string kind, int port, Process process, string directory)
    {
        Kind = kind;
        Port = port;
        this.process = process;
        this.directory = directory;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Which controller this is.</summary>
    public string Kind { get; }

    /// <summary>The loopback TCP port it listens on.</summary>
    public int Port { get; }

    /// <summary>The process id (for the log; the process is ended through its handle).</summary>
    public int Pid => process.Id;

    /// <summary>The target a switch connects to.</summary>
    public string Target => "tcp:127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>What the controller printed so far (bounded).</summary>
    public string Output
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts controller <paramref name="kind"/> on a free loopback port and waits (bounded) until it listens. A
    /// controller that is not installed, exits or never listens is an error naming what is missing.
    /// <paramref name="protocols"/> limits ovs-testcontroller's OpenFlow versions (e.g. <c>OpenFlow13</c>); the
    /// os-ken app speaks OpenFlow 1.3 only.
    /// </summary>
    public static ControllerProcess Start(string kind, string? protocols = null)
    {
        int port = FreeLoopbackPort();
        string dir = Directory.CreateTempSubdirectory("fastpath-ctl-").FullName;
        ProcessStartInfo psi = kind switch
        {
            OsKen => OsKenStartInfo(dir, port),
            OvsTestController => OvsTool.StartInfo(
                dir,
                "ovs-testcontroller",
                [$"ptcp:{port}:127.0.0.1", "-vconsole:info", "-vvconn:dbg", "-vPATTERN:console:%d{%H:%M:%S.###}|%c|%m", .. protocols is null ? Array.Empty<string>() : ["-O", protocols]]),
            _ => throw new ArgumentException($"unknown controller {kind}", nameof(kind)),
        };
        Process p;
        try
        {
            p = OvsTool.Start(psi);
        }
        catch (OvsHarnessException e)
        {
            Directory.Delete(dir, recursive: true);
            throw new InvalidOperationException(
                $"{kind} could not be started: {e.Message} (scripts/setup.sh installs openvswitch-testcontroller and python3-os-ken)", e);
        }

        var controller = new ControllerProcess(kind, port, p, dir);
        try
        {
            controller.WaitListening();
            return controller;
        }
        catch
        {
            controller.Dispose();
            throw;
        }
    }

    /// <summary>Ends the controller (its own process and children, by handle) and deletes its directory; never throws.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being closed: the temp directory is cleaned by the system.
        }
    }

    private static ProcessStartInfo OsKenStartInfo(string dir, int port)
    {
        if (!File.Exists(OsKenManager) || !File.Exists(DebianPython))
        {
            throw new InvalidOperationException(
                $"{OsKenManager} or {DebianPython} is missing: scripts/setup.sh installs python3-os-ken");
        }

        string app = TestData.Path("controllers", "simple_switch_13.py");
        return OvsTool.StartInfo(dir, DebianPython, [
            OsKenManager, app,
            "--ofp-listen-host", "127.0.0.1",
            "--ofp-tcp-listen-port", port.ToString(CultureInfo.InvariantCulture),
        ]);
    }

    // The kernel picks a port no one uses; the short window before the controller binds it is acceptable in a test.
    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // Watches /proc/net/tcp rather than connecting: a probe connection would look like a switch to the controller.
    private void WaitListening()
    {
        var sw = Stopwatch.StartNew();
        string local = "0100007F:" + Port.ToString("X4", CultureInfo.InvariantCulture);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Kind} exited with {process.ExitCode} before listening:\n{Output}");
            }

            foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 3 && f[1] == local && f[3] == "0A")
                {
                    return;
                }
            }

            if (sw.Elapsed > StartLimit)
            {
                throw new TimeoutException($"{Kind} did not listen on 127.0.0.1:{Port} within {StartLimit.TotalSeconds} s:\n{Output}");
            }

            Thread.Sleep(50);
        }
    }

    private void Append(string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (log)
        {
            if (log.Length < MaxOutputChars)
            {
                log.AppendLine(line);
            }
        }
    }
}
