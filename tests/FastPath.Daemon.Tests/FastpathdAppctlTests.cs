using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>Plain ovs-appctl (finding ovs-vswitchd.pid in OVS_RUNDIR) reaching fastpathd, and the run directory held by one daemon only.</summary>
public sealed class FastpathdAppctlTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PlainOvsAppctlReachesTheDaemonAndSeesItsBridge()
    {
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        string br = $"fpt{Environment.ProcessId % 100000}p";
        Assert.StartsWith("fastpathd (FastPath) ", await d.RunAsync("ovs-appctl", "version"), StringComparison.Ordinal);
        string commands = await d.RunAsync("ovs-appctl", "list-commands");
        foreach (string c in new[] { "dpif-netdev/pmd-stats-show", "dpctl/dump-flows", "ofproto/trace", "vlog/set", "exit" })
        {
            Assert.Contains(c, commands, StringComparison.Ordinal);
        }

        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev");
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-port", br, "n1", "--", "set", "interface", "n1", "type=null", "ofport_request=1");
        string stats = await d.RunAsync("ovs-appctl", "dpif-netdev/pmd-stats-show");
        output.WriteLine(stats);
        Assert.Contains("pmd thread numa_id", stats, StringComparison.Ordinal);
        Assert.Contains("packets received:", stats, StringComparison.Ordinal);

        await d.RunAsync("ovs-ofctl", "add-flow", br, "in_port=1,actions=drop");
        string trace = await d.RunAsync("ovs-appctl", "ofproto/trace", br, "in_port=1");
        output.WriteLine(trace);
        Assert.Contains("Datapath actions: drop", trace, StringComparison.Ordinal);

        // vlog/set changes a module's level at run time, and vlog/list shows it.
        await d.RunAsync("ovs-appctl", "vlog/set", "bridge:console:dbg");
        Assert.Matches(@"(?m)^bridge\s+DBG", await d.RunAsync("ovs-appctl", "vlog/list"));

        // exit stops the daemon cleanly.
        await d.RunAsync("ovs-appctl", "exit");
        for (int i = 0; i < 150 && d.Pid != null; i++)
        {
            await Task.Delay(200);
        }

        Assert.Null(d.Pid);
    }

    [Fact]
    public async Task ASecondDaemonOnTheSameRunDirectoryRefusesToStart()
    {
        await using var first = new FastpathdProcess();
        await first.StartAsync();
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "fastpathd.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        psi.Environment["OVS_RUNDIR"] = first.RunDir;
        using var second = System.Diagnostics.Process.Start(psi)!;
        Task<string> err = second.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await second.WaitForExitAsync(timeout.Token);
        output.WriteLine(await err);
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("already running as pid " + first.Pid, await err, StringComparison.Ordinal);
        Assert.NotNull(first.Pid);
    }
}
