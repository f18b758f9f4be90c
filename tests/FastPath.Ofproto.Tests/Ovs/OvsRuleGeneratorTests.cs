using System.Text;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// The rule generator is deterministic, writes only rules Open vSwitch takes as written, and its flows
/// exercise the pipeline (hits, misses, rewrites, later tables); Open vSwitch's answer to every one of them
/// parses.
/// </summary>
public class OvsRuleGeneratorTests(ITestOutputHelper output)
{
    [Fact]
    public void SameSeedSameRulesAndFlows()
    {
        var a = new OvsRuleGenerator(42);
        var b = new OvsRuleGenerator(42);
        OvsRuleSet ra = a.NextRuleSet();
        OvsRuleSet rb = b.NextRuleSet();
        Assert.Equal(ra.Lines, rb.Lines);
        Assert.Equal(a.TraceFlows(ra, 50), b.TraceFlows(rb, 50));
        Assert.Equal(a.NextRuleSet().Lines, b.NextRuleSet().Lines);
        Assert.Equal(OvsRuleGenerator.RuleSet(42).Lines, ra.Lines);

        Assert.NotEqual(ra.Lines, OvsRuleGenerator.RuleSet(43).Lines);
    }

    [Fact]
    public void RulesHaveDistinctPrioritiesPerTableAndForwardOnlyGotos()
    {
        var options = new OvsRuleGeneratorOptions { Tables = 4, Ports = 3 };
        for (int seed = 0; seed < 200; seed++)
        {
            OvsRuleSet set = new OvsRuleGenerator(seed, options).NextRuleSet();
            foreach (var table in set.Rules.GroupBy(r => r.Table))
            {
                Assert.Equal(table.Count(), table.Select(r => r.Priority).Distinct().Count());
            }

            foreach (GeneratedRule r in set.Rules)
            {
                Assert.InRange(r.Table, 0, 3);
                foreach (string a in r.Actions)
                {
                    if (a.StartsWith("goto_table:", StringComparison.Ordinal))
                    {
                        Assert.True(int.Parse(a["goto_table:".Length..], System.Globalization.CultureInfo.InvariantCulture) > r.Table, r.Line);
                        Assert.Equal(a, r.Actions[^1]);
                    }

                    if (a.StartsWith("output:", StringComparison.Ordinal))
                    {
                        Assert.InRange(int.Parse(a["output:".Length..], System.Globalization.CultureInfo.InvariantCulture), 1, 3);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Open vSwitch agrees with the generator about its own flows: every rule of 15 rule sets goes into table
    /// 0 alone with a priority of its own; the hit flow of a rule is then matched by that rule or one above it,
    /// never missed, and the miss flow of a rule is never matched by it.
    /// </summary>
    [Fact]
    public void HitAndMissFlowsDoWhatTheySay()
    {
        var options = new OvsRuleGeneratorOptions { Tables = 1, MinRulesPerTable = 6, MaxRulesPerTable = 10 };
        using OvsDummySwitch ovs = OvsDummySwitch.Start(options.Ports);
        var failures = new List<string>();
        int hits = 0, missesChecked = 0;
        for (int seed = 100; seed < 115; seed++)
        {
            var gen = new OvsRuleGenerator(seed, options);
            OvsRuleSet set = gen.NextRuleSet();
            // Only the match matters here; one action for all keeps the test about matching.
            ovs.ReplaceFlows(set.Rules.Select(r => $"table=0,priority={r.Priority}{(r.Match.Count > 0 ? "," : "")}{string.Join(',', r.Match)},actions=output:1"));
            foreach (GeneratedRule rule in set.Rules)
            {
                string hit = gen.HitFlow(rule);
                int? won = MatchedPriority(ovs.Trace(hit));
                hits++;
                if (won is null || won < rule.Priority)
                {
                    failures.Add($"{rule.Line}\n  hit flow {hit} -> {(won is null ? "no match" : "priority " + won)}");
                }

                string? miss = gen.MissFlow(rule);
                if (miss is null)
                {
                    Assert.Empty(rule.Match); // Only a rule that takes everything has no miss.
                    continue;
                }

                missesChecked++;
                if (MatchedPriority(ovs.Trace(miss)) == rule.Priority)
                {
                    failures.Add($"{rule.Line}\n  miss flow {miss} matched it");
                }
            }
        }

        output.WriteLine($"{hits} hit flows and {missesChecked} miss flows checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(missesChecked > hits / 2, $"only {missesChecked} miss flows for {hits} rules");
    }

    /// <summary>The priority of the table-0 rule a trace matched, or null for a miss.</summary>
    private static int? MatchedPriority(OvsTrace t)
    {
        foreach (string line in t.Text.Split('\n'))
        {
            string l = line.Trim();
            if (l.StartsWith("0. ", StringComparison.Ordinal))
            {
                if (l == "0. No match.")
                {
                    return null;
                }

                int at = l.LastIndexOf("priority ", StringComparison.Ordinal);
                return int.Parse(l[(at + "priority ".Length)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new FormatException("no table 0 line in the trace:\n" + t.Text);
    }

    /// <summary>
    /// 20 random rule sets, 10 flows each, through a real Open vSwitch: every rule goes in unchanged, every
    /// trace parses, and together they cover what the differential test needs.
    /// </summary>
    [Fact]
    public void RandomRuleSetsRunThroughOpenVswitch()
    {
        const int Sets = 20;
        const int FlowsPerSet = 10;
        var options = new OvsRuleGeneratorOptions();
        using OvsDummySwitch ovs = OvsDummySwitch.Start(options.Ports);
        output.WriteLine($"Open vSwitch started in {ovs.StartupTime.TotalMilliseconds:0} ms");

        int traces = 0, drops = 0, outputs = 0, rewrites = 0, laterTables = 0, vlanOps = 0, misses = 0;
        var sample = new StringBuilder();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var traceTime = new System.Diagnostics.Stopwatch();
        for (int seed = 1; seed <= Sets; seed++)
        {
            var gen = new OvsRuleGenerator(seed, options);
            OvsRuleSet set = gen.NextRuleSet();
            try
            {
                ovs.ReplaceFlows(set.Lines);
            }
            catch (OvsHarnessException e)
            {
                Assert.Fail($"{set}\n{e.Message}");
            }

            Assert.Equal(set.Rules.Count, ovs.DumpFlows().Count);
            foreach (string flow in gen.TraceFlows(set, FlowsPerSet))
            {
                OvsTrace t;
                try
                {
                    traceTime.Start();
                    t = ovs.Trace(flow);
                    traceTime.Stop();
                }
                catch (Exception e) when (e is OvsHarnessException or FormatException)
                {
                    Assert.Fail($"{set}\nflow {flow}\n{e.Message}");
                    throw;
                }

                traces++;
                Assert.NotEmpty(t.DatapathActions);
                Assert.NotEmpty(t.Megaflow.Keywords.Concat(t.Megaflow.Fields.Keys));
                Assert.Equal("0", t.Megaflow.Fields["recirc_id"].Value);
                Assert.Equal(OdpAction.SplitTopLevel(t.Megaflow.Text).Count, t.Megaflow.Keywords.Count + t.Megaflow.Fields.Count);
                Assert.Equal(t.DatapathActionsText, string.Join(',', t.DatapathActions.Select(a => a.Text)));
                drops += t.IsDrop ? 1 : 0;
                outputs += t.OutputPorts.Count > 0 ? 1 : 0;
                rewrites += t.DatapathActions.Any(a => a.Name == "set" || a.Name == "set_masked") ? 1 : 0;
                vlanOps += t.DatapathActions.Any(a => a.Name is "push_vlan" or "pop_vlan") ? 1 : 0;
                laterTables += t.Text.Contains("\n 1. ", StringComparison.Ordinal) || t.Text.Contains("\n 2. ", StringComparison.Ordinal) ? 1 : 0;
                misses += t.Text.Contains("No match.", StringComparison.Ordinal) ? 1 : 0;
                if (sample.Length < 4000)
                {
                    sample.Append(flow).Append("\n  -> ").Append(t).Append('\n');
                }
            }
        }

        output.WriteLine($"{Sets} rule sets and {traces} traces in {sw.ElapsedMilliseconds} ms ({traceTime.ElapsedMilliseconds} ms tracing): {outputs} output, {drops} drop, {rewrites} rewrite, "
            + $"{vlanOps} push/pop VLAN, {laterTables} reach table 1+, {misses} miss a table");
        output.WriteLine(sample.ToString());
        Assert.Equal(Sets * FlowsPerSet, traces);

        // The generator is useful only if its flows reach all of these; the bounds are far below what the
        // fixed seeds give, so a change that breaks one of them shows.
        Assert.True(outputs >= traces / 5, $"only {outputs} of {traces} traces output a packet");
        Assert.True(drops >= traces / 20, $"only {drops} of {traces} traces drop");
        Assert.True(rewrites >= traces / 10, $"only {rewrites} of {traces} traces rewrite a field");
        Assert.True(laterTables >= traces / 10, $"only {laterTables} of {traces} traces reach a later table");
        Assert.True(misses >= traces / 10, $"only {misses} of {traces} traces miss a table");
        Assert.True(vlanOps > 0, "no trace pushes or pops a VLAN tag");
    }
}
