using FastPath.Ofproto.Classifier;
using FastPath.OpenFlow.Flows;

namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>
/// The classifier's contract on random seeded rule sets: the rule a lookup returns is the brute-force scan's,
/// and any packet that agrees with the looked-up flow on every bit the lookup un-wildcarded gets the same rule.
/// </summary>
public class OfClassifierPropertyTests
{
    private const int PacketsPerRound = 250;
    private const int VariantsPerPacket = 8;

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        for (int techniques = 0; techniques <= (int)OfClassifierTechniques.All; techniques++)
        {
            for (int seed = 1; seed <= 6; seed++)
            {
                data.Add(techniques, (seed * 7919) + techniques);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WildcardsAreSufficientAndTheRuleIsTheBruteForceOne(int techniques, int seed)
    {
        var gen = new RandomRuleSets(seed);
        Random rng = gen.Rng;
        var cls = new OfClassifier<TestRule>((OfClassifierTechniques)techniques);
        var model = new ReferenceTable();

        // Odd seeds: few priorities, so ties between overlapping rules are common; even seeds: mostly distinct.
        bool ties = seed % 2 == 1;
        int next = 0;
        int narrower = 0;
        for (int round = 0; round < 3; round++)
        {
            int inserts = rng.Next(20, 300);
            for (int i = 0; i < inserts; i++)
            {
                PipelineMatch m;
                int priority;
                if (model.Count > 0 && rng.Next(15) == 0)
                {
                    // The same match and priority again: a replacement.
                    (m, priority, _) = model.Rules[rng.Next(model.Count)];
                }
                else
                {
                    m = gen.NextMatch();
                    priority = ties ? rng.Next(4) * 100 : rng.Next(100_000);
                }

                var rule = new TestRule($"r{next++}");
                Assert.Same(model.Insert(m, priority, rule), cls.Insert(m, priority, rule));
            }

            // Churn: remove some rules, by object or by match, so lookups also run on shrunk subtables and tries.
            foreach ((PipelineMatch m, int p, TestRule r) in model.Rules.Where(_ => rng.Next(4) == 0).ToList())
            {
                if (rng.Next(2) == 0)
                {
                    Assert.True(cls.Remove(r));
                }
                else
                {
                    Assert.Same(r, cls.Remove(m, p));
                }

                Assert.True(model.Remove(r));
            }

            Assert.Equal(model.Count, cls.Count);
            PipelineKey union = UnionOfMasks(model);
            for (int i = 0; i < PacketsPerRound; i++)
            {
                PipelineKey flow = model.Count > 0 && rng.Next(3) == 0
                    ? gen.PacketMatching(model.Rules[rng.Next(model.Count)].Match)
                    : gen.NextPacket();
                PipelineKey wc = default;
                TestRule? got = cls.Lookup(flow, ref wc);
                Assert.Same(model.Lookup(flow), got);
                if (OfClassifierWidthTests.StrictlyNarrower(wc, union))
                {
                    narrower++;
                }

                for (int v = 0; v < VariantsPerPacket; v++)
                {
                    // Another packet, forced to agree with this one on the un-wildcarded bits: the other half
                    // of the variants comes from a rule, so that it is likely to hit something else.
                    PipelineKey other = v % 2 == 0 || model.Count == 0 ? gen.NextPacket() : gen.PacketMatching(model.Rules[rng.Next(model.Count)].Match);
                    PipelineKey p = RandomRuleSets.Blend(flow, wc, other);
                    PipelineKey wc2 = default;
                    TestRule? again = cls.Lookup(p, ref wc2);
                    if (!ReferenceEquals(got, again))
                    {
                        Assert.Fail($"round {round} packet {i} variant {v}: {got?.Name ?? "miss"} for the flow, {again?.Name ?? "miss"} for a packet equal to it on the wildcards");
                    }
                }
            }
        }

        if (techniques == (int)OfClassifierTechniques.All)
        {
            // Not vacuous: the techniques left bits of the rules' masks wildcarded in some lookups.
            Assert.True(narrower > 0);
        }
    }

    private static PipelineKey UnionOfMasks(ReferenceTable model)
    {
        PipelineKey u = default;
        Span<ulong> w = u.AsWords;
        foreach ((PipelineMatch m, _, _) in model.Rules)
        {
            ReadOnlySpan<ulong> mw = m.Mask.ReadOnlyWords;
            for (int i = 0; i < PipelineKey.Words; i++)
            {
                w[i] |= mw[i];
            }
        }

        return u;
    }
}
