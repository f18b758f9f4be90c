using FastPath.Datapath.Actions;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Tests.Upcalls;
using FastPath.Ofproto.Upcalls;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;
using FastPath.Packets;
using static FastPath.Ofproto.Tests.Xlate.XlateHarness;

namespace FastPath.Ofproto.Tests.Xlate;

/// <summary>Xlate through real OpenFlow rules: datapath actions as Open vSwitch makes them, and megaflows as wide as correct.</summary>
public class OfXlateTests
{
    private const string Seed = "in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2";

    [Fact]
    public void TheSeedRuleRewritesAndOutputsAndItsMegaflowMatchesNoPortsNorMacs()
    {
        var h = new XlateHarness(null, Seed);
        FlowTranslation t = h.Translate(Udp("192.168.1.1", "10.0.0.2"));
        Assert.Equal("set(ipv4(src=192.181.137.1)),2", Format(t.Actions));
        FlowKey m = t.Megaflow.Mask;
        Assert.True(Masks(m, FlowKey.Offsets.InPort, 4));
        Assert.True(Masks(m, FlowKey.Offsets.DlType, 2));
        Assert.Equal(0xffffffffu, Ipv4MaskOf(m, FlowKey.Offsets.NwSrc));
        Assert.False(Masks(m, FlowKey.Offsets.TpSrc, 4), "L4 ports must stay wildcarded");
        Assert.False(Masks(m, FlowKey.Offsets.DlDst, 12), "MACs must stay wildcarded");
        Assert.False(Masks(m, FlowKey.Offsets.NwDst, 4), "nw_dst must stay wildcarded");
        Assert.Equal([h.Pipeline.Counters(0).Matched, h.Pipeline.Rules.Single()], t.Credited!); // table 0 matched, and the rule
    }

    [Fact]
    public void AMissDropsWithAMegaflowOrGoesToTheControllerWhenToldTo()
    {
        var drop = new XlateHarness(null, Seed);
        FlowTranslation t = drop.Translate(Udp("192.168.1.2", "10.0.0.2"));
        Assert.Empty(t.Actions);
        Assert.True(t.Install);

        var toController = new XlateHarness(new XlateOptions { TableMissToController = true, MissSendLength = 20 }, Seed);
        t = toController.Translate(Udp("192.168.1.2", "10.0.0.2"));
        Assert.StartsWith("userspace(", Format(t.Actions));
        byte[] frame = UpcallTestPackets.Udp4("192.168.1.2", "10.0.0.2", 1000, 53);
        toController.Xlate.OnActionUpcall(ActionUpcall(frame, 1, CookieOf(t.Actions)));
        PacketIn pin = Assert.Single(toController.PacketIns);
        Assert.Equal(PacketInReason.NoMatch, pin.Reason);
        Assert.Equal(20, pin.Data.Length);
        Assert.Equal(frame.Length, pin.TotalLength);
        Assert.Equal(frame[..20], pin.Data);
    }

    [Fact]
    public void GotoTableWriteMetadataAndALaterMatchOnIt()
    {
        var h = new XlateHarness(
            null,
            "table=0,in_port=1,actions=write_metadata:0x5/0xff,goto_table:1",
            "table=1,metadata=0x5/0xff,udp,tp_dst=53,actions=output:3",
            "table=1,priority=1,actions=output:4");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2", dport: 53));
        Assert.Equal("3", Format(t.Actions));
        Assert.Equal(2, t.Credited!.OfType<OfRule>().Count());
        Assert.Equal([h.Pipeline.Counters(0).Matched, h.Pipeline.Counters(1).Matched], t.Credited!.Where(c => c is not OfRule));
        t = h.Translate(Udp("10.0.0.1", "10.0.0.2", dport: 54));
        Assert.Equal("4", Format(t.Actions));
    }

    [Fact]
    public void AFieldRewrittenBeforeALaterTableMatchesOnItIsNotInTheMegaflow()
    {
        var h = new XlateHarness(
            null,
            "table=0,ip,actions=mod_nw_dst:10.1.1.1,goto_table:1",
            "table=1,ip,nw_dst=10.1.1.1,actions=output:2");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "172.16.0.9"));
        Assert.Equal("set(ipv4(dst=10.1.1.1)),2", Format(t.Actions));
        Assert.False(Masks(t.Megaflow.Mask, FlowKey.Offsets.NwDst, 4), "the rewritten nw_dst is a constant of the translation");
    }

    [Fact]
    public void TheActionSetRunsAtTheEndInOpenFlowOrderAndClearActionsEmptiesIt()
    {
        var h = new XlateHarness(
            null,
            "table=0,ip,actions=write_actions(output:2,mod_nw_src:1.1.1.1),goto_table:1",
            "table=1,ip,actions=write_actions(mod_nw_src:2.2.2.2)");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));

        // The set-field precedes the output although written after it, and the later write replaced the first.
        Assert.Equal("set(ipv4(src=2.2.2.2)),2", Format(t.Actions));

        var cleared = new XlateHarness(
            null,
            "table=0,ip,actions=write_actions(output:2),goto_table:1",
            "table=1,ip,actions=clear_actions");
        Assert.Empty(cleared.Translate(Udp("10.0.0.1", "10.0.0.2")).Actions);
    }

    [Fact]
    public void ReservedPortsAndTheInputPort()
    {
        var h = new XlateHarness(null, "in_port=1,actions=output:1,output:2,in_port,flood");
        h.Ports.Set(4, noFlood: true);
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));

        // output:1 back out the input port is dropped; IN_PORT is not; FLOOD skips the input and no-flood ports.
        Assert.Equal("2,1,2,3", Format(t.Actions));

        var all = new XlateHarness(null, "in_port=2,actions=all");
        all.Ports.Set(4, noFlood: true);
        Assert.Equal("1,3,4", Format(all.Translate(Udp("10.0.0.1", "10.0.0.2", inPort: 2)).Actions));
    }

    [Fact]
    public void ControllerOutputCarriesItsContextToThePacketIn()
    {
        var h = new XlateHarness(null, "table=0,cookie=0x77,udp,actions=mod_nw_dst:10.9.9.9,controller:64");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));
        Assert.StartsWith("set(ipv4(dst=10.9.9.9)),userspace(", Format(t.Actions));
        byte[] frame = UpcallTestPackets.Udp4("10.0.0.1", "10.9.9.9", 1000, 53);
        h.Xlate.OnActionUpcall(ActionUpcall(frame, 1, CookieOf(t.Actions)));
        PacketIn pin = Assert.Single(h.PacketIns);
        Assert.Equal(PacketInReason.Action, pin.Reason);
        Assert.Equal(0x77ul, pin.Cookie);
        Assert.Equal(1u, pin.InPort);
        Assert.Equal(frame.Length, pin.Data.Length);
    }

    [Fact]
    public void DecTtlMatchesOneTtlBitAndAnExpiringTtlGoesToTheController()
    {
        var h = new XlateHarness(null, "ip,actions=dec_ttl,output:2");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2", ttl: 64));
        Assert.Equal("dec_ttl,2", Format(t.Actions));
        Assert.Equal(0x40, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.NwTtl]);

        // 65 shares the megaflow (bit 6 set), and gets the same actions.
        Assert.True(t.Megaflow.Matches(Udp("10.0.0.1", "10.0.0.2", ttl: 65)));

        t = h.Translate(Udp("10.0.0.1", "10.0.0.2", ttl: 1));
        Assert.StartsWith("userspace(", Format(t.Actions));
        Assert.DoesNotContain(",2", Format(t.Actions));
        Assert.Equal(0xff, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.NwTtl]);
    }

    [Fact]
    public void VlanPushSetAndPop()
    {
        var h = new XlateHarness(
            null,
            "in_port=1,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:2",
            "in_port=3,actions=mod_vlan_vid:7,output:2",
            "in_port=4,actions=strip_vlan,output:2",
            "in_port=5,actions=push_vlan:0x8100,mod_dl_dst:02:00:00:00:00:99,mod_vlan_pcp:5,set_field:4196->vlan_vid,output:2,mod_vlan_vid:9,output:3");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));

        // The VID set right after the push is the pushed tag's, as Open vSwitch's push_vlan(vid=100,pcp=0): no set of its own.
        Assert.Equal("push_vlan(vid=100,pcp=0),2", Normalize(Format(t.Actions)));

        // So are a PCP and a VID set with other fields in between; a set after an output is a set of its own.
        t = h.Translate(Udp("10.0.0.1", "10.0.0.2", inPort: 5));
        Assert.Equal("push_vlan(vid=100,pcp=5),set(eth(dst=02:00:00:00:00:99)),2,set(vlan(vid=9)),3", Normalize(Format(t.Actions)));
        t = h.Translate(Udp("10.0.0.1", "10.0.0.2", inPort: 3));
        Assert.Equal("push_vlan(vid=7,pcp=0),2", Normalize(Format(t.Actions)));

        // Popping from an untagged packet does nothing, and the megaflow says the packet had no tag.
        t = h.Translate(Udp("10.0.0.1", "10.0.0.2", inPort: 4));
        Assert.Equal("2", Format(t.Actions));
        Assert.Equal(0x10, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.Vlan0 + 2] & 0x10);
    }

    [Fact]
    public void AnUntaggedPacketsMegaflowMatchesOnlyTheAbsenceOfATag()
    {
        // The dl_vlan rule's subtable is ruled out at L2 with its VID bits; for an untagged packet "no tag"
        // already fixes them (Open vSwitch's datapath flow has no VLAN at all), so only the present bit stays.
        var h = new XlateHarness(null, "priority=200,in_port=1,dl_vlan=5,actions=output:2", "priority=100,in_port=1,actions=output:3");
        FlowTranslation t = h.Translate(Udp("10.0.0.1", "10.0.0.2"));
        Assert.Equal("3", Format(t.Actions));
        Assert.Equal(new byte[] { 0, 0, 0x10, 0, 0, 0, 0, 0 }, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.Vlan0..(FlowKey.Offsets.Vlan0 + 8)]);

        // A tagged packet's VID is what the rule looked at: it stays.
        FlowKey tagged = Udp("10.0.0.1", "10.0.0.2");
        tagged.Bytes[FlowKey.Offsets.Vlan0] = 0x81;
        tagged.Bytes[FlowKey.Offsets.Vlan0 + 2] = 0x10;
        tagged.Bytes[FlowKey.Offsets.Vlan0 + 3] = 7;
        t = h.Translate(tagged);
        Assert.Equal("3", Format(t.Actions));
        Assert.Equal(0x1f, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.Vlan0 + 2] & 0x1f);
        Assert.Equal(0xff, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.Vlan0 + 3]);
    }

    [Fact]
    public void PushVlanOverATagStartsTheNewTagAtZeroAsOpenVSwitchDoes()
    {
        // Open vSwitch's push_vlan does not copy the VID and PCP of the tag it goes over (the pipeline suite's
        // push-vlan-over-tag cases): the new tag is 0, and the megaflow need not match the old tag's bits.
        var h = new XlateHarness(null, "actions=push_vlan:0x88a8,output:2");
        byte[] frame = Upcalls.UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", 1000, 53);
        byte[] tagged = [.. frame[..12], 0x81, 0x00, 0x60, 0x0a, .. frame[12..]];
        FlowTranslation t = h.Translate(XlateHarness.KeyOf(tagged, 1));
        Assert.Equal("push_vlan(tpid=0x88a8,vid=0,pcp=0),2", Format(t.Actions));
        Assert.Equal(0, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.Vlan0 + 2] & 0xef);
        Assert.Equal(0, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.Vlan0 + 3]);
    }

    [Fact]
    public void AMissInALaterTableStillRunsTheActionSetAsOpenVSwitchDoes()
    {
        // The pipeline suite's action-set-dropped-on-miss: Open vSwitch outputs what table 0 wrote although
        // table 1 has no rule for the packet.
        var h = new XlateHarness(null, "table=0,actions=write_actions(output:2),goto_table:1", "table=1,tcp,actions=output:3");
        Assert.Equal("2", Format(h.Translate(Udp("10.0.0.1", "10.0.0.2")).Actions));
    }

    [Fact]
    public void AnUnsupportedActionIsRefusedAndCounted()
    {
        // A lookup after pop_mpls would need the packet parsed again, which xlate does not do.
        var h = new XlateHarness(null, "table=0,ip,actions=push_mpls:0x8847,pop_mpls:0x0800,goto_table:1", "table=1,actions=output:2");
        Assert.False(h.Xlate.Translate(Udp("10.0.0.1", "10.0.0.2"), default, out _));
        Assert.Equal(1, h.Xlate.Failures);
        Assert.Contains("pop_mpls", h.Xlate.LastFailure);
    }

    private static string Normalize(string s) => s.Replace("tpid=0x8100,", string.Empty, StringComparison.Ordinal);

    private static uint Ipv4MaskOf(in FlowKey mask, int offset) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(MaskBytes(mask).AsSpan(offset));

    private static ulong CookieOf(byte[] actions)
    {
        // The userspace action is the last one; its cookie is its last eight bytes (little-endian).
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(actions.AsSpan(actions.Length - 8));
    }

    private static Upcall ActionUpcall(byte[] frame, uint inPort, ulong cookie)
    {
        var u = new Upcall { Key = KeyOf(frame, inPort), InPort = inPort, Reason = UpcallReason.Action, Cookie = cookie, Length = frame.Length };
        frame.CopyTo(u.Data);
        return u;
    }
}
