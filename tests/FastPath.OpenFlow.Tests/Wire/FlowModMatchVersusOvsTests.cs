using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Tests.Ovs;
using FastPath.OpenFlow.Text;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;
using Xunit.Abstractions;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// The match codecs against Open vSwitch: every flow of the corpus and of the random generator, its actions
/// replaced by drop, goes through <c>ovs-ofctl parse-flow</c> (which picks the protocol: OpenFlow 1.0 with or
/// without the table-id extension, NXM, or the OXM of -O's version) and through our codec in that same session;
/// <c>ovs-ofctl ofp-print</c> of our bytes must print what parse-flow printed, and our bytes must decode back
/// to the same rule.
/// </summary>
public class FlowModMatchVersusOvsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(null)]
    [InlineData("OpenFlow10")]
    [InlineData("OpenFlow13")]
    [InlineData("OpenFlow14")]
    [InlineData("OpenFlow15")]
    public void FlowModsPrintAsOvsPrintsThem(string? protocol)
    {
        var gen = new RandomFlows(protocol?.Length ?? 7);
        string[] flows = [.. OvsFlowCorpus.OpenFlow13, .. OvsFlowCorpus.OpenFlow10, .. Enumerable.Range(0, 200).Select(_ => gen.Next())];
        string[] drops = flows.Where(f => f.Contains("actions=", StringComparison.Ordinal))
            .Select(f => f[..f.IndexOf("actions=", StringComparison.Ordinal)] + "actions=drop").Distinct().ToArray();
        var results = new string?[drops.Length];
        int compared = 0, textDiffers = 0;
        Parallel.For(0, drops.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            FlowRule rule;
            try
            {
                rule = FlowText.Parse(drops[i]) with { Instructions = OfInstructionSet.Drop };
            }
            catch (FlowSyntaxException)
            {
                return;
            }

            var ovs = OvsParseFlow.Run(drops[i], protocol);
            if (ovs is not var (session, expected))
            {
                return;
            }

            if (FlowText.FormatFlowMod(rule, session.Version == OpenFlowVersion.OF10 ? OpenFlowVersion.OF10 : OpenFlowVersion.OF13) != expected)
            {
                // FastPath's flow syntax reads this flow differently from Open vSwitch (OvsFlowDifferentialTests
                // owns that); the codec cannot be judged on it.
                Interlocked.Increment(ref textDiffers);
                return;
            }

            var mod = new FlowMod(FlowModCommand.Add, rule);
            byte[] bytes = OfCodec.Encode(new FlowModMessage(mod), session, 1);
            string printed = OfpPrint.Print(bytes);
            string mine = printed[(printed.IndexOf("): ", StringComparison.Ordinal) + 3)..];
            var back = (FlowModMessage)OfCodec.Decode(bytes, session);
            Interlocked.Increment(ref compared);
            if (mine != expected)
            {
                results[i] = $"{drops[i]} ({session})\n    ovs:      {expected}\n    fastpath: {mine}";
            }
            else if (back.Mod.Rule.Match != rule.Match)
            {
                results[i] = $"{drops[i]} ({session}): decodes to {MatchText.Format(back.Mod.Rule.Match)}";
            }
        });

        string[] failures = results.OfType<string>().ToArray();
        output.WriteLine($"{drops.Length} flows, {compared} compared with Open vSwitch ({protocol ?? "default"}), {failures.Length} differ; {textDiffers} skipped (FastPath's flow syntax reads them differently)");
        Assert.True(compared > drops.Length / 2, "most flows should be accepted by both");
        Assert.True(failures.Length == 0, string.Join("\n", failures.Take(25)));
    }
}
