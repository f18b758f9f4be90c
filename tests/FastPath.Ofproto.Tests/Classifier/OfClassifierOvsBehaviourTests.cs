using System.Net;
using FastPath.Ofproto.Classifier;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>
/// One case per rule of Open vSwitch 3.1's wildcard tracking (classifier.c, <c>find_match_wc</c>) that FastPath's
/// classifier follows. Each expected mask is what Open vSwitch 3.1 put in its megaflow for the same rules and
/// packet (ofproto/trace on a dummy bridge, quoted in the comments), less the fields its xlate always adds
/// (in_port, nw_frag) and plus dl_type, which its xlate always adds and FastPath's classifier un-wildcards itself
/// where its answer depends on it.
/// </summary>
public class OfClassifierOvsBehaviourTests
{
    [Fact]
    public void ATrieRulingASubtableOutLeavesTheStageItRuledOutAtWildcarded()
    {
        // ip,nw_src=10.0.0.0/8,nw_proto=6 for TCP from 192.168.1.1: "ip,nw_src=128.0.0.0/1", no nw_proto.
        TestMatch[] rules = [TestMatch.New().Ip().NwSrc("10.0.0.0", 8).NwProto(6)];
        PipelineKey flow = Udp("192.168.1.1", "10.0.0.2", 1000, 80);
        flow.PacketPart.NwProto = 6;
        (TestRule? hit, PipelineKey wc) = Run(rules, flow);
        Assert.Null(hit);
        Assert.Equal(TestMatch.New().DlType(0).NwSrc("0.0.0.0", 1).Mask, wc);
    }

    [Fact]
    public void ArpRulesShareTheIpv4SourceTrie()
    {
        // An ARP rule's arp_spa is Open vSwitch's nw_src, so its /16 sits in the trie an IPv4 packet walks:
        // 192.168.1.1 then walks 16 bits, more than the IPv4 subtable's /8, and the /8 subtable is ruled out by
        // its L3 stage instead ("ip,nw_src=192.0.0.0/8"). Without the ARP rule one bit would do ("128.0.0.0/1").
        TestMatch ip = TestMatch.New().Ip().NwSrc("10.0.0.0", 8);
        TestMatch arp = TestMatch.New().DlType(EtherTypes.Arp).NwSrc("192.168.0.0", 16);
        PipelineKey flow = Udp("192.168.1.1", "1.2.3.4", 1000, 80);

        (TestRule? hit, PipelineKey both) = Run([ip, arp], flow);
        Assert.Null(hit);
        Assert.Equal(TestMatch.New().DlType(0).NwSrc("0.0.0.0", 8).Mask, both);

        (_, PipelineKey ipOnly) = Run([ip], flow);
        Assert.Equal(TestMatch.New().DlType(0).NwSrc("0.0.0.0", 1).Mask, ipOnly);
    }

    [Fact]
    public void TriesAreNotUsedForPacketsThatAreNotIpv4()
    {
        // arp,arp_spa=10.0.0.0/8 for an ARP packet from 192.168.1.1: "arp,arp_spa=192.0.0.0/8". The trie has
        // the /8, but its field is an IPv4 address only in IPv4 packets.
        TestMatch[] rules = [TestMatch.New().DlType(EtherTypes.Arp).NwSrc("10.0.0.0", 8)];
        PipelineKey flow = default;
        flow.PacketPart.EthType = EtherTypes.Arp;
        IPAddress.Parse("192.168.1.1").GetAddressBytes().CopyTo(flow.PacketPart.Ipv6Src);
        (TestRule? hit, PipelineKey wc) = Run(rules, flow);
        Assert.Null(hit);
        Assert.Equal(TestMatch.MaskOf(rules), wc);
    }

    [Fact]
    public void TrieBitsBeyondASubtablesPrefixAreUsedOnlyWhenAlreadyNeeded()
    {
        // The trie holds 11.0.0.0/8 and 10.1.2.0/24: 10.1.3.1 walks 24 bits. The /24 subtable is ruled out by
        // them. The /8 subtable may be ruled out by them only once they are un-wildcarded anyway.
        TestMatch slash8 = TestMatch.New().Ip().NwDst("11.0.0.0", 8).NwProto(17).TpDst(80);
        TestMatch slash24 = TestMatch.New().Ip().NwDst("10.1.2.0", 24);
        PipelineKey flow = Udp("1.1.1.1", "10.1.3.1", 1000, 80);

        // /8 first: its trie check would need 24 bits of its 8, so its L3 stage rules it out, with nw_proto
        // ("udp,nw_dst=10.1.3.0/24").
        (TestRule? hit, PipelineKey first8) = Run([slash8, slash24], flow);
        Assert.Null(hit);
        Assert.Equal(TestMatch.New().DlType(0).NwProto(0).NwDst("0.0.0.0", 24).Mask, first8);

        // /24 first: its 24 bits are then already there for the /8 ("ip,nw_dst=10.1.3.0/24").
        (_, PipelineKey first24) = Run([slash24, slash8], flow);
        Assert.Equal(TestMatch.New().DlType(0).NwDst("0.0.0.0", 24).Mask, first24);
    }

    [Fact]
    public void APortsTrieMissUnwildcardsOnlyThePortBitsThatTellThePacketApart()
    {
        // udp,tp_dst=80 for tp_dst=443 (0x1bb; 80 is 0x50, they part at bit 7 of tp_dst): "tp_dst=0x100/0xff00".
        TestMatch[] rules = [TestMatch.New().Ip().NwProto(17).TpDst(80)];
        PipelineKey flow = Udp("1.1.1.1", "2.2.2.2", 1000, 443);
        (TestRule? hit, PipelineKey with) = Run(rules, flow);
        Assert.Null(hit);
        Assert.Equal(TestMatch.New().DlType(0).NwProto(0).Field(FlowKey.Offsets.TpDst, [0, 0], [0xff, 0]).Mask, with);

        (_, PipelineKey without) = Run(rules, flow, OfClassifierTechniques.All & ~OfClassifierTechniques.PrefixTries);
        Assert.Equal(TestMatch.MaskOf(rules), without);
        Assert.True(OfClassifierWidthTests.StrictlyNarrower(with, without));
    }

    [Fact]
    public void APortsTrieWorksOnTheMaskedPortsWord()
    {
        // tp_src=0x400/0xfc00,tp_dst=80 for tp_src=1000 (0x3e8), tp_dst=80: the masked tp_src is 0 where the
        // rule's is 0x400, the sixth bit of the word: "tp_src=0x0/0xfc00", tp_dst left out.
        TestMatch[] rules = [TestMatch.New().Ip().NwProto(17).Field(FlowKey.Offsets.TpSrc, TestMatch.Be16(0x400), TestMatch.Be16(0xfc00)).TpDst(80)];
        PipelineKey flow = Udp("1.1.1.1", "2.2.2.2", 1000, 80);
        (TestRule? hit, PipelineKey wc) = Run(rules, flow);
        Assert.Null(hit);
        Assert.Equal(TestMatch.New().DlType(0).NwProto(0).Field(FlowKey.Offsets.TpSrc, [0, 0], TestMatch.Be16(0xfc00)).Mask, wc);
    }

    [Fact]
    public void APortsTrieMissKeepsTheTcpFlagsItsStageLookedAt()
    {
        // TCP flags share the ports' word here, in the L4 stage; Open vSwitch keeps them with L3, which a miss
        // at L4 has passed and so un-wildcards: both megaflows match the rule's flag bits.
        TestMatch[] rules = [TestMatch.New().Ip().NwProto(6).TpDst(80).Field(FlowKey.Offsets.TcpFlags, TestMatch.Be16(2), TestMatch.Be16(2))];
        PipelineKey flow = Udp("1.1.1.1", "2.2.2.2", 1000, 443);
        flow.PacketPart.NwProto = 6;
        (TestRule? hit, PipelineKey wc) = Run(rules, flow);
        Assert.Null(hit);
        Assert.Equal(
            TestMatch.New().DlType(0).NwProto(0).Field(FlowKey.Offsets.TpDst, [0, 0], [0xff, 0]).Field(FlowKey.Offsets.TcpFlags, [0, 0], TestMatch.Be16(2)).Mask,
            wc);
    }

    [Fact]
    public void AMatchUnwildcardsTheWholeMaskOfItsSubtable()
    {
        TestMatch[] rules = [TestMatch.New().Ip().NwDst("10.0.0.0", 8).NwProto(17).TpDst(53)];
        PipelineKey flow = Udp("1.1.1.1", "10.2.3.4", 1000, 53);
        (TestRule? hit, PipelineKey wc) = Run(rules, flow);
        Assert.Equal("r0", hit?.Name);
        Assert.Equal(TestMatch.MaskOf(rules), wc);
    }

    [Fact]
    public void PortsAndAddressTriesFollowRemovals()
    {
        var cls = new OfClassifier<TestRule>();
        var r80 = new TestRule("80");
        var r81 = new TestRule("81");
        cls.Insert(TestMatch.New().Ip().NwProto(17).TpDst(80).Match, 10, r80);
        cls.Insert(TestMatch.New().Ip().NwProto(17).TpDst(81).Match, 10, r81);
        PipelineKey flow = Udp("1.1.1.1", "2.2.2.2", 1000, 81);
        PipelineKey wc = default;
        Assert.Same(r81, cls.Lookup(flow, ref wc));

        // With 81 gone, 80 (0x50) and 81 (0x51) part at the last bit: all 16 bits tell them apart.
        Assert.True(cls.Remove(r81));
        wc = default;
        Assert.Null(cls.Lookup(flow, ref wc));
        Assert.Equal(TestMatch.New().DlType(0).NwProto(0).TpDst(0).Mask, wc);

        // With 80 gone too the subtable is gone: nothing looked at.
        Assert.True(cls.Remove(r80));
        wc = default;
        Assert.Null(cls.Lookup(flow, ref wc));
        Assert.Equal(default, wc);
    }

    private static PipelineKey Udp(string src, string dst, ushort sport, ushort dport) =>
        TestFrames.Key(TestFrames.Udp4(src, dst, sport, dport), inPort: 1);

    private static (TestRule? Hit, PipelineKey Wildcards) Run(TestMatch[] rules, in PipelineKey flow, OfClassifierTechniques techniques = OfClassifierTechniques.All)
    {
        var cls = new OfClassifier<TestRule>(techniques);
        for (int i = 0; i < rules.Length; i++)
        {
            // Earlier rules have higher priority, so their subtables are searched first.
            cls.Insert(rules[i].Match, 1000 - i, new TestRule($"r{i}"));
        }

        PipelineKey wc = default;
        TestRule? hit = cls.Lookup(flow, ref wc);
        return (hit, wc);
    }
}
