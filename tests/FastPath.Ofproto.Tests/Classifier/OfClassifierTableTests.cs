using FastPath.Ofproto.Classifier;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>The table operations: insert and replace, strict and by-object removal, exact and loose finds, enumeration.</summary>
public class OfClassifierTableTests
{
    private static readonly PipelineKey Udp = TestFrames.Key(TestFrames.Udp4("10.1.2.3", "10.9.9.9", 1000, 53), inPort: 1);

    [Fact]
    public void IdenticalMatchAndPriorityReplacesAndReturnsTheOldRule()
    {
        var cls = new OfClassifier<TestRule>();
        var a = new TestRule("a");
        var b = new TestRule("b");
        PipelineMatch m = TestMatch.New().InPort(1).Ip().Match;
        Assert.Null(cls.Insert(m, 10, a));
        Assert.Same(a, cls.Insert(m, 10, b));
        Assert.Equal(1, cls.Count);
        Assert.False(cls.Contains(a));
        Assert.Same(b, cls.FindExact(m, 10));
        Assert.Same(b, cls.Lookup(Udp));
        Assert.False(cls.Remove(a));
        Assert.True(cls.Remove(b));
        Assert.Equal(0, cls.Count);
    }

    [Fact]
    public void SameMatchAtTwoPrioritiesCoexistAndTheHigherWins()
    {
        var cls = new OfClassifier<TestRule>();
        var low = new TestRule("low");
        var high = new TestRule("high");
        PipelineMatch m = TestMatch.New().InPort(1).Match;
        cls.Insert(m, 5, low);
        cls.Insert(m, 50, high);
        Assert.Equal(2, cls.Count);
        Assert.Same(high, cls.Lookup(Udp));
        Assert.Same(high, cls.Remove(m, 50));
        Assert.Same(low, cls.Lookup(Udp));
        Assert.Null(cls.Remove(m, 50));
        Assert.Same(low, cls.FindExact(m, 5));
        Assert.Null(cls.FindExact(m, 6));
    }

    [Fact]
    public void ValueBitsOutsideTheMaskAreIgnored()
    {
        var cls = new OfClassifier<TestRule>();
        var r = new TestRule("r");
        PipelineMatch m = TestMatch.New().Ip().NwSrc("10.1.0.0", 16).Match;
        PipelineMatch dirty = m;
        dirty.Key.PacketPart.Bytes[FlowKey.Offsets.NwSrc + 3] = 0x77;
        dirty.Key.PacketPart.Bytes[FlowKey.Offsets.TpDst] = 0x12;
        cls.Insert(dirty, 1, r);
        Assert.Same(r, cls.FindExact(m, 1));
        Assert.Equal(m, cls.Describe(r)!.Value.Match);
        Assert.Same(r, cls.Lookup(Udp));
    }

    [Fact]
    public void ARuleObjectLivesUnderOneMatchOnly()
    {
        var cls = new OfClassifier<TestRule>();
        var r = new TestRule("r");
        PipelineMatch m = TestMatch.New().InPort(1).Match;
        cls.Insert(m, 1, r);
        Assert.Same(r, cls.Insert(m, 1, r));
        Assert.Throws<ArgumentException>(() => cls.Insert(m, 2, r));
        Assert.Throws<ArgumentException>(() => cls.Insert(TestMatch.New().InPort(2).Match, 1, r));
        Assert.Equal(1, cls.Count);
        Assert.Equal(new OfClassifierRule<TestRule>(m, 1, r), cls.Describe(r));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OfClassifier<TestRule>((OfClassifierTechniques)64));
    }

    [Fact]
    public void EnumerationListsEveryRuleWithItsMatchAndPriority()
    {
        var cls = new OfClassifier<TestRule>();
        var expected = new List<OfClassifierRule<TestRule>>();
        for (int i = 0; i < 40; i++)
        {
            PipelineMatch m = (i % 3) switch
            {
                0 => TestMatch.New().InPort((uint)i).Match,
                1 => TestMatch.New().Ip().NwDst($"10.0.{i}.0", 24).Match,
                _ => TestMatch.New().Ip().NwProto(17).TpDst((ushort)i).Match,
            };
            var r = new TestRule($"r{i}");
            cls.Insert(m, i % 5, r);
            expected.Add(new(m, i % 5, r));
        }

        Assert.Equal(3, cls.SubtableCount);
        Assert.Equal(expected.OrderBy(e => e.Rule.Name), cls.Rules.OrderBy(e => e.Rule.Name));
    }

    [Fact]
    public void LooseFindReturnsRulesAtLeastAsSpecificAsTheFilter()
    {
        var cls = new OfClassifier<TestRule>();
        var inside = new TestRule("10.1.0.0/16");
        var exact = new TestRule("10.0.0.0/8");
        var wider = new TestRule("0.0.0.0/4");
        var outside = new TestRule("11.0.0.0/16");
        var other = new TestRule("ipv6");
        var moreFields = new TestRule("10.2.0.0/16,udp");
        cls.Insert(TestMatch.New().Ip().NwSrc("10.1.0.0", 16).Match, 1, inside);
        cls.Insert(TestMatch.New().Ip().NwSrc("10.0.0.0", 8).Match, 2, exact);
        cls.Insert(TestMatch.New().Ip().NwSrc("0.0.0.0", 4).Match, 3, wider);
        cls.Insert(TestMatch.New().Ip().NwSrc("11.0.0.0", 16).Match, 4, outside);
        cls.Insert(TestMatch.New().DlType(EtherTypes.Ipv6).Match, 5, other);
        cls.Insert(TestMatch.New().Ip().NwSrc("10.2.0.0", 16).NwProto(17).Match, 6, moreFields);

        string[] Names(PipelineMatch filter) => [.. cls.FindLoose(filter).Select(r => r.Rule.Name).Order()];

        Assert.Equal(["10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16,udp"], Names(TestMatch.New().Ip().NwSrc("10.0.0.0", 8).Match));
        Assert.Equal(["0.0.0.0/4", "10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16,udp", "11.0.0.0/16"], Names(TestMatch.New().Ip().Match));
        Assert.Equal(6, Names(PipelineMatch.Any).Length);
        Assert.Empty(Names(TestMatch.New().InPort(1).Match));

        // A non-strict delete: collect, then remove.
        foreach (OfClassifierRule<TestRule> r in cls.FindLoose(TestMatch.New().Ip().NwSrc("10.0.0.0", 8).Match).ToList())
        {
            Assert.True(cls.Remove(r.Rule));
        }

        Assert.Equal(3, cls.Count);
        Assert.Same(wider, cls.Lookup(Udp));
    }

    [Fact]
    public void RemovingEveryRuleLeavesAnEmptyClassifierThatUnwildcardsNothing()
    {
        var cls = new OfClassifier<TestRule>();
        var rules = new List<TestRule>();
        for (int i = 0; i < 100; i++)
        {
            var r = new TestRule($"r{i}");
            rules.Add(r);
            cls.Insert(TestMatch.New().Ip().NwSrc($"10.{i % 7}.{i}.0", 8 + (i % 4 * 8)).TpDst((ushort)(i % 3)).Match, i, r);
        }

        foreach (TestRule r in rules)
        {
            Assert.True(cls.Remove(r));
        }

        Assert.Equal(0, cls.Count);
        Assert.Equal(0, cls.SubtableCount);
        Assert.Empty(cls.Rules);
        PipelineKey wc = default;
        Assert.Null(cls.Lookup(Udp, ref wc));
        Assert.Equal(default, wc);
    }

    [Fact]
    public void TiesGoToTheSubtableSearchedFirst()
    {
        // Two overlapping rules of one priority in two subtables of one highest priority: the older subtable
        // is searched first and wins, whatever order the rules of that priority arrived in later.
        var cls = new OfClassifier<TestRule>();
        var first = new TestRule("first");
        var second = new TestRule("second");
        cls.Insert(TestMatch.New().InPort(1).Match, 7, first);
        cls.Insert(TestMatch.New().Ip().Match, 7, second);
        Assert.Same(first, cls.Lookup(Udp));

        // A subtable whose highest priority is higher is searched first, so its matching rule of priority 7
        // wins the tie although its subtable is younger; without that higher rule, the older subtable wins again.
        var high = new TestRule("high");
        var winner = new TestRule("winner");
        cls.Insert(TestMatch.New().NwProto(17).TpSrc(1).Match, 100, high);
        cls.Insert(TestMatch.New().NwProto(17).TpSrc(1000).Match, 7, winner);
        Assert.Same(winner, cls.Lookup(Udp));
        cls.Remove(high);
        Assert.Same(first, cls.Lookup(Udp));
    }

    [Fact]
    public void OneVariableAsFlowAndWildcardsIsLookedUpAsTheFlow()
    {
        var cls = new OfClassifier<TestRule>();
        var r = new TestRule("r");
        cls.Insert(TestMatch.New().InPort(1).Ip().NwProto(17).TpDst(53).Match, 1, r);
        cls.Insert(TestMatch.New().InPort(2).Match, 2, new TestRule("other"));
        PipelineKey wc = default;
        Assert.Same(r, cls.Lookup(Udp, ref wc));

        // Were the wildcards written into the flow while it is read, in_port would turn from 1 into all-ones.
        PipelineKey both = Udp;
        Assert.Same(r, cls.Lookup(both, ref both));
        PipelineKey expected = Udp;
        for (int i = 0; i < PipelineKey.Words; i++)
        {
            expected.AsWords[i] |= wc.AsWords[i];
        }

        Assert.Equal(expected, both);
    }

    [Fact]
    public void LookupAllocatesNothing()
    {
        var gen = new RandomRuleSets(5);
        var cls = new OfClassifier<TestRule>();
        for (int i = 0; i < 500; i++)
        {
            cls.Insert(gen.NextMatch(), i, new TestRule($"r{i}"));
        }

        PipelineKey[] packets = [.. Enumerable.Range(0, 200).Select(_ => gen.NextPacket())];
        int hits = 0;
        Action lookups = () =>
        {
            for (int i = 0; i < packets.Length; i++)
            {
                PipelineKey wc = default;
                hits += cls.Lookup(packets[i], ref wc) is null ? 0 : 1;
            }
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(lookups));
        Assert.True(hits > 0);
    }
}
