using System.Diagnostics;

namespace FastPath.Unixctl.Tests;

/// <summary>Runs Open vSwitch's own <c>ovs-appctl</c> (Debian's openvswitch-common) with a bounded wait.</summary>
public static class AppCtl
{
    /// <summary>The result of one run.</summary>
    /// <param name="ExitCode">ovs-appctl's exit status (0 success, 2 an error reply).</param>
    /// <param name="Stdout">What it printed on standard output.</param>
    /// <param name="Stderr">What it printed on standard error.</param>
    public readonly record struct Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>
    /// Runs <c>ovs-appctl --timeout=20 ARGS</c> with <c>OVS_RUNDIR</c> set to <paramref name="runDir"/> (so that without
    /// <c>-t</c> it looks there for ovs-vswitchd.pid, never at a system Open vSwitch).
    /// </summary>
    public static Result Run(string runDir, params string[] args)
    {
        var psi = new ProcessStartInfo("ovs-appctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--timeout=20");
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["OVS_RUNDIR"] = runDir;
        psi.Environment["OVS_LOGDIR"] = runDir;
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ovs-appctl");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            p.Kill();
            p.WaitForExit();
            throw new TimeoutException($"ovs-appctl {string.Join(' ', args)} did not finish in 30 s");
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs ovs-appctl and returns its output, failing the test on a non-zero exit.</summary>
    public static string Ok(string runDir, params string[] args)
    {
        Result r = Run(runDir, args);
        Assert.True(r.ExitCode == 0, $"ovs-appctl {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}");
        return r.Stdout;
    }
}
