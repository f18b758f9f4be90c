using System.Diagnostics;
using FastPath.Ofproto.Normal;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Tests.Normal;
using FastPath.Ofproto.Upcalls;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;
using FastPath.Packets;
using static FastPath.Ofproto.Tests.Xlate.XlateHarness;

namespace FastPath.Ofproto.Tests.Xlate;

/// <summary>
/// actions=NORMAL through xlate on a bridge with access ports 1 and 2 (VLAN 10), a trunk 3 (VLANs 10 and 20) and
/// an access port 4 (VLAN 20): flooding, learning, unicast, VLAN tags pushed and popped per port, the megaflow,
/// versions for revalidation, aging, and reconfiguration.
/// </summary>
public class NormalXlateTests
{
    private const ulong A = 0x0200_0000_000aUL;
    private const ulong B = 0x0200_0000_000bUL;
    private const ulong C = 0x0200_0000_000cUL;
    private static readonly long Second = Stopwatch.Frequency;

    private readonly OfPipeline pipeline = new();
    private readonly BridgePorts ports;
    private readonly OfXlate xlate;
    private long now = 1000 * Second;

    public NormalXlateTests()
    {
        ports = new BridgePorts(new NormalBridge(clock: () => now));
        for (uint p = 1; p <= 4; p++)
        {
            ports.Set(p);
        }

        ports.Normal.SetVlan(1, PortVlanConfig.AccessPort(10));
        ports.Normal.SetVlan(2, PortVlanConfig.AccessPort(10));
        ports.Normal.SetVlan(3, PortVlanConfig.TrunkPort(10, 20));
        ports.Normal.SetVlan(4, PortVlanConfig.AccessPort(20));
        pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse("actions=NORMAL")), 0);
        xlate = new OfXlate(pipeline, ports);
    }

    // A miss with its packet: NORMAL learns.
    private FlowTranslation Miss(uint inPort, ulong src, ulong dst, ushort tci = 0)
    {
        byte[] frame = NormalFrames.Udp(src, dst, tci);
        Assert.True(xlate.Translate(KeyOf(frame, inPort), frame, out FlowTranslation t), xlate.LastFailure);
        return t;
    }

    // A revalidation: no packet, no learning.
    private FlowTranslation Revalidate(uint inPort, ulong src, ulong dst, ushort tci = 0)
    {
        Assert.True(xlate.Translate(KeyOf(NormalFrames.Udp(src, dst, tci), inPort), default, out FlowTranslation t), xlate.LastFailure);
        return t;
    }

    private static string Actions(in FlowTranslation t) => Normalize(Format(t.Actions));

    private static string Normalize(string s) => s.Replace("tpid=0x8100,", string.Empty, StringComparison.Ordinal);

    private List<MacLearningEntry> Fdb() => ports.Normal.Table.Snapshot(now);

    [Fact]
    public void BroadcastFromAnAccessPortFloodsItsVlanOnlyTaggedOnTheTrunk()
    {
        FlowTranslation t = Miss(1, A, EthernetAddress.Broadcast);
        Assert.Equal("2,push_vlan(vid=10,pcp=0),3", Actions(t));
        Assert.True(t.Install);

        // The megaflow: in_port, both addresses, dl_type, and that the frame has no tag (which, for an untagged
        // frame, fixes the VID NORMAL looked at); nothing of L3 or L4.
        FlowKey m = t.Megaflow.Mask;
        Assert.True(Masks(m, FlowKey.Offsets.InPort, 4));
        Assert.Equal(Enumerable.Repeat((byte)0xff, 12), MaskBytes(m).AsSpan(FlowKey.Offsets.DlDst, 12).ToArray());
        Assert.True(Masks(m, FlowKey.Offsets.DlType, 2));
        Assert.Equal(0x10, MaskBytes(m)[FlowKey.Offsets.Vlan0 + 2]);
        Assert.Equal(0x00, MaskBytes(m)[FlowKey.Offsets.Vlan0 + 3]);
        Assert.False(Masks(m, FlowKey.Offsets.NwSrc, 4), "nw_src must stay wildcarded");
        Assert.False(Masks(m, FlowKey.Offsets.NwDst, 4), "nw_dst must stay wildcarded");
        Assert.False(Masks(m, FlowKey.Offsets.TpSrc, 4), "L4 ports must stay wildcarded");
    }

    [Fact]
    public void TheAnswerIsUnicastToTheLearnedPortAndThenTheFirstDirectionToo()
    {
        Assert.Equal("2,push_vlan(vid=10,pcp=0),3", Actions(Miss(1, A, B)));
        Assert.Equal([new MacLearningEntry(1, 10, A, 0)], Fdb());

        // B answers tagged on the trunk: unicast to A, untagged on its access port.
        Assert.Equal("pop_vlan,1", Actions(Miss(3, B, A, (ushort)(FlowKey.VlanCfi | 10))));
        Assert.Equal("push_vlan(vid=10,pcp=0),3", Actions(Miss(1, A, B)));

        // Without learning (a revalidation), the same flows give the same answers.
        Assert.Equal("push_vlan(vid=10,pcp=0),3", Actions(Revalidate(1, A, B)));
        Assert.Equal(2, Fdb().Count);
    }

    [Fact]
    public void VlansAreKeptApart()
    {
        Miss(1, A, EthernetAddress.Broadcast);

        // A was learned in VLAN 10: in VLAN 20 it is unknown, so a frame to it floods VLAN 20 only.
        Assert.Equal("pop_vlan,4", Actions(Miss(3, C, A, (ushort)(FlowKey.VlanCfi | 20))));

        // The trunk does not carry VLAN 30, and an access port takes no tagged frame: both drop, with a megaflow.
        FlowTranslation drop = Miss(3, C, A, (ushort)(FlowKey.VlanCfi | 30));
        Assert.Empty(drop.Actions);
        Assert.True(drop.Install);
        Assert.Empty(Miss(2, C, A, (ushort)(FlowKey.VlanCfi | 10)).Actions);

        // A destination learned on the input port itself drops.
        Miss(2, B, A);
        Assert.Empty(Miss(2, C, B).Actions);
    }

    [Fact]
    public void LearningMovesTheVersionAndRevalidationSeesTheNewDecision()
    {
        FlowTranslation flood = Miss(1, A, B);
        long before = xlate.Version;
        Miss(3, B, A, (ushort)(FlowKey.VlanCfi | 10));
        Assert.NotEqual(before, xlate.Version);

        // The A->B megaflow, re-translated, is now a unicast with the same match.
        FlowTranslation again = Revalidate(1, A, B);
        Assert.Equal("2,push_vlan(vid=10,pcp=0),3", Actions(flood));
        Assert.Equal("push_vlan(vid=10,pcp=0),3", Actions(again));
        Assert.Equal(flood.Megaflow, again.Megaflow);

        // Seeing a known address again on the same port changes nothing a decision depends on.
        long learned = xlate.Version;
        Miss(3, B, A, (ushort)(FlowKey.VlanCfi | 10));
        Assert.Equal(learned, xlate.Version);
    }

    [Fact]
    public void ATraceLearnsOnlyWhenAskedTo()
    {
        byte[] frame = NormalFrames.Udp(A, EthernetAddress.Broadcast);
        long before = xlate.Version;
        XlateTrace trace = xlate.Trace(KeyOf(frame, 1));
        Assert.True(trace.Succeeded, trace.Error);
        Assert.Equal("2,push_vlan(vid=10,pcp=0),3", Normalize(Format(trace.Actions)));
        Assert.Contains(trace.Lines, l => l.Contains("flooding", StringComparison.Ordinal));
        Assert.Empty(Fdb());
        Assert.Equal(before, xlate.Version);

        xlate.Trace(KeyOf(frame, 1), learn: true);
        Assert.Equal([new MacLearningEntry(1, 10, A, 0)], Fdb());
    }

    [Fact]
    public void AddressesAgeOutByThePeriodicRunAndTheNextFrameFloods()
    {
        Miss(3, B, A, (ushort)(FlowKey.VlanCfi | 10));
        now += 299 * Second;
        xlate.RunPeriodic(now);
        Assert.Equal("push_vlan(vid=10,pcp=0),3", Actions(Revalidate(1, A, B)));

        long before = xlate.Version;
        now += 1 * Second;
        xlate.RunPeriodic(now);
        Assert.Empty(Fdb());
        Assert.NotEqual(before, xlate.Version);
        Assert.Equal("2,push_vlan(vid=10,pcp=0),3", Actions(Revalidate(1, A, B)));
    }

    [Fact]
    public void TheAgingTimeIsConfigurable()
    {
        ports.Normal.Table.AgingSeconds = 30;
        Miss(3, B, A, (ushort)(FlowKey.VlanCfi | 10));
        now += 30 * Second;
        xlate.RunPeriodic(now);
        Assert.Empty(Fdb());
    }

    [Fact]
    public void AMegaflowsTrafficKeepsItsSourceLearned()
    {
        FlowTranslation t = Miss(3, B, A, (ushort)(FlowKey.VlanCfi | 10));

        // The datapath forwarded packets by the megaflow 200 s later: the revalidator credits them, and B is seen again.
        now += 200 * Second;
        FlowStatsCredit.CreditAll(t.Credited, 5, 500, now);
        now += 200 * Second;
        xlate.RunPeriodic(now);
        Assert.Equal([new MacLearningEntry(3, 10, B, 200)], Fdb());

        // No traffic: nothing is refreshed.
        FlowStatsCredit.CreditAll(t.Credited, 0, 0, now);
        now += 100 * Second;
        xlate.RunPeriodic(now);
        Assert.Empty(Fdb());
    }

    [Fact]
    public void ReconfiguringAPortsVlanFlushesItsAddressesAndMovesTheVersion()
    {
        Miss(1, A, EthernetAddress.Broadcast);
        FlowTranslation fromB = Miss(2, B, EthernetAddress.Broadcast);
        Assert.Equal(2, Fdb().Count);

        long before = xlate.Version;
        ports.Normal.SetVlan(2, PortVlanConfig.AccessPort(20));
        Assert.NotEqual(before, xlate.Version);
        Assert.Equal([new MacLearningEntry(1, 10, A, 0)], Fdb());

        // Port 2 is in VLAN 20 now: VLAN 10's broadcast skips it, VLAN 20's reaches it.
        Assert.Equal("push_vlan(vid=10,pcp=0),3", Actions(Revalidate(1, A, EthernetAddress.Broadcast)));
        Assert.Equal("2,push_vlan(vid=20,pcp=0),3", Actions(Revalidate(4, C, EthernetAddress.Broadcast)));

        // Traffic of a megaflow made before the change does not bring the flushed address back.
        FlowStatsCredit.CreditAll(fromB.Credited, 1, 100, now);
        Assert.Single(Fdb());

        // Setting the same configuration again flushes nothing.
        Miss(2, B, EthernetAddress.Broadcast);
        long same = xlate.Version;
        ports.Normal.SetVlan(2, PortVlanConfig.AccessPort(20));
        Assert.Equal(same, xlate.Version);
        Assert.Equal(2, Fdb().Count);
    }

    [Fact]
    public void RemovingAPortForgetsItsAddressesAndItsVlan()
    {
        Miss(2, B, EthernetAddress.Broadcast);
        Assert.Equal("2", Actions(Miss(1, A, B)));
        ports.Remove(2);
        Assert.DoesNotContain(Fdb(), e => e.Port == 2);
        Assert.Equal("push_vlan(vid=10,pcp=0),3", Actions(Revalidate(1, A, B)));

        // Back without configuration: a trunk of every VLAN, as Open vSwitch's default.
        ports.Set(2);
        Assert.Same(PortVlanConfig.Default, ports.Normal.VlanOf(2));
        Assert.Equal("push_vlan(vid=10,pcp=0),2,3", Actions(Revalidate(1, A, B)));
    }

    [Fact]
    public void NoFloodPortsGetNoFloodButStillTheirLearnedUnicast()
    {
        ports.Set(2, noFlood: true);
        Assert.Equal("push_vlan(vid=10,pcp=0),3", Actions(Miss(1, A, B)));
        Miss(2, B, A);
        Assert.Equal("2", Actions(Miss(1, A, B)));
    }

    [Fact]
    public void AnActionAfterNormalSeesTheFrameAsItArrived()
    {
        pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse("priority=40000,in_port=1,actions=NORMAL,output:4")), 0);

        // NORMAL left the trunk's tag on the datapath's copy; output:4 gets the frame untagged, as it arrived.
        Assert.Equal("2,push_vlan(vid=10,pcp=0),3,pop_vlan,4", Actions(Miss(1, A, B)));

        // Nothing after NORMAL: nothing is put back.
        pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse("priority=40000,in_port=3,actions=NORMAL")), 0);
        Assert.Equal("pop_vlan,1,2", Actions(Miss(3, C, B, (ushort)(FlowKey.VlanCfi | 10))));
    }

    [Fact]
    public void FloodingFromATrunkPopsForAccessPortsAndPutsTheTagBackForTheNextTrunk()
    {
        ports.Set(5);
        ports.Normal.SetVlan(5, PortVlanConfig.TrunkPort());
        Assert.Equal("pop_vlan,1,2,push_vlan(vid=10,pcp=5),5", Actions(Miss(3, C, EthernetAddress.Broadcast, (ushort)(FlowKey.VlanCfi | (5 << 13) | 10))));

        // Putting the frame's own tag back makes the megaflow match all of it, priority included.
        FlowTranslation t = Miss(3, C, EthernetAddress.Broadcast, (ushort)(FlowKey.VlanCfi | 10));
        Assert.Equal("pop_vlan,1,2,push_vlan(vid=10,pcp=0),5", Actions(t));
        Assert.Equal(0xff, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.Vlan0 + 2]);
    }

    [Fact]
    public void AFrameFromAnUnknownPortIsDropped()
    {
        Assert.Empty(Miss(7, A, B).Actions);
        Assert.Empty(Fdb());
    }

    [Fact]
    public void ANativeVlanTrunkGivesPriorityTaggedFramesItsVlanAndTheOtherTrunkTheVid()
    {
        // Port 5: native-tagged in VLAN 10. A priority-tagged frame on it is in VLAN 10; it leaves the access
        // ports untagged and the trunk with VID 10 and its priority.
        ports.Set(5);
        ports.Normal.SetVlan(5, PortVlanConfig.Create(PortVlanMode.NativeTagged, tag: 10));
        ushort priorityTagged = (ushort)(FlowKey.VlanCfi | (3 << 13));
        Assert.Equal("pop_vlan,1,2,push_vlan(vid=10,pcp=3),3", Actions(Miss(5, C, EthernetAddress.Broadcast, priorityTagged)));

        // To an address learned on the trunk: only the VID changes, whatever the priority.
        Miss(3, B, C, (ushort)(FlowKey.VlanCfi | 10));
        FlowTranslation t = Miss(5, C, B, priorityTagged);
        Assert.Equal("set(vlan(vid=10)),3", Actions(t));
        Assert.Equal(0x1f, MaskBytes(t.Megaflow.Mask)[FlowKey.Offsets.Vlan0 + 2] & 0xff);
    }
}
