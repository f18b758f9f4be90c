using FastPath.Ofproto.Classifier;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>
/// Concrete cases where each technique makes the wildcards strictly narrower (so the megaflow strictly wider)
/// than the same lookup without it, with the same answer.
/// </summary>
public class OfClassifierWidthTests
{
    private const OfClassifierTechniques All = OfClassifierTechniques.All;

    [Fact]
    public void SingleRuleHitUnwildcardsOnlyItsFields()
    {
        // in_port=1,ip,nw_src=192.168.1.1 against a UDP packet from 192.168.1.1: the megaflow must not match
        // on the ports or the MACs, only on what the rule looked at.
        var cls = new OfClassifier<TestRule>();
        var rule = new TestRule("r");
        TestMatch m = TestMatch.New().InPort(1).Ip().NwSrc("192.168.1.1");
        cls.Insert(m.Match, 32768, rule);

        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("192.168.1.1", "10.0.0.2", 1234, 53), inPort: 1);
        PipelineKey wc = default;
        Assert.Same(rule, cls.Lookup(flow, ref wc));
        Assert.Equal(TestMatch.MaskOf(TestMatch.New().InPort(0), TestMatch.New().DlType(0), TestMatch.New().NwSrc("0.0.0.0")), wc);
    }

    [Fact]
    public void LookupOrsIntoWildcardsAndKeepsBitsAlreadySet()
    {
        var cls = new OfClassifier<TestRule>();
        cls.Insert(TestMatch.New().InPort(1).Match, 1, new TestRule("r"));
        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("10.0.0.1", "10.0.0.2", 1, 2), inPort: 1);
        PipelineKey wc = TestMatch.New().TpDst(0xffff).Mask;
        cls.Lookup(flow, ref wc);
        Assert.Equal(TestMatch.MaskOf(TestMatch.New().InPort(0), TestMatch.New().TpDst(0)), wc);
    }

    [Fact]
    public void MissOnManyMasksDoesNotUnwildcardEveryField()
    {
        var cls = new OfClassifier<TestRule>();
        TestMatch[] rules =
        [
            TestMatch.New().InPort(1).Ip().NwSrc("10.0.0.0", 8),
            TestMatch.New().InPort(1).Ip().NwDst("10.1.0.0", 16).NwProto(6).TpDst(80),
            TestMatch.New().InPort(1).DlSrc(5),
            TestMatch.New().InPort(1).DlType(EtherTypes.Ipv6).NwSrc("2001:db8::", 32),
            TestMatch.New().InPort(1).Ip().NwProto(17).TpSrc(53),
            TestMatch.New().InPort(1).DlType(EtherTypes.Arp).NwDst("10.0.0.1"),
        ];
        for (int i = 0; i < rules.Length; i++)
        {
            cls.Insert(rules[i].Match, 100 + i, new TestRule($"r{i}"));
        }

        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("10.0.0.1", "10.1.0.1", 53, 80), inPort: 2);
        PipelineKey wc = default;
        Assert.Null(cls.Lookup(flow, ref wc));

        // Every rule needs in_port=1 and has fields past the metadata stage: in_port alone rules them all out,
        // where plain tuple space search looks at every field of every rule.
        Assert.Equal(TestMatch.New().InPort(0).Mask, wc);
        Assert.Equal(TestMatch.MaskOf(rules), WildcardsWith(OfClassifierTechniques.None, rules, flow));
        Assert.True(StrictlyNarrower(wc, TestMatch.MaskOf(rules)));
    }

    [Fact]
    public void PriorityEarlyExitSkipsSubtablesThatCannotWin()
    {
        TestMatch[] rules = [TestMatch.New().InPort(1), TestMatch.New().Ip().NwProto(17).TpDst(53)];
        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("10.0.0.1", "10.0.0.2", 1000, 53), inPort: 1);

        (TestRule? hit, PipelineKey with) = Run(All, rules, flow);
        (TestRule? hit2, PipelineKey without) = Run(All & ~OfClassifierTechniques.PriorityEarlyExit, rules, flow);

        Assert.Equal("r0", hit?.Name);
        Assert.Equal("r0", hit2?.Name);
        Assert.Equal(TestMatch.New().InPort(0).Mask, with);
        Assert.Equal(TestMatch.MaskOf(rules), without);
        Assert.True(StrictlyNarrower(with, without));
    }

    [Fact]
    public void StagedLookupStopsAtTheFirstStageThatRulesASubtableOut()
    {
        // in_port (metadata stage) already differs: the L2, L3 and L4 fields of the rule do not matter.
        TestMatch[] rules = [TestMatch.New().InPort(1).Ip().NwProto(6).TpDst(80)];
        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("10.0.0.1", "10.0.0.2", 1000, 80), inPort: 2);

        (TestRule? hit, PipelineKey with) = Run(All, rules, flow);
        (TestRule? hit2, PipelineKey without) = Run(All & ~OfClassifierTechniques.StagedLookup, rules, flow);

        Assert.Null(hit);
        Assert.Null(hit2);
        Assert.Equal(TestMatch.New().InPort(0).Mask, with);
        Assert.Equal(TestMatch.MaskOf(rules), without);
        Assert.True(StrictlyNarrower(with, without));
    }

    [Fact]
    public void StagedLookupRuledOutAtL3KeepsL4Wildcarded()
    {
        // Same in_port and dl_type, but nw_proto (L3) differs: tp_dst (L4) is never looked at. Tries are off
        // so that staging alone is measured.
        TestMatch[] rules = [TestMatch.New().InPort(1).Ip().NwProto(6).TpDst(80)];
        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("10.0.0.1", "10.0.0.2", 1000, 80), inPort: 1);
        const OfClassifierTechniques noTries = All & ~OfClassifierTechniques.PrefixTries;

        (_, PipelineKey with) = Run(noTries, rules, flow);
        (_, PipelineKey without) = Run(noTries & ~OfClassifierTechniques.StagedLookup, rules, flow);

        Assert.Equal(TestMatch.MaskOf(TestMatch.New().InPort(0), TestMatch.New().DlType(0), TestMatch.New().NwProto(0)), with);
        Assert.True(StrictlyNarrower(with, without));
    }

    [Fact]
    public void PrefixTrieUnwildcardsOnlyThePrefixBitsThatRuleTheSubtableOut()
    {
        // 192.168.2.1 leaves 192.168.1.0/24 at bit 22: 23 bits of nw_src prove no rule can match. dl_type, the
        // L2 stage passed before the trie was asked, stays (Open vSwitch 3.1 gives ip,nw_src=192.168.2.0/23).
        TestMatch[] rules = [TestMatch.New().Ip().NwSrc("192.168.1.0", 24)];
        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("192.168.2.1", "10.0.0.2", 1000, 80), inPort: 1);

        (TestRule? hit, PipelineKey with) = Run(All, rules, flow);
        (TestRule? hit2, PipelineKey without) = Run(All & ~OfClassifierTechniques.PrefixTries, rules, flow);

        Assert.Null(hit);
        Assert.Null(hit2);
        Assert.Equal(TestMatch.New().DlType(0).NwSrc("0.0.0.0", 23).Mask, with);
        Assert.Equal(TestMatch.MaskOf(rules), without);
        Assert.True(StrictlyNarrower(with, without));
    }

    [Fact]
    public void PrefixTrieSparesTheRestOfItsStageAndL4()
    {
        // Without the trie, staging rules the subtable out at L3 after looking at in_port, dl_type and the
        // whole /8; the trie needs one bit of nw_dst (10/8 starts with 0, 192.168/16 with 1), with the stages
        // passed before L3 but not nw_proto (Open vSwitch 3.1: udp,in_port=1,nw_dst=128.0.0.0/1).
        TestMatch[] rules = [TestMatch.New().InPort(1).Ip().NwDst("10.0.0.0", 8).NwProto(17).TpDst(53)];
        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("10.9.9.9", "192.168.1.1", 1000, 53), inPort: 1);

        (_, PipelineKey with) = Run(All, rules, flow);
        (_, PipelineKey without) = Run(All & ~OfClassifierTechniques.PrefixTries, rules, flow);

        Assert.Equal(TestMatch.New().InPort(0).DlType(0).NwDst("0.0.0.0", 1).Mask, with);
        Assert.Equal(TestMatch.MaskOf(TestMatch.New().InPort(0).Ip().NwDst("0.0.0.0", 8).NwProto(0)), without);
        Assert.True(StrictlyNarrower(with, without));
    }

    [Fact]
    public void Ipv6AddressesHaveNoTrie()
    {
        // As Open vSwitch's default (prefix tries on nw_dst and nw_src only), IPv6 prefixes are looked up by
        // staging alone: 2001:db9::1 is outside both, and the /64 subtable, whose last stage is L3, un-wildcards
        // its whole mask (Open vSwitch 3.1: ipv6,ipv6_src=2001:db9::/64).
        TestMatch[] rules =
        [
            TestMatch.New().DlType(EtherTypes.Ipv6).NwSrc("2001:db8:1:2::", 64),
            TestMatch.New().DlType(EtherTypes.Ipv6).NwSrc("2001:db8:1::", 48),
        ];
        PipelineKey inside = default;
        inside.PacketPart.EthType = EtherTypes.Ipv6;
        System.Net.IPAddress.Parse("2001:db8:1:3::1").GetAddressBytes().CopyTo(inside.PacketPart.Ipv6Src);
        (TestRule? hit, PipelineKey wc) = Run(All, rules, inside);
        Assert.Equal("r1", hit?.Name);
        Assert.Equal(TestMatch.New().DlType(0).NwSrc("::", 64).Mask, wc);

        PipelineKey outside = inside;
        System.Net.IPAddress.Parse("2001:db9::1").GetAddressBytes().CopyTo(outside.PacketPart.Ipv6Src);
        (TestRule? miss, PipelineKey with) = Run(All, rules, outside);
        (_, PipelineKey without) = Run(All & ~OfClassifierTechniques.PrefixTries, rules, outside);
        Assert.Null(miss);
        Assert.Equal(TestMatch.MaskOf(rules), with);
        Assert.Equal(without, with);
    }

    [Fact]
    public void AnEarlierStageThatRulesOutIsUsedEvenWhenATrieWouldNeedFewerBits()
    {
        // metadata and reg0 (the first stage, 96 bits) rule the subtable out before its L3 stage, where one bit
        // of nw_dst would have done: as in Open vSwitch, the first proof met is the one un-wildcarded.
        TestMatch[] rules = [TestMatch.New().Metadata(7).Reg(0, 9).Ip().NwDst("10.0.0.1")];
        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("10.9.9.9", "192.168.1.1", 1000, 53), inPort: 1);

        (_, PipelineKey with) = Run(All, rules, flow);
        (_, PipelineKey without) = Run(All & ~OfClassifierTechniques.PrefixTries, rules, flow);

        Assert.Equal(TestMatch.New().Metadata(0).Reg(0, 0).Mask, with);
        Assert.Equal(without, with);
    }

    [Fact]
    public void AStageProofAlreadyPaidForIsPreferredToATrieProof()
    {
        // The first rule has no address, so in_port=2 must be un-wildcarded to rule it out; the second could be
        // ruled out by 16 bits of nw_dst too, but in_port already does it for free.
        TestMatch[] rules =
        [
            TestMatch.New().InPort(1).DlSrc(5),
            TestMatch.New().InPort(1).Ip().NwDst("10.1.0.0", 16),
            TestMatch.New().InPort(1).Ip().NwDst("10.0.0.1", 32),
        ];
        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("10.9.9.9", "10.1.0.1", 1000, 53), inPort: 2);

        (_, PipelineKey wc) = Run(All, rules, flow);

        Assert.Equal(TestMatch.New().InPort(0).Mask, wc);
    }

    [Fact]
    public void RemovedPrefixesLeaveTheTrie()
    {
        // With 192.168.0.0/16 gone, only 10.0.0.0/8 is left: one bit of 192.168.1.1 rules it out. A trie that
        // kept the removed prefix's path would walk 16 bits of it and un-wildcard the whole /8.
        var cls = new OfClassifier<TestRule>();
        cls.Insert(TestMatch.New().Ip().NwSrc("10.0.0.0", 8).Match, 10, new TestRule("ten"));
        var gone = new TestRule("gone");
        cls.Insert(TestMatch.New().Ip().NwSrc("192.168.0.0", 16).Match, 20, gone);
        PipelineKey flow = TestFrames.Key(TestFrames.Udp4("192.168.1.1", "10.0.0.2", 1, 2), inPort: 1);

        PipelineKey before = default;
        Assert.Same(gone, cls.Lookup(flow, ref before));
        Assert.True(cls.Remove(gone));
        PipelineKey after = default;
        Assert.Null(cls.Lookup(flow, ref after));
        Assert.Equal(TestMatch.New().DlType(0).NwSrc("0.0.0.0", 1).Mask, after);
    }

    private static (TestRule? Hit, PipelineKey Wildcards) Run(OfClassifierTechniques techniques, TestMatch[] rules, in PipelineKey flow)
    {
        var cls = new OfClassifier<TestRule>(techniques);
        for (int i = 0; i < rules.Length; i++)
        {
            // Earlier rules have higher priority.
            cls.Insert(rules[i].Match, 1000 - i, new TestRule($"r{i}"));
        }

        PipelineKey wc = default;
        TestRule? hit = cls.Lookup(flow, ref wc);
        return (hit, wc);
    }

    private static PipelineKey WildcardsWith(OfClassifierTechniques techniques, TestMatch[] rules, in PipelineKey flow) => Run(techniques, rules, flow).Wildcards;

    private static int Bits(in PipelineKey k)
    {
        int n = 0;
        foreach (ulong w in k.ReadOnlyWords)
        {
            n += System.Numerics.BitOperations.PopCount(w);
        }

        return n;
    }

    /// <summary>Whether <paramref name="a"/>'s bits are a strict subset of <paramref name="b"/>'s.</summary>
    internal static bool StrictlyNarrower(in PipelineKey a, in PipelineKey b)
    {
        ReadOnlySpan<ulong> x = a.ReadOnlyWords;
        ReadOnlySpan<ulong> y = b.ReadOnlyWords;
        bool fewer = false;
        for (int i = 0; i < PipelineKey.Words; i++)
        {
            if ((x[i] & ~y[i]) != 0)
            {
                return false;
            }

            fewer |= x[i] != y[i];
        }

        return fewer;
    }
}
