using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace FastPath.Daemon.Tests.DocCommands;

/// <summary>
/// The command lines of tests/data/ovs-doc-commands.txt, copied from Open vSwitch's documentation (ovs-vsctl(8),
/// ovs-ofctl(8), ovs-appctl(8), ovs-vswitchd(8), the AF_XDP, DPDK/PMD, VLAN and faucet guides), run in order
/// against fastpathd and, side by side, against Debian's ovs-vswitchd, each in a network namespace of its own with
/// veth devices eth0..eth3 of the same addresses: every line exits as the list says on both, and prints on fastpathd
/// what it prints on ovs-vswitchd once run-specific values are masked (unless tagged otherwise).
/// </summary>
public sealed class OvsDocCommandsTests(ITestOutputHelper output)
{
    private const int Devices = 4;

    [SkippableFact]
    public async Task CommandLinesFromTheOpenVswitchDocumentationWorkOnFastpathdAsOnOvsVswitchd()
    {
        string? why = NetnsTopology.Unavailable();
        Skip.If(why != null, why);
        IReadOnlyList<DocCommandLine> lines = DocCommandLine.Load(TestData.Path("ovs-doc-commands.txt"));
        Assert.True(lines.Count(l => !l.Setup) >= 120, "the list holds at least 120 command lines");

        using var topo = new NetnsTopology();
        (string fpSwitch, string fpHosts) = SwitchNamespaces(topo, "fp");
        await using var fastpathd = new FastpathdProcess(netns: fpSwitch);
        await fastpathd.StartAsync($"--log-file={Path.Combine(fastpathd.RunDir, "ovs-vswitchd.log")}");
        OvsVswitchdProcess? ovs = null;
        string ovsSwitch = string.Empty, ovsHosts = string.Empty;
        if (OvsVswitchdProcess.Unavailable() is null)
        {
            (ovsSwitch, ovsHosts) = SwitchNamespaces(topo, "ovs");
            ovs = await OvsVswitchdProcess.StartAsync(ovsSwitch);
        }
        else
        {
            output.WriteLine($"ovs-vswitchd not compared: {OvsVswitchdProcess.Unavailable()}");
        }

        IReadOnlyList<DocCommandResult> fp, reference;
        try
        {
            var clock = Stopwatch.StartNew();
            Task<IReadOnlyList<DocCommandResult>> fpRun = DocCommandRunner.RunAsync(lines, fastpathd.RunDir, fpSwitch, fpHosts);
            Task<IReadOnlyList<DocCommandResult>> ovsRun = ovs is null ? Task.FromResult<IReadOnlyList<DocCommandResult>>([]) : DocCommandRunner.RunAsync(lines, ovs.RunDir, ovsSwitch, ovsHosts);
            fp = await fpRun;
            reference = await ovsRun;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{fp.Count} command lines in {clock.Elapsed.TotalSeconds:F1} s"));
        }
        finally
        {
            if (ovs is not null)
            {
                await ovs.DisposeAsync();
            }
        }

        var failures = new List<string>();
        for (int i = 0; i < fp.Count; i++)
        {
            Judge(fp[i], reference.Count > 0 ? reference[i] : null, failures);
        }

        foreach (DocCommandResult gap in fp.Where(r => r.Line.Gap))
        {
            output.WriteLine($"gap: #{gap.Line.Number} {gap.Line.Command}: {gap.Error.Split('\n')[0]}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {fp.Count} lines:\n\n{string.Join("\n\n", failures)}\n\nfastpathd log:\n{fastpathd.Log}");
    }

    private static void Judge(DocCommandResult fp, DocCommandResult? ovs, List<string> failures)
    {
        DocCommandLine line = fp.Line;
        if (line.Gap)
        {
            if (fp.Exit == 0)
            {
                failures.Add($"fastpathd now runs a line tagged [gap]; drop the tag: {fp}");
            }
            else if (string.IsNullOrWhiteSpace(fp.Error))
            {
                failures.Add($"fastpathd fails a [gap] line without saying why: {fp}");
            }

            if (ovs is not null && ovs.Exit != 0)
            {
                failures.Add($"ovs-vswitchd fails a line tagged [gap] (list out of date): {ovs}");
            }

            return;
        }

        if (fp.Exit != line.ExpectedExit)
        {
            failures.Add($"fastpathd: expected exit {line.ExpectedExit}: {fp}");
        }

        if (ovs is null)
        {
            return;
        }

        if (ovs.Exit != line.ExpectedExit)
        {
            failures.Add($"ovs-vswitchd: expected exit {line.ExpectedExit} (list out of date): {ovs}");
        }
        else if (line.CompareOutput && fp.Exit == ovs.Exit && Comparable(fp.Output, line) != Comparable(ovs.Output, line))
        {
            failures.Add($"outputs differ for #{line.Number} `{line.Command}`\n--- ovs-vswitchd\n{Comparable(ovs.Output, line)}--- fastpathd\n{Comparable(fp.Output, line)}");
        }
    }

    private static string Comparable(string output, DocCommandLine line)
    {
        string masked = DocOutputMask.Apply(output);
        return line.Sorted ? string.Join('\n', masked.Split('\n').Order(StringComparer.Ordinal)) : masked;
    }

    /// <summary>
    /// A namespace for the switch holding eth0..eth3 (02:00:00:00:00:0N), whose veth peers h0..h3
    /// (02:00:00:00:01:0N, 10.0.0.N+1/24) are in a second namespace, the hosts'.
    /// </summary>
    private static (string Switch, string Hosts) SwitchNamespaces(NetnsTopology topo, string tag)
    {
        string sw = topo.AddNamespace(tag + "sw");
        string hosts = topo.AddNamespace(tag + "h");
        for (int i = 0; i < Devices; i++)
        {
            string n = i.ToString(CultureInfo.InvariantCulture);
            NetnsTopology.Run("ip", "-n", sw, "link", "add", "eth" + n, "address", "02:00:00:00:00:0" + n, "type", "veth",
                "peer", "name", "h" + n, "address", "02:00:00:00:01:0" + n, "netns", hosts);
            NetnsTopology.Run("ip", "-n", sw, "link", "set", "eth" + n, "up");
            NetnsTopology.Run("ip", "-n", hosts, "link", "set", "h" + n, "up");
            NetnsTopology.Run("ip", "-n", hosts, "addr", "add", $"10.0.0.{i + 1}/24", "dev", "h" + n);
        }

        return (sw, hosts);
    }
}
