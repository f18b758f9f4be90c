using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;
using Xunit.Abstractions;

namespace FastPath.OpenFlow.Tests.Ovs;

/// <summary>
/// Differential test against Open vSwitch: every flow of <see cref="OvsFlowCorpus"/> is parsed by FastPath
/// (<see cref="FlowText.Parse"/>) and printed (<see cref="FlowText.FormatFlowMod"/>), and by
/// <c>ovs-ofctl parse-flow</c>; the two printed forms must be equal. Rejections must agree too. This test never
/// skips: without ovs-ofctl (scripts/setup.sh installs openvswitch-common) it fails.
/// </summary>
public class OvsFlowDifferentialTests(ITestOutputHelper output)
{
    /// <summary>Where FastPath deliberately refuses what Open vSwitch 3.1 accepts, with the reason.</summary>
    private static readonly Dictionary<string, string> StricterThanOvs = new(StringComparer.Ordinal)
    {
        ["tp_dst=80,actions=drop"] = "OVS drops a field whose prerequisite is missing (logging \"normalization changed\"); FastPath says so instead of losing it",
        ["nw_src=1.2.3.4,actions=drop"] = "as above: nw_src without ip",
        ["icmp6,icmp_type=134,nd_target=fe80::1,actions=drop"] = "as above: nd_target needs icmp_type 135 or 136",
        ["ip,nw_src=1.2.3.400,actions=drop"] = "OVS wraps the octet (1.2.3.144)",
        ["ip,nw_tos=3,actions=drop"] = "OVS silently clears the ECN bits (nw_tos=0)",
        ["actions=mod_nw_tos:8"] = "OVS takes it in OpenFlow 1.0 with no IP match; it cannot be expressed in OpenFlow 1.3 (set_field needs ip)",
        ["actions=mod_tp_src:8"] = "as above: no L4 protocol to write",
        ["actions=dec_ttl"] = "as above: OpenFlow 1.3 cannot express it without an IP match",
    };

    /// <summary>Fields OpenFlow 1.3 has and Open vSwitch's syntax lacks ("unknown keyword"): FastPath accepts them.</summary>
    private static readonly string[] BeyondOvs =
    [
        "in_port=1,in_phy_port=3,actions=drop",
        "dl_type=0x88e7,pbb_isid=0x123,actions=drop",
        "ipv6,ipv6_exthdr=+nonext-esp,actions=drop",
        "ip,ipv4_src=1.2.3.4,ipv4_dst=5.6.7.0/24,actions=drop",
        "icmp,icmpv4_type=3,icmpv4_code=1,actions=drop",
    ];

    [Fact]
    public void OpenFlow13PrintedFormsMatchOvs() => Compare(OvsFlowCorpus.OpenFlow13, OpenFlowVersion.OF13);

    [Fact]
    public void OpenFlow10PrintedFormsMatchOvs() => Compare(OvsFlowCorpus.OpenFlow10, OpenFlowVersion.OF10);

    [Theory]
    [InlineData(13, OpenFlowVersion.OF13)]
    [InlineData(10, OpenFlowVersion.OF10)]
    public void RandomFlowsPrintAsOvsPrintsThem(int seed, OpenFlowVersion version)
    {
        var gen = new RandomFlows(seed);
        string[] flows = Enumerable.Range(0, 300).Select(_ => gen.Next()).ToArray();
        string[] ovs = OvsOfctl.ParseFlows(flows, openFlow13: version == OpenFlowVersion.OF13);
        var failures = new List<string>();
        int compared = 0;
        for (int i = 0; i < flows.Length; i++)
        {
            string mine;
            try
            {
                mine = FlowText.FormatFlowMod(FlowText.Parse(flows[i]), version);
            }
            catch (FlowSyntaxException e)
            {
                mine = "error: " + e.Message;
            }

            if (ovs[i].StartsWith("error", StringComparison.Ordinal) != mine.StartsWith("error", StringComparison.Ordinal)
                || (!mine.StartsWith("error", StringComparison.Ordinal) && mine != ovs[i]))
            {
                failures.Add($"{flows[i]}\n    ovs:      {ovs[i]}\n    fastpath: {mine}");
            }

            compared += mine.StartsWith("error", StringComparison.Ordinal) || ovs[i].StartsWith("error", StringComparison.Ordinal) ? 0 : 1;
        }

        output.WriteLine($"{flows.Length} random flows ({version}), {compared} accepted by both and printed alike; {failures.Count} differ");
        Assert.True(compared > flows.Length / 2, "the generator should mostly make valid flows");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }

    [Fact]
    public void FlowsOvsRejectsAreRejected()
    {
        var failures = new List<string>();
        foreach (string flow in OvsFlowCorpus.Rejected)
        {
            var (ok13, ovs13) = OvsOfctl.ParseFlow(flow, openFlow13: true);
            var (ok10, _) = OvsOfctl.ParseFlow(flow, openFlow13: false);
            if (ok13 || ok10)
            {
                failures.Add($"{flow}: Open vSwitch accepts it ({ovs13}); the corpus entry is wrong");
                continue;
            }

            try
            {
                FlowRule r = FlowText.Parse(flow);
                failures.Add($"{flow}: OVS rejects it ({ovs13}) but FastPath parsed {FlowText.FormatFlowMod(r)}");
            }
            catch (FlowSyntaxException e)
            {
                output.WriteLine($"{flow}\n    ovs:      {ovs13}\n    fastpath: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void DeliberateDifferencesStillDiffer()
    {
        var failures = new List<string>();
        foreach (var (flow, why) in StricterThanOvs)
        {
            var (ok, ovs) = OvsOfctl.ParseFlow(flow, openFlow13: false);
            if (!ok)
            {
                failures.Add($"{flow}: listed as accepted by Open vSwitch but it rejects it ({ovs}); remove it");
            }

            var e = Record.Exception(() => FlowText.Parse(flow));
            if (e is not FlowSyntaxException)
            {
                failures.Add($"{flow}: FastPath should refuse it ({why}) but did not");
            }
        }

        foreach (string flow in BeyondOvs)
        {
            var (ok, _) = OvsOfctl.ParseFlow(flow, openFlow13: true);
            if (ok)
            {
                failures.Add($"{flow}: Open vSwitch now accepts it; move it to the compared corpus");
            }

            FlowRule r = FlowText.Parse(flow);
            Assert.Equal(r, FlowText.Parse(FlowText.FormatDumpFlow(r, stats: null)));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private void Compare(string[] corpus, OpenFlowVersion version)
    {
        Assert.True(corpus.Length > 0);
        var failures = new List<string>();
        foreach (string flow in corpus)
        {
            var (ok, ovs) = OvsOfctl.ParseFlow(flow, openFlow13: version == OpenFlowVersion.OF13);
            if (!ok)
            {
                failures.Add($"{flow}: Open vSwitch rejects it ({ovs}); the corpus entry is wrong");
                continue;
            }

            string mine;
            try
            {
                FlowRule rule = FlowText.Parse(flow);
                mine = FlowText.FormatFlowMod(rule, version);

                // The printed form is itself valid input that parses back to the same rule.
                FlowRule again = FlowText.Parse(FlowText.FormatDumpFlow(rule, stats: null, version));
                if (again.Match != rule.Match || again.Priority != rule.Priority || again.Cookie != rule.Cookie || again.TableId != rule.TableId)
                {
                    failures.Add($"{flow}: printed form {FlowText.FormatDumpFlow(rule, null, version)} does not parse back to the same match");
                }
            }
            catch (FlowSyntaxException e)
            {
                mine = "error: " + e.Message;
            }

            if (mine != ovs)
            {
                failures.Add($"{flow}\n    ovs:      {ovs}\n    fastpath: {mine}");
            }
        }

        output.WriteLine($"{corpus.Length} flows compared with ovs-ofctl parse-flow ({version}); {failures.Count} differ");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
