using System.Diagnostics;
using System.Text;

namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// One Open vSwitch daemon (ovsdb-server or ovs-vswitchd) run in the foreground as a child of this process,
/// so its PID is the <see cref="Process"/> we hold, not one read back from a pidfile after a fork: stopping it
/// can only ever reach the process this harness started.
/// </summary>
public sealed class OvsDaemon : IDisposable
{
    private const int ConsoleKeep = 16 * 1024;

    private readonly Process process;
    private readonly StringBuilder console = new();
    private bool stopped;

    private OvsDaemon(string name, string dir, string control, string logFile, Process process)
    {
        Name = name;
        Directory = dir;
        Control = control;
        LogFile = logFile;
        this.process = process;
    }

    /// <summary>The program's name (ovsdb-server, ovs-vswitchd).</summary>
    public string Name { get; }

    /// <summary>The private directory the daemon runs in.</summary>
    public string Directory { get; }

    /// <summary>Path of its unixctl socket (the target of <c>ovs-appctl -t</c>).</summary>
    public string Control { get; }

    /// <summary>Path of its log file.</summary>
    public string LogFile { get; }

    /// <summary>The daemon's process id.</summary>
    public int Pid => process.Id;

    /// <summary>Whether the daemon has exited (crashed, or been stopped).</summary>
    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts <paramref name="program"/> with <paramref name="args"/> plus the unixctl, pidfile and log-file
    /// options that keep everything inside <paramref name="dir"/>, and without --detach.
    /// </summary>
    public static OvsDaemon Start(string dir, string program, IEnumerable<string> args)
    {
        string control = Path.Combine(dir, program + ".ctl");
        string log = Path.Combine(dir, program + ".log");
        var all = new List<string>(args)
        {
            "--unixctl=" + control,
            "--pidfile=" + Path.Combine(dir, program + ".pid"),
            "--log-file=" + log,
            "--no-chdir",
            // The log file has everything; the console copy is kept only for failures before the log opens.
            "-vconsole:warn",
        };
        Process p = OvsTool.Start(OvsTool.StartInfo(dir, program, all));
        var daemon = new OvsDaemon(program, dir, control, log, p);
        p.OutputDataReceived += (_, e) => daemon.Keep(e.Data);
        p.ErrorDataReceived += (_, e) => daemon.Keep(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>
    /// Waits until the daemon answers the unixctl command <c>version</c> (as <c>ovs-appctl -t CONTROL version</c>
    /// would), at most until <paramref name="deadline"/>;
    /// throws with the daemon's log tail if it exits or the deadline passes first.
    /// </summary>
    public void WaitUntilAnswering(DateTime deadline)
    {
        string last = "";
        while (true)
        {
            if (process.HasExited)
            {
                throw Failure($"exited with status {process.ExitCode} while starting");
            }

            if (File.Exists(Control))
            {
                // ovs-appctl's protocol spoken directly: a process per poll costs 100 ms or more on a busy machine.
                try
                {
                    using var client = new OvsUnixctlClient(Control, TimeSpan.FromSeconds(5));
                    client.Call("version");
                    return;
                }
                catch (OvsHarnessException e)
                {
                    last = e.Message;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw Failure($"did not answer on {Control} in time{(last.Length > 0 ? " (last reply: " + last + ")" : "")}");
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>An <see cref="OvsHarnessException"/> about this daemon, with its log tail and console output.</summary>
    public OvsHarnessException Failure(string what) => new($"{Name} (pid {process.Id}) {what}.\n{Diagnostics()}");

    /// <summary>The last lines of the log file and of the console output, for error messages.</summary>
    public string Diagnostics(int lines = 30)
    {
        var sb = new StringBuilder();
        sb.Append(Name).Append(" log tail (").Append(LogFile).Append("):\n").Append(LogTail(lines));
        string con;
        lock (console)
        {
            con = console.ToString();
        }

        if (con.Length > 0)
        {
            sb.Append('\n').Append(Name).Append(" console:\n").Append(con);
        }

        return sb.ToString();
    }

    /// <summary>The last <paramref name="lines"/> lines of the daemon's log file ("" if it has none).</summary>
    public string LogTail(int lines = 30)
    {
        try
        {
            string[] all = File.ReadAllLines(LogFile);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return "(no log file)";
        }
    }

    /// <summary>
    /// Stops the daemon: asks it to exit through <c>ovs-appctl exit</c>, and kills it (by its PID) if it is
    /// still running after <paramref name="grace"/>. Idempotent. Returns how it ended, for diagnostics.
    /// </summary>
    public string Stop(TimeSpan grace)
    {
        if (stopped)
        {
            return "already stopped";
        }

        stopped = true;
        if (process.HasExited)
        {
            return $"had exited ({process.ExitCode})";
        }

        if (File.Exists(Control))
        {
            try
            {
                OvsTool.Run(Directory, "ovs-appctl", ["--timeout=5", "-t", Control, "exit"], grace);
            }
            catch (OvsHarnessException)
            {
                // The signals below are the fallback.
            }

            if (process.WaitForExit(grace))
            {
                return "exited";
            }
        }

        // No control socket yet (stopped while starting) or no answer: SIGTERM lets it remove its pidfile and
        // sockets; SIGKILL if even that is not heard.
        if (Kill(process.Id, SigTerm) == 0 && process.WaitForExit(TimeSpan.FromSeconds(2)))
        {
            return "terminated";
        }

        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            return "exited";
        }

        process.WaitForExit(grace);
        return "killed";
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Stops the daemon if it is running and releases the process handle.</summary>
    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (console)
        {
            if (console.Length < ConsoleKeep)
            {
                console.Append(line).Append('\n');
            }
        }
    }
}
