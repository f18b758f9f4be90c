using Xunit.Abstractions;

namespace FastPath.Daemon.Tests;

/// <summary>
/// Static MAC entries (<c>fdb/add</c>, <c>fdb/del</c>, ovs-vswitchd(8)) and the MAC table's maintenance commands,
/// run against fastpathd and Debian's ovs-vswitchd side by side on a bridge of the same name and ports: the same
/// exit codes, outputs and first error lines, step by step.
/// </summary>
public sealed class FastpathdFdbVersusOvsTests(ITestOutputHelper output)
{
    private static readonly string[][] Steps =
    [
        ["fdb/add", "BR", "p1", "0", "00:11:22:33:44:55"],
        ["fdb/add", "BR", "p2", "10", "00:11:22:33:44:66"],
        ["fdb/show", "BR"],
        ["fdb/stats-show", "BR"],
        ["fdb/add", "BR", "p2", "0", "00:11:22:33:44:55"], // moves it: "Overriding already existing static entry on 1"
        ["fdb/show", "BR"],
        ["fdb/flush", "BR"], // static entries stay
        ["fdb/show", "BR"],
        ["fdb/del", "BR", "0", "00:11:22:33:44:55"],
        ["fdb/del", "BR", "0", "00:11:22:33:44:55"], // gone: "could not find static mac entry"
        ["fdb/del", "BR", "10", "zz"],
        ["fdb/add", "nosuchbr", "p1", "0", "00:11:22:33:44:55"],
        ["fdb/stats-clear", "BR"],
        ["fdb/stats-clear"],
        ["fdb/show", "BR"],
        ["fdb/stats-show", "BR"],
    ];

    [SkippableFact]
    public async Task StaticEntriesAreAddedShownMovedKeptByAFlushAndDeletedAsInOvsVswitchd()
    {
        string? why = OvsVswitchdProcess.Unavailable();
        Skip.If(why != null, why);
        string br = $"fpf{Environment.ProcessId % 100000}";
        await using var d = new FastpathdProcess();
        await d.StartAsync();
        await d.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, "p1", "--", "set", "interface", "p1", "type=null", "ofport_request=1",
            "--", "add-port", br, "p2", "--", "set", "interface", "p2", "type=null", "ofport_request=2");
        await using OvsVswitchdProcess ovs = await OvsVswitchdProcess.StartAsync();
        await ovs.RunAsync("ovs-vsctl", "--timeout=30", "add-br", br, "--", "set", "bridge", br, "datapath_type=netdev",
            "--", "add-port", br, "p1", "--", "set", "interface", "p1", "ofport_request=1",
            "--", "add-port", br, "p2", "--", "set", "interface", "p2", "ofport_request=2");

        var differences = new List<string>();
        foreach (string[] step in Steps)
        {
            string[] args = [.. step.Select(a => a == "BR" ? br : a)];
            (int code, string text, string error) ours = await d.TryRunAsync("ovs-appctl", args);
            (int code, string text, string error) theirs = await ovs.TryRunAsync("ovs-appctl", args);
            string line = $"{string.Join(' ', step)}: ovs-vswitchd {theirs.code} [{theirs.text}{First(theirs.error)}], fastpathd {ours.code} [{ours.text}{First(ours.error)}]";
            output.WriteLine(line);
            if (ours.code != theirs.code || ours.text != theirs.text || First(ours.error) != First(theirs.error))
            {
                differences.Add(line);
            }
        }

        Assert.Empty(differences);

        // A static entry is where NORMAL sends its address, and a frame from it on another port does not move it.
        await d.RunAsync("ovs-appctl", "fdb/add", br, "p2", "0", "50:54:00:00:00:02");
        string trace = await d.RunAsync("ovs-appctl", "ofproto/trace", br, "in_port=p1,dl_src=50:54:00:00:00:01,dl_dst=50:54:00:00:00:02");
        Assert.Contains("-> forwarding to learned port", trace, StringComparison.Ordinal);
        Assert.Contains("Datapath actions: 2\n", trace, StringComparison.Ordinal);
        await d.RunAsync("ovs-appctl", "ofproto/trace", br, "in_port=p1,dl_src=50:54:00:00:00:02,dl_dst=ff:ff:ff:ff:ff:ff", "-generate");
        Assert.Contains("    2     0  50:54:00:00:00:02  static\n", await d.RunAsync("ovs-appctl", "fdb/show", br), StringComparison.Ordinal);
    }

    private static string First(string error) => error.Split('\n')[0];
}
