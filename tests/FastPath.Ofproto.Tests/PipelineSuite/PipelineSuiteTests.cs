using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.PipelineSuite;

/// <summary>
/// The pipeline suite: every case of tests/data/pipeline-suite runs through FastPath's real datapath and slow
/// path, and the bytes that leave each port must be exactly those Open vSwitch sent (recorded by
/// generate-expectations.py), both for the packet that goes through the upcall and for the one that hits the
/// megaflow it installed. Cases in <see cref="PipelineKnownDifferences"/> are reported, and must still differ.
/// </summary>
public sealed class PipelineSuiteTests(PipelineSwitch sw, ITestOutputHelper output) : IClassFixture<PipelineSwitch>
{
    /// <summary>Every case's name.</summary>
    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (PipelineCase c in PipelineCaseReader.LoadAll())
            {
                data.Add(c.Name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FastPathSendsWhatOpenVSwitchSends(string name)
    {
        PipelineCase c = PipelineCaseReader.LoadAll().Single(x => x.Name == name);
        PipelineRun run = sw.Run(c);
        List<string> differences = run.Differences(c);
        string rules = string.Join("\n  ", c.Rules);
        output.WriteLine(string.Join(", ", run.Timings.Select(t => $"{t.Phase} {t.At.TotalMilliseconds:0.0} ms")));
        if (PipelineKnownDifferences.Cases.TryGetValue(name, out string? why))
        {
            output.WriteLine($"known difference from Open vSwitch: {why}\n{string.Join("\n", differences)}");
            Assert.True(
                differences.Count > 0,
                $"{name} is listed in {nameof(PipelineKnownDifferences)} ({why}) but FastPath now agrees with Open vSwitch: take it off the list");
            return;
        }

        Assert.True(
            differences.Count == 0,
            $"{c.File}: {name}\nrules:\n  {rules}\nin_port {c.InPort}, packet {Convert.ToHexStringLower(c.Packet)}\n{string.Join("\n", differences)}");
    }

    [Fact]
    public void TheSuiteHasAtLeast150CasesWithUniqueNamesAndEveryCategory()
    {
        IReadOnlyList<PipelineCase> all = PipelineCaseReader.LoadAll();
        Assert.True(all.Count >= 150, $"{all.Count} cases");
        Assert.Equal(all.Count, all.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (IGrouping<string, PipelineCase> g in all.GroupBy(c => c.Category))
        {
            output.WriteLine($"{g.Key}: {g.Count()} cases, {g.Count(c => c.Expected.Count == 0)} dropping");
        }

        Assert.Equal(
            ["match-l2", "match-l3", "match-l4", "output", "pipeline", "set-field", "ttl", "vlan-mpls"],
            all.Select(c => c.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.All(PipelineKnownDifferences.Cases.Keys, k => Assert.Contains(all, c => c.Name == k));
    }
}
