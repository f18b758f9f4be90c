using System.Diagnostics;
using FastPath.Ofproto.Tests.Ovs;

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>
/// Runs an <see cref="OfctlScript"/> with Debian's ovs-ofctl against one switch and collects every command's exit
/// status and output. The switch is only a target string (<c>unix:PATH</c>, <c>tcp:127.0.0.1:PORT</c>): Open
/// vSwitch, FastPath, anything that speaks OpenFlow.
/// </summary>
/// <remarks>
/// Every tool runs with Open vSwitch's default paths pointed at a private temporary directory (so nothing reaches a
/// system Open vSwitch), with <c>--timeout</c> (a switch that does not answer costs that command, not the run), and
/// in the order of the script. In the output, the target becomes <c>{target}</c> and the temporary directory
/// <c>{dir}</c>, so that runs against different switches print the same text.
/// </remarks>
public static class OfctlRunner
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);
    private const int OfctlTimeoutSeconds = 10;

    /// <summary>Runs <paramref name="script"/> against <paramref name="target"/>; one result per command, in order.</summary>
    public static IReadOnlyList<OfctlResult> Run(OfctlScript script, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        string dir = Path.Combine(Path.GetTempPath().Length <= 60 ? Path.GetTempPath() : "/tmp", "ofctl-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal));
        Directory.CreateDirectory(dir);
        try
        {
            foreach (var (name, lines) in script.Files)
            {
                File.WriteAllLines(Path.Combine(dir, name), lines);
            }

            var results = new List<OfctlResult>();
            foreach (OfctlStep step in script.Steps)
            {
                switch (step)
                {
                    case OfctlCommandStep c:
                        results.Add(RunOne(script, c.Command, target, dir));
                        break;
                    case OfctlMonitorStep m:
                        results.AddRange(RunMonitor(script, m, target, dir));
                        break;
                    default:
                        throw new InvalidOperationException("unknown step " + step);
                }
            }

            return results;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static OfctlResult RunOne(OfctlScript script, OfctlCommand command, string target, string dir)
    {
        List<string> args = ["--timeout=" + OfctlTimeoutSeconds, .. ProtocolArgs(script), .. Expand(command, target, dir)];
        string shown = Shown(script, command);
        try
        {
            OvsTool.Result r = OvsTool.Run(dir, "ovs-ofctl", args, ToolTimeout);
            return new OfctlResult(shown, r.ExitCode, Clean(r.Stdout, target, dir), Clean(r.Stderr, target, dir));
        }
        catch (OvsHarnessException e)
        {
            return new OfctlResult(shown, -1, "", Clean(e.Message, target, dir));
        }
    }

    /// <summary>
    /// Starts the monitor with a unixctl socket of its own, makes sure it has set itself up (a barrier through its
    /// connection), runs the triggers, then another barrier through its connection — whatever the switch sent it
    /// because of the triggers arrived before that barrier's reply — and asks it to exit.
    /// </summary>
    /// <summary>
    /// Runs <c>ovs-ofctl monitor</c> (<paramref name="monitorArgs"/>, <c>{target}</c> for the switch) against
    /// <paramref name="target"/> while <paramref name="trigger"/> makes the switch send it something (traffic, say),
    /// then stops it as a script's monitor step is stopped; returns what it printed.
    /// </summary>
    public static OfctlResult Monitor(string target, string? protocol, string monitorArgs, Action trigger)
    {
        OfctlScript script = OfctlScript.Parse("monitor", protocol, []);
        var step = new OfctlMonitorStep(new OfctlCommand(monitorArgs, OfctlScript.Split(monitorArgs), 1), []);
        string dir = Path.Combine("/tmp", "ofctl-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal));
        Directory.CreateDirectory(dir);
        try
        {
            return RunMonitor(script, step, target, dir, trigger).Single();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<OfctlResult> RunMonitor(OfctlScript script, OfctlMonitorStep step, string target, string dir, Action? trigger = null)
    {
        string ctl = Path.Combine(dir, "monitor.ctl");
        List<string> args = ["--unixctl=" + ctl, .. ProtocolArgs(script), .. Expand(step.Monitor, target, dir)];
        var results = new List<OfctlResult>();
        using Process p = OvsTool.Start(OvsTool.StartInfo(dir, "ovs-ofctl", args));
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string note = "";
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(ctl) && !p.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(OfctlTimeoutSeconds))
            {
                Thread.Sleep(10);
            }

            bool listening = !p.HasExited && Barrier(dir, ctl);
            foreach (OfctlCommand t in step.Triggers)
            {
                results.Add(t.Args[0] == "{monitor}" ? RunAppctl(script, t, ctl, target, dir) : RunOne(script, t, target, dir));
            }

            trigger?.Invoke();

            if (listening && !p.HasExited)
            {
                Barrier(dir, ctl);
                OvsTool.Run(dir, "ovs-appctl", ["--timeout=" + OfctlTimeoutSeconds, "-t", ctl, "exit"], ToolTimeout);
            }
        }
        catch (OvsHarnessException e)
        {
            note = "\n[harness: " + e.Message + "]";
        }
        finally
        {
            if (!p.WaitForExit(TimeSpan.FromSeconds(OfctlTimeoutSeconds)))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5_000);
                note += "\n[harness: the monitor did not exit and was killed]";
            }
        }

        p.WaitForExit();
        results.Add(new OfctlResult(Shown(script, step.Monitor), note.Contains("killed", StringComparison.Ordinal) ? -1 : p.ExitCode,
            Clean(stdout.Result, target, dir), Clean(stderr.Result + note, target, dir)));
        return results;
    }

    // A trigger that is a command to the monitor (ofctl/send, ofctl/block, ofctl/unblock): ovs-appctl -t MONITOR ARGS.
    private static OfctlResult RunAppctl(OfctlScript script, OfctlCommand command, string ctl, string target, string dir)
    {
        OvsTool.Result r = OvsTool.Run(dir, "ovs-appctl", ["--timeout=" + OfctlTimeoutSeconds, "-t", ctl, .. command.Args.Skip(1)], ToolTimeout);
        return new OfctlResult(Shown(script, command), r.ExitCode, Clean(r.Stdout, target, dir), Clean(r.Stderr, target, dir));
    }

    private static bool Barrier(string dir, string ctl)
        => OvsTool.Run(dir, "ovs-appctl", ["--timeout=" + OfctlTimeoutSeconds, "-t", ctl, "ofctl/barrier"], ToolTimeout).ExitCode == 0;

    private static IEnumerable<string> ProtocolArgs(OfctlScript script)
        => script.Protocol is null ? [] : ["-O", script.Protocol];

    private static string Shown(OfctlScript script, OfctlCommand command)
        => (script.Protocol is null ? "" : "-O " + script.Protocol + " ") + command.Text;

    private static IEnumerable<string> Expand(OfctlCommand command, string target, string dir)
    {
        foreach (string a in command.Args)
        {
            string x = a.Replace("{target}", target, StringComparison.Ordinal);
            foreach (string f in command.FileReferences().Distinct())
            {
                x = x.Replace("{file:" + f + "}", Path.Combine(dir, f), StringComparison.Ordinal);
            }

            yield return x;
        }
    }

    private static string Clean(string text, string target, string dir)
        => text.Replace(target, "{target}", StringComparison.Ordinal).Replace(dir, "{dir}", StringComparison.Ordinal);
}
