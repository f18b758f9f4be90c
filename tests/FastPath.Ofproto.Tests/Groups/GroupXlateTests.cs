using FastPath.Ofproto.Groups;
using FastPath.Ofproto.Tests.Xlate;
using FastPath.Ofproto.Upcalls;
using FastPath.Ofproto.Xlate;
using FastPath.Packets;
using static FastPath.Ofproto.Tests.Xlate.XlateHarness;

namespace FastPath.Ofproto.Tests.Groups;

/// <summary>Groups in xlate: datapath actions, rollback of bucket rewrites, liveness, hashing, and megaflow width.</summary>
public class GroupXlateTests
{
    private static XlateHarness With(string[] groups, params string[] rules)
    {
        var h = new XlateHarness();
        foreach (string g in groups)
        {
            h.AddGroup(g);
        }

        foreach (string r in rules)
        {
            h.Add(r);
        }

        return h;
    }

    [Fact]
    public void AnAllGroupSendsToEveryBucketAndEachBucketsRewriteStaysInIt()
    {
        XlateHarness h = With(["group_id=1,type=all,bucket=mod_nw_src:1.2.3.4,output:2,bucket=output:3"], "in_port=1,ip,actions=group:1");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));
        Assert.Equal("set(ipv4(src=1.2.3.4)),2,set(ipv4(src=10.0.0.1)),3", Format(t.Actions));

        // Putting the source back takes the packet's own source: the megaflow must match it.
        Assert.Equal(0xffffffffu, Ipv4MaskOf(t.Megaflow.Mask, FlowKey.Offsets.NwSrc));
        Assert.False(Masks(t.Megaflow.Mask, FlowKey.Offsets.TpSrc, 4));
        OfGroup g = h.Pipeline.Groups.Find(1)!;
        Assert.Equal([h.Pipeline.Counters(0).Matched, h.Pipeline.Rules.Single(), g, g.Buckets[0], g.Buckets[1]], t.Credited!);
    }

    [Fact]
    public void ARewriteInTheLastBucketNeedsNoUndoAndNoMatch()
    {
        XlateHarness h = With(["group_id=1,type=all,bucket=output:3,bucket=mod_nw_src:1.2.3.4,output:2"], "in_port=1,ip,actions=group:1");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));
        Assert.Equal("3,set(ipv4(src=1.2.3.4)),2", Format(t.Actions));
        Assert.False(Masks(t.Megaflow.Mask, FlowKey.Offsets.NwSrc, 4), "nothing is sent after the rewrite: the source need not be matched");
    }

    [Fact]
    public void AnIndirectGroupsRewriteIsUndoneForTheActionsAfterIt()
    {
        XlateHarness h = With(["group_id=2,type=indirect,bucket=mod_nw_dst:9.9.9.9,output:2"], "in_port=1,ip,actions=mod_nw_src:7.7.7.7,group:2,output:4");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));
        Assert.Equal("set(ipv4(src=7.7.7.7)),set(ipv4(dst=9.9.9.9)),2,set(ipv4(dst=10.0.0.2)),4", Format(t.Actions));

        // The source was the rule's constant, the destination the packet's.
        Assert.False(Masks(t.Megaflow.Mask, FlowKey.Offsets.NwSrc, 4));
        Assert.Equal(0xffffffffu, Ipv4MaskOf(t.Megaflow.Mask, FlowKey.Offsets.NwDst));
    }

    [Fact]
    public void ABucketRunsAsAnActionSet()
    {
        // One output, the last; rewrites before it.
        XlateHarness h = With(["group_id=1,type=all,bucket=output:1,mod_nw_src:1.2.3.4,output:2,bucket=output:3"], "in_port=4,ip,actions=group:1");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2", inPort: 4));
        Assert.Equal("set(ipv4(src=1.2.3.4)),2,set(ipv4(src=10.0.0.1)),3", Format(t.Actions));
    }

    [Fact]
    public void AGroupInTheActionSetReplacesItsOutput()
    {
        XlateHarness h = With(["group_id=1,type=indirect,bucket=output:3"], "in_port=1,ip,actions=write_actions(output:2,group:1)");
        Assert.Equal("3", Format(h.Translate(Udp("10.0.0.1", "10.0.0.2")).Actions));
    }

    [Fact]
    public void ChainedGroupsRunInsideEachOther()
    {
        XlateHarness h = With(
            ["group_id=1,type=indirect,bucket=mod_dl_dst:00:00:00:00:00:09,output:4", "group_id=2,type=all,bucket=output:2,bucket=group:1,bucket=output:3"],
            "in_port=1,ip,actions=group:2");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));
        Assert.Equal("2,set(eth(dst=00:00:00:00:00:09)),4,set(eth(dst=02:00:00:00:00:02)),3", Format(t.Actions));
        Assert.True(Masks(t.Megaflow.Mask, FlowKey.Offsets.DlDst, 6));
        // Table 0's match, the rule, group 2 and its three buckets, group 1 and its bucket.
        Assert.Equal(8, t.Credited!.Count);
    }

    [Fact]
    public void FastFailoverTakesTheFirstLiveBucketAndMovesWhenItsPortGoesDown()
    {
        XlateHarness h = With(["group_id=1,type=ff,bucket=watch_port:2,output:2,bucket=watch_port:3,output:3"], "in_port=1,ip,actions=group:1");
        FlowKey k = Udp("10.0.0.1", "10.0.0.2");
        Assert.Equal("2", Format(h.Translate(k).Actions));

        long v = h.Xlate.Version;
        h.Ports.SetLive(2, false);
        Assert.True(h.Xlate.Version > v, "a port going down must send megaflows to revalidation");
        Assert.False(h.Ports.IsLive(2));
        Assert.Equal("3", Format(h.Translate(k).Actions));

        h.Ports.SetLive(3, false);
        Assert.Equal("drop", Format(h.Translate(k).Actions));

        h.Ports.SetLive(2, true);
        Assert.Equal("2", Format(h.Translate(k).Actions));

        // Liveness is no packet field: the megaflow matches no more than the rule did.
        FlowKey m = h.Translate(k).Megaflow.Mask;
        Assert.False(Masks(m, FlowKey.Offsets.NwSrc, 40));
    }

    [Fact]
    public void AWatchGroupIsLiveWhileItHasALiveBucket()
    {
        XlateHarness h = With(
            ["group_id=5,type=ff,bucket=watch_port:3,output:3", "group_id=1,type=ff,bucket=watch_group:5,output:2,bucket=watch_port:4,output:4"],
            "in_port=1,ip,actions=group:1");
        FlowKey k = Udp("10.0.0.1", "10.0.0.2");
        Assert.Equal("2", Format(h.Translate(k).Actions));
        h.Ports.SetLive(3, false);
        Assert.Equal("4", Format(h.Translate(k).Actions));
    }

    [Fact]
    public void SelectSpreadsFlowsByWeightOverLiveBucketsAndAFlowKeepsItsBucket()
    {
        XlateHarness h = With(
            ["group_id=1,type=select,bucket=weight:1,output:2,bucket=weight:3,output:3,bucket=weight:0,output:4"],
            "in_port=1,ip,actions=group:1");
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < 4000; i++)
        {
            FlowKey k = Udp($"10.{i >> 8}.{i & 0xff}.1", "10.0.0.2");
            string a = Format(h.Translate(k).Actions);
            counts[a] = counts.GetValueOrDefault(a) + 1;
            Assert.Equal(a, Format(h.Translate(k).Actions));
        }

        Assert.Equal(["2", "3"], counts.Keys.Order());
        double share = counts["3"] / 4000.0;
        Assert.InRange(share, 0.70, 0.80);

    }

    [Fact]
    public void ASelectBucketGoingDownMovesOnlyItsOwnFlows()
    {
        XlateHarness h = With(
            ["group_id=1,type=select,bucket=watch_port:2,output:2,bucket=watch_port:3,output:3,bucket=watch_port:4,output:4"],
            "in_port=1,ip,actions=group:1");
        var before = new List<string>();
        for (int i = 0; i < 600; i++)
        {
            before.Add(Format(h.Translate(Udp($"10.1.{i & 0xff}.{i >> 8}", "10.0.0.2")).Actions));
        }

        Assert.Equal(["2", "3", "4"], before.Distinct().Order());
        h.Ports.SetLive(4, false);
        for (int i = 0; i < 600; i++)
        {
            string now = Format(h.Translate(Udp($"10.1.{i & 0xff}.{i >> 8}", "10.0.0.2")).Actions);
            Assert.NotEqual("4", now);
            if (before[i] != "4")
            {
                Assert.Equal(before[i], now);
            }
        }
    }

    [Fact]
    public void SelectMatchesExactlyTheHashedFields()
    {
        XlateHarness h = With(["group_id=1,type=select,bucket=output:2,bucket=output:3"], "in_port=1,ip,actions=group:1");
        FlowKey udp = h.Translate(Udp("10.0.0.1", "10.0.0.2")).Megaflow.Mask;
        byte[] m = MaskBytes(udp);
        Assert.All(m.AsSpan(FlowKey.Offsets.DlDst, 12).ToArray(), b => Assert.Equal(0xff, b));
        Assert.Equal(0xffffffffu, Ipv4MaskOf(udp, FlowKey.Offsets.NwSrc));
        Assert.Equal(0xffffffffu, Ipv4MaskOf(udp, FlowKey.Offsets.NwDst));
        Assert.Equal(0xff, m[FlowKey.Offsets.NwProto]);
        Assert.Equal([0x0f, 0xff], m.AsSpan(FlowKey.Offsets.Vlan0 + 2, 2).ToArray());
        Assert.False(Masks(udp, FlowKey.Offsets.TpSrc, 4), "UDP ports are not hashed");
        Assert.False(Masks(udp, FlowKey.Offsets.NwTtl, 1));
        Assert.False(Masks(udp, FlowKey.Offsets.NwTos, 1));

        FlowKey tcpKey = Udp("10.0.0.1", "10.0.0.2");
        tcpKey.NwProto = IpProtocols.Tcp;
        FlowKey tcp = h.Translate(tcpKey).Megaflow.Mask;
        Assert.Equal([0xff, 0xff, 0xff, 0xff], MaskBytes(tcp).AsSpan(FlowKey.Offsets.TpSrc, 4).ToArray());

        // Symmetric: both directions of a connection pick the same bucket.
        for (int i = 0; i < 50; i++)
        {
            FlowKey ab = Udp($"10.0.{i}.1", "10.9.9.9");
            FlowKey ba = Udp("10.9.9.9", $"10.0.{i}.1");
            ab.Bytes.Slice(FlowKey.Offsets.DlDst, 6).CopyTo(ba.Bytes.Slice(FlowKey.Offsets.DlSrc, 6));
            ab.Bytes.Slice(FlowKey.Offsets.DlSrc, 6).CopyTo(ba.Bytes.Slice(FlowKey.Offsets.DlDst, 6));
            Assert.Equal(Format(h.Translate(ab).Actions), Format(h.Translate(ba).Actions));
        }
    }

    [Fact]
    public void HashSelectionWithFieldsMatchesThoseFieldsOnly()
    {
        XlateHarness h = With(["group_id=1,type=select,selection_method=hash,fields(ip_dst=255.255.0.0),bucket=output:2,bucket=output:3"], "in_port=1,ip,actions=group:1");
        FlowKey m = h.Translate(Udp("10.0.0.1", "10.0.0.2")).Megaflow.Mask;
        Assert.Equal(0xffff0000u, Ipv4MaskOf(m, FlowKey.Offsets.NwDst));
        Assert.False(Masks(m, FlowKey.Offsets.NwSrc, 4));
        Assert.False(Masks(m, FlowKey.Offsets.DlDst, 12));
    }

    [Fact]
    public void ABucketSetOnAFieldThePacketLacksIsSkipped()
    {
        XlateHarness h = With(["group_id=1,type=all,bucket=set_field:5->tcp_src,output:2"], "in_port=1,ip,actions=group:1");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));
        Assert.Equal("2", Format(t.Actions));
        Assert.Equal(0xff, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.NwProto]);
    }

    [Fact]
    public void DecTtlInABucketIsUndoneForTheNextBucket()
    {
        XlateHarness h = With(["group_id=1,type=all,bucket=dec_ttl,output:2,bucket=output:3"], "in_port=1,ip,actions=group:1");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2", ttl: 64));
        Assert.Equal("dec_ttl,2,set(ipv4(ttl=64)),3", Format(t.Actions));
        Assert.Equal(0xff, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.NwTtl]);
    }

    [Fact]
    public void APushedHeaderIsNotUndoneSoSendingAfterItIsRefused()
    {
        XlateHarness last = With(["group_id=1,type=all,bucket=output:3,bucket=push_vlan:0x8100,output:2"], "in_port=1,ip,actions=group:1");
        Assert.StartsWith("3,push_vlan(", Format(last.Translate(Udp("10.0.0.1", "10.0.0.2")).Actions));

        XlateHarness first = With(["group_id=1,type=all,bucket=push_vlan:0x8100,output:2,bucket=output:3"], "in_port=1,ip,actions=group:1");
        Assert.False(first.Xlate.Translate(Udp("10.0.0.1", "10.0.0.2"), default, out _));
        Assert.Contains("pushed or popped a header", first.Xlate.LastFailure, StringComparison.Ordinal);
    }

    [Fact]
    public void AGroupWithNoLiveBucketDrops()
    {
        XlateHarness h = With(["group_id=1,type=select"], "in_port=1,ip,actions=group:1");
        Assert.Equal("drop", Format(h.Translate(Udp("10.0.0.1", "10.0.0.2")).Actions));
    }

    private static uint Ipv4MaskOf(in FlowKey mask, int offset) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(MaskBytes(mask).AsSpan(offset));
}
