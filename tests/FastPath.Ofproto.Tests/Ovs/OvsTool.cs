using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// Runs one Open vSwitch command-line tool (ovs-vsctl, ovs-ofctl, ovs-appctl, ovsdb-tool) to completion with a
/// bounded wait, in an environment that points every default path at a private directory, so that a tool
/// given no explicit target still never reaches a system Open vSwitch.
/// </summary>
public static class OvsTool
{
    /// <summary>The result of one run.</summary>
    /// <param name="ExitCode">The tool's exit status.</param>
    /// <param name="Stdout">Everything it printed on standard output.</param>
    /// <param name="Stderr">Everything it printed on standard error.</param>
    public readonly record struct Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>
    /// Environment variables that move Open vSwitch's run, database, log and configuration directories into
    /// <paramref name="dir"/> (the tools and daemons read them in place of the compiled-in /var/run/openvswitch
    /// and /etc/openvswitch).
    /// </summary>
    public static IReadOnlyDictionary<string, string> PrivateEnvironment(string dir) => new Dictionary<string, string>
    {
        ["OVS_RUNDIR"] = dir,
        ["OVS_DBDIR"] = dir,
        ["OVS_LOGDIR"] = dir,
        ["OVS_SYSCONFDIR"] = dir,
    };

    /// <summary>
    /// A <see cref="ProcessStartInfo"/> for <paramref name="tool"/> with <paramref name="args"/> (passed as is,
    /// no shell), the private environment of <paramref name="dir"/>, and redirected output.
    /// </summary>
    public static ProcessStartInfo StartInfo(string dir, string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in PrivateEnvironment(dir))
        {
            psi.Environment[k] = v;
        }

        return psi;
    }

    /// <summary>
    /// Starts <paramref name="tool"/>; a missing binary becomes an error that names the Debian package.
    /// </summary>
    public static Process Start(ProcessStartInfo psi)
    {
        try
        {
            return Process.Start(psi) ?? throw new OvsHarnessException($"{psi.FileName} did not start");
        }
        catch (Win32Exception e)
        {
            throw new OvsHarnessException(
                $"{psi.FileName} could not be started ({e.Message}); it comes with Debian's openvswitch-common / "
                + "openvswitch-switch, which scripts/setup.sh installs", e);
        }
    }

    /// <summary>
    /// Runs <paramref name="tool"/> in <paramref name="dir"/>'s private environment and waits at most
    /// <paramref name="timeout"/>; on time-out the tool is killed and an <see cref="OvsHarnessException"/> names
    /// the command. A non-zero exit is returned, not thrown (see <see cref="RunChecked"/>).
    /// </summary>
    public static Result Run(string dir, string tool, IEnumerable<string> args, TimeSpan timeout)
    {
        ProcessStartInfo psi = StartInfo(dir, tool, args);
        using Process p = Start(psi);
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the wait and the kill.
            }

            p.WaitForExit(5_000);
            throw new OvsHarnessException($"{Describe(psi)} did not finish within {timeout.TotalSeconds:0.#} s");
        }

        p.WaitForExit(); // Lets the redirected streams reach their end.
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// As <see cref="Run"/>, and a non-zero exit throws an <see cref="OvsHarnessException"/> carrying the
    /// command and its standard error.
    /// </summary>
    public static string RunChecked(string dir, string tool, IEnumerable<string> args, TimeSpan timeout)
    {
        string[] list = args.ToArray();
        Result r = Run(dir, tool, list, timeout);
        if (r.ExitCode != 0)
        {
            throw new OvsHarnessException(
                $"{Describe(tool, list)} exited {r.ExitCode}: {r.Stderr.Trim()}{(r.Stdout.Length > 0 ? "\nstdout: " + r.Stdout.Trim() : "")}");
        }

        return r.Stdout;
    }

    /// <summary>The command line of <paramref name="psi"/>, for error messages.</summary>
    public static string Describe(ProcessStartInfo psi) => Describe(psi.FileName, psi.ArgumentList);

    private static string Describe(string tool, IEnumerable<string> args)
    {
        var sb = new StringBuilder(tool);
        foreach (string a in args)
        {
            sb.Append(' ');
            bool quote = a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '\'');
            sb.Append(quote ? $"'{a}'" : a);
        }

        return sb.ToString();
    }
}
