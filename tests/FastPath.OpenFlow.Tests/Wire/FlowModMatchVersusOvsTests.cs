using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Tests.Ovs;
using FastPath.OpenFlow.Text;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;
using Xunit.Abstractions;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// The match codecs against Open vSwitch: every flow of the corpus and of the random generator, its actions
/// replaced by drop (and, in some runs, with them), goes through <c>ovs-ofctl parse-flow</c> (which picks the protocol: OpenFlow 1.0 with or
/// without the table-id extension, NXM, or the OXM of -O's version) and through our codec in that same session;
/// <c>ovs-ofctl ofp-print</c> of our bytes must print what parse-flow printed, and our bytes must decode back
/// to the same rule.
/// </summary>
public class FlowModMatchVersusOvsTests(ITestOutputHelper output)
{
    /// <summary>
    /// Flows Open vSwitch accepts whose actions our action codec (wip/wire-actions) encodes but refuses to decode;
    /// reported to the lead. Listed so the rest is compared.
    /// </summary>
    private static readonly HashSet<string> KnownActionDecodeGaps = new(StringComparer.Ordinal)
    {
        "actions=set_field:1->in_port", // OVS 3.1 takes set_field on in_port in 1.3/1.5 flow-mods; OfActionCodec answers "OpenFlow forbids set_field on in_port"
    };

    [Theory]
    [InlineData(null, false)]
    [InlineData("OpenFlow10", false)]
    [InlineData("OpenFlow13", false)]
    [InlineData("OpenFlow14", false)]
    [InlineData("OpenFlow15", false)]
    [InlineData(null, true)]
    [InlineData("OpenFlow13", true)]
    [InlineData("OpenFlow15", true)]
    public void FlowModsPrintAsOvsPrintsThem(string? protocol, bool withActions)
    {
        var gen = new RandomFlows(protocol?.Length ?? 7);
        string[] flows = [.. OvsFlowCorpus.OpenFlow13, .. OvsFlowCorpus.OpenFlow10, .. Enumerable.Range(0, 120).Select(_ => gen.Next())];
        string[] drops = flows.Where(f => f.Contains("actions=", StringComparison.Ordinal))
            .Select(f => withActions ? f : f[..f.IndexOf("actions=", StringComparison.Ordinal)] + "actions=drop").Distinct().ToArray();
        var results = new string?[drops.Length];
        int compared = 0, textDiffers = 0;
        Parallel.For(0, drops.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            FlowRule rule;
            try
            {
                rule = FlowText.Parse(drops[i]);
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
            string first = printed.Split('\n')[0]; // ofp-print may add log lines (deprecation notes) after the message
            string mine = first[(first.IndexOf("): ", StringComparison.Ordinal) + 3)..];
            FlowModMessage back;
            try
            {
                back = (FlowModMessage)OfCodec.Decode(bytes, session);
            }
            catch (OfErrorException e) when (!KnownActionDecodeGaps.Contains(drops[i]))
            {
                results[i] = $"{drops[i]} ({session}): our bytes {Convert.ToHexString(bytes)} do not decode: {e.Message}";
                return;
            }
            catch (OfErrorException)
            {
                return;
            }

            Interlocked.Increment(ref compared);
            if (mine != expected)
            {
                results[i] = $"{drops[i]} ({session})\n    ovs:      {expected}\n    fastpath: {mine}";
            }
            else if (back.Mod.Rule.Match != rule.Match)
            {
                results[i] = $"{drops[i]} ({session}): decodes to {MatchText.Format(back.Mod.Rule.Match)}";
            }
            else if (!withActions && back.Mod != mod)
            {
                results[i] = $"{drops[i]} ({session}): decodes to {back.Mod}";
            }
        });

        string[] failures = results.OfType<string>().ToArray();
        output.WriteLine($"{drops.Length} flows, {compared} compared with Open vSwitch ({protocol ?? "default"}), {failures.Length} differ; {textDiffers} skipped (FastPath's flow syntax reads them differently)");
        Assert.True(compared > drops.Length / 2, "most flows should be accepted by both");
        Assert.True(failures.Length == 0, string.Join("\n", failures.Take(25)));
    }
}
