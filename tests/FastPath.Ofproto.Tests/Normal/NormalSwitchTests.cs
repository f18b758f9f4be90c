using System.Buffers.Binary;
using FastPath.Ofproto.Normal;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Normal;

/// <summary>NORMAL decisions: learning, forwarding, flooding, drops, VLAN changes, megaflow dependencies, version.</summary>
public class NormalSwitchTests
{
    private const ulong A = 0x0200_0000_000aUL;
    private const ulong B = 0x0200_0000_000bUL;
    private const ulong C = 0x0200_0000_000cUL;

    private static readonly NormalPort[] FourTrunks =
    [
        new(1, PortVlanConfig.Default),
        new(2, PortVlanConfig.Default),
        new(3, PortVlanConfig.Default),
        new(4, PortVlanConfig.Default),
    ];

    private static uint[] OutPorts(NormalDecision d) => d.Outputs.ToArray().Select(o => o.Port).ToArray();

    private static NormalDecision Decide(NormalSwitch sw, uint inPort, ulong src, ulong dst, ReadOnlySpan<NormalPort> ports, long now = 0, ushort tci = 0, ushort innerTci = 0, bool learnFrom = true)
    {
        var d = new NormalDecision();
        FlowKey key = NormalFrames.Key(inPort, src, dst, tci, innerTci);
        sw.Decide(inPort, key, ports, now, d, learnFrom);
        return d;
    }

    [Fact]
    public void LearnsTheSourceThenForwardsToTheLearnedPortOnly()
    {
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 1, A, B, FourTrunks);
        Assert.Equal(NormalVerdict.Flood, d.Verdict);
        Assert.Equal([2u, 3u, 4u], OutPorts(d));
        Assert.Equal(MacLearnResult.Learned, d.Learning);

        d = Decide(sw, 3, B, A, FourTrunks);
        Assert.Equal(NormalVerdict.Forward, d.Verdict);
        Assert.Equal([new NormalOutput(1, NormalVlanAction.None)], d.Outputs.ToArray());

        d = Decide(sw, 1, A, B, FourTrunks);
        Assert.Equal(NormalVerdict.Forward, d.Verdict);
        Assert.Equal([3u], OutPorts(d));
        Assert.Equal(MacLearnResult.Refreshed, d.Learning);
    }

    [Fact]
    public void BroadcastAndMulticastFloodToEveryOtherPort()
    {
        var sw = new NormalSwitch();
        Decide(sw, 2, A, B, FourTrunks);
        foreach (ulong dst in new[] { EthernetAddress.Broadcast, 0x0100_5e00_00fbUL, 0x3333_0000_0001UL })
        {
            NormalDecision d = Decide(sw, 1, B, dst, FourTrunks);
            Assert.Equal(NormalVerdict.Flood, d.Verdict);
            Assert.Equal([2u, 3u, 4u], OutPorts(d));
        }
    }

    [Fact]
    public void AMulticastSourceIsNotLearned()
    {
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 1, 0x0100_5e00_0001UL, B, FourTrunks);
        Assert.Equal(MacLearnResult.NotLearned, d.Learning);
        Assert.Equal(0, sw.Table.Count);
        Assert.Equal([2u, 3u, 4u], OutPorts(d));
    }

    [Fact]
    public void AFrameNeverGoesBackOutItsInputPort()
    {
        var sw = new NormalSwitch();
        Decide(sw, 2, A, EthernetAddress.Broadcast, FourTrunks);

        // B, on port 2 too, sends to A: A was learned on the input port.
        NormalDecision d = Decide(sw, 2, B, A, FourTrunks);
        Assert.Equal(NormalVerdict.DropLearnedOnInPort, d.Verdict);
        Assert.True(d.IsDrop);
        Assert.Equal("drop (DropLearnedOnInPort)", d.ToString());
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0x02)]
    [InlineData(0x03)]
    [InlineData(0x04)]
    [InlineData(0x05)]
    [InlineData(0x06)]
    [InlineData(0x07)]
    [InlineData(0x08)]
    [InlineData(0x09)]
    [InlineData(0x0a)]
    [InlineData(0x0b)]
    [InlineData(0x0c)]
    [InlineData(0x0d)]
    [InlineData(0x0e)]
    [InlineData(0x0f)]
    public void ReservedLinkLocalMulticastIsDroppedAndNotLearnedFrom(int last)
    {
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 1, A, 0x0180_c200_0000UL | (uint)last, FourTrunks);
        Assert.Equal(NormalVerdict.DropReservedMulticast, d.Verdict);
        Assert.True(d.IsDrop);
        Assert.Equal(0, sw.Table.Count);
    }

    [Fact]
    public void TheAddressAfterTheReservedBlockFloods()
    {
        var sw = new NormalSwitch();
        Assert.Equal([2u, 3u, 4u], OutPorts(Decide(sw, 1, A, 0x0180_c200_0010UL, FourTrunks)));
    }

    [Fact]
    public void ForwardBpduFloodsReservedAddressesAndChangesTheVersion()
    {
        var sw = new NormalSwitch();
        ulong v = sw.Version;
        sw.ForwardBpdu = true;
        Assert.NotEqual(v, sw.Version);
        v = sw.Version;
        sw.ForwardBpdu = true;
        Assert.Equal(v, sw.Version);

        NormalDecision d = Decide(sw, 1, A, 0x0180_c200_0000UL, FourTrunks);
        Assert.Equal(NormalVerdict.Flood, d.Verdict);
        Assert.Equal([2u, 3u, 4u], OutPorts(d));
        Assert.Equal(1, sw.Table.Count);
    }

    [Fact]
    public void ANoFloodPortGetsNoFloodButStillGetsItsLearnedUnicast()
    {
        NormalPort[] ports = [new(1, PortVlanConfig.Default), new(2, PortVlanConfig.Default, Flood: false), new(3, PortVlanConfig.Default)];
        var sw = new NormalSwitch();
        Assert.Equal([3u], OutPorts(Decide(sw, 1, A, B, ports)));
        Decide(sw, 2, B, EthernetAddress.Broadcast, ports);
        Assert.Equal([2u], OutPorts(Decide(sw, 1, A, B, ports)));
    }

    [Fact]
    public void AFrameFromAPortOutsideTheBridgeIsDropped()
    {
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 9, A, B, FourTrunks);
        Assert.Equal(NormalVerdict.DropUnknownInPort, d.Verdict);
        Assert.Equal(0, sw.Table.Count);
    }

    [Fact]
    public void APartialVlanTagIsDropped()
    {
        // FlowExtractor leaves a cut tag's TPID as the Ethernet type, with no TCI.
        var sw = new NormalSwitch();
        var d = new NormalDecision();
        sw.Decide(1, NormalFrames.Key(1, A, B, ethType: EtherTypes.Vlan8021Q), FourTrunks, 0, d);
        Assert.Equal(NormalVerdict.DropPartialVlanTag, d.Verdict);
        Assert.True((d.Fields & NormalKeyFields.DlType) != 0);
        Assert.Equal(0, sw.Table.Count);
    }

    [Fact]
    public void AMovedAddressIsForwardedToItsNewPort()
    {
        var sw = new NormalSwitch();
        Decide(sw, 1, A, EthernetAddress.Broadcast, FourTrunks);
        Assert.Equal([1u], OutPorts(Decide(sw, 2, B, A, FourTrunks)));

        ulong v = sw.Version;
        NormalDecision d = Decide(sw, 3, A, EthernetAddress.Broadcast, FourTrunks, now: 5);
        Assert.Equal(MacLearnResult.Moved, d.Learning);
        Assert.NotEqual(v, d.Version);
        Assert.Equal([3u], OutPorts(Decide(sw, 2, B, A, FourTrunks, now: 6)));
        Assert.Equal(1ul, sw.Table.Stats.Moved);
    }

    [Fact]
    public void AnAgedOutDestinationFloodsAgain()
    {
        var sw = new NormalSwitch(new MacLearningTable(agingSeconds: 60));
        Decide(sw, 1, A, EthernetAddress.Broadcast, FourTrunks, now: 100);
        NormalDecision d = Decide(sw, 2, B, A, FourTrunks, now: 159);
        Assert.Equal(NormalVerdict.Forward, d.Verdict);
        ulong v = d.Version;

        d = Decide(sw, 2, B, A, FourTrunks, now: 160);
        Assert.Equal(NormalVerdict.Flood, d.Verdict);
        Assert.Equal([1u, 3u, 4u], OutPorts(d));
        Assert.NotEqual(v, d.Version);
    }

    [Fact]
    public void LearningIsPerVlan()
    {
        NormalPort[] ports =
        [
            new(1, PortVlanConfig.AccessPort(10)),
            new(2, PortVlanConfig.AccessPort(10)),
            new(3, PortVlanConfig.AccessPort(20)),
            new(4, PortVlanConfig.AccessPort(20)),
            new(5, PortVlanConfig.TrunkPort()),
        ];
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 1, A, EthernetAddress.Broadcast, ports);
        Assert.Equal((ushort)10, d.Vlan);
        Assert.Equal([2u, 5u], OutPorts(d));

        // A is known in VLAN 10 only: a frame to A in VLAN 20 floods VLAN 20.
        d = Decide(sw, 3, B, A, ports);
        Assert.Equal(NormalVerdict.Flood, d.Verdict);
        Assert.Equal([4u, 5u], OutPorts(d));

        // In VLAN 10, from the trunk: forwarded, its tag removed for the access port.
        d = Decide(sw, 5, C, A, ports, tci: 0x100a);
        Assert.Equal([new NormalOutput(1, NormalVlanAction.Pop)], d.Outputs.ToArray());
        Assert.Equal("pop_vlan,1", d.ToString());

        // And back: A to C, learned on the trunk in VLAN 10, gets the tag.
        d = Decide(sw, 1, A, C, ports);
        Assert.Equal([new NormalOutput(5, NormalVlanAction.Push, 10)], d.Outputs.ToArray());
        Assert.Equal("push_vlan(vid=10,pcp=0),5", d.ToString());
    }

    [Fact]
    public void ANativeUntaggedPortSendsItsNativeVlanUntaggedAndOthersTagged()
    {
        NormalPort[] ports =
        [
            new(1, PortVlanConfig.Create(PortVlanMode.NativeUntagged, tag: 10)),
            new(2, PortVlanConfig.TrunkPort()),
            new(3, PortVlanConfig.Create(PortVlanMode.NativeTagged, tag: 10)),
        ];
        var sw = new NormalSwitch();

        // Untagged in on the native port: in VLAN 10; the trunk and the native-tagged port get a tag.
        NormalDecision d = Decide(sw, 1, A, EthernetAddress.Broadcast, ports);
        Assert.Equal((ushort)10, d.Vlan);
        Assert.Equal([new NormalOutput(2, NormalVlanAction.Push, 10), new NormalOutput(3, NormalVlanAction.Push, 10)], d.Outputs.ToArray());

        // VLAN 10 from the trunk: untagged out of the native-untagged port, tagged out of the native-tagged one.
        d = Decide(sw, 2, B, EthernetAddress.Broadcast, ports, tci: 0x100a);
        Assert.Equal([new NormalOutput(1, NormalVlanAction.Pop), new NormalOutput(3, NormalVlanAction.None)], d.Outputs.ToArray());

        // VLAN 30 from the trunk: tagged out of both native ports (empty trunks = all VLANs).
        d = Decide(sw, 2, B, EthernetAddress.Broadcast, ports, tci: 0x101e);
        Assert.Equal([new NormalOutput(1, NormalVlanAction.None), new NormalOutput(3, NormalVlanAction.None)], d.Outputs.ToArray());
    }

    [Fact]
    public void AVlanTheInputPortDoesNotCarryIsDropped()
    {
        NormalPort[] ports = [new(1, PortVlanConfig.AccessPort(10)), new(2, PortVlanConfig.TrunkPort(10, 20)), new(3, PortVlanConfig.TrunkPort())];
        var sw = new NormalSwitch();

        // An access port drops any tagged frame with a nonzero VID, its own VLAN included.
        Assert.Equal(NormalVerdict.DropVlanNotAllowed, Decide(sw, 1, A, B, ports, tci: 0x100a).Verdict);

        // A trunk drops VLANs outside its trunks, VLAN 0 (untagged) included.
        Assert.Equal(NormalVerdict.DropVlanNotAllowed, Decide(sw, 2, A, B, ports, tci: 0x101e).Verdict);
        Assert.Equal(NormalVerdict.DropVlanNotAllowed, Decide(sw, 2, A, B, ports).Verdict);
        Assert.Equal(0, sw.Table.Count);

        // A priority-tagged frame (VID 0) is an access port's VLAN; it leaves the trunk with the VID set, priority kept.
        NormalDecision d = Decide(sw, 1, A, B, ports, tci: 0xb000);
        Assert.Equal((ushort)10, d.Vlan);
        Assert.Equal([new NormalOutput(2, NormalVlanAction.SetVid, 10), new NormalOutput(3, NormalVlanAction.SetVid, 10)], d.Outputs.ToArray());
    }

    [Fact]
    public void ALearnedPortThatNoLongerCarriesTheVlanOrLeftTheBridgeIsNotUsed()
    {
        NormalPort[] ports = [new(1, PortVlanConfig.AccessPort(10)), new(2, PortVlanConfig.AccessPort(10)), new(3, PortVlanConfig.TrunkPort())];
        var sw = new NormalSwitch();
        Decide(sw, 2, A, EthernetAddress.Broadcast, ports);

        NormalPort[] reconfigured = [ports[0], new(2, PortVlanConfig.AccessPort(20)), ports[2]];
        Assert.Equal(NormalVerdict.DropLearnedPortGone, Decide(sw, 1, B, A, reconfigured, learnFrom: false).Verdict);

        NormalPort[] removed = [ports[0], ports[2]];
        Assert.Equal(NormalVerdict.DropLearnedPortGone, Decide(sw, 1, B, A, removed, learnFrom: false).Verdict);

        // Flushing the port (what the caller does on reconfiguration) makes the destination unknown: flood.
        sw.Table.FlushPort(2);
        Assert.Equal(NormalVerdict.Flood, Decide(sw, 1, B, A, removed, learnFrom: false).Verdict);
    }

    [Fact]
    public void DecidingWithoutLearningLeavesTheTableAlone()
    {
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 1, A, B, FourTrunks, learnFrom: false);
        Assert.Equal(MacLearnResult.NotLearned, d.Learning);
        Assert.Equal(0, sw.Table.Count);
        Assert.Equal(0ul, d.Version);
    }

    [Fact]
    public void TheDecisionDependsOnInPortAddressesTypeAndVlanIdAndTagPresence()
    {
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 1, A, B, FourTrunks);
        Assert.Equal(NormalKeyFields.InPort | NormalKeyFields.DlSrc | NormalKeyFields.DlDst | NormalKeyFields.DlType | NormalKeyFields.Vlan0Tci, d.Fields);
        Assert.Equal(NormalDecision.VidCfiMask, d.Vlan0TciMask);

        FlowKey mask = default;
        d.UnwildcardInto(ref mask);
        FlowKey expected = default;
        expected.InPort = uint.MaxValue;
        expected.DlSrc.Fill(0xff);
        expected.DlDst.Fill(0xff);
        expected.EthType = 0xffff;
        BinaryPrimitives.WriteUInt16BigEndian(expected.Bytes[(FlowKey.Offsets.Vlan0 + 2)..], 0x1fff);
        Assert.Equal(expected, mask);

        // Un-wildcarding adds to what is there.
        FlowKey partial = default;
        partial.NwProto = 0xff;
        BinaryPrimitives.WriteUInt16BigEndian(partial.Bytes[(FlowKey.Offsets.Vlan0 + 2)..], 0xe000);
        d.UnwildcardInto(ref partial);
        Assert.Equal(0xff, partial.NwProto);
        Assert.Equal(0xffff, BinaryPrimitives.ReadUInt16BigEndian(partial.Bytes[(FlowKey.Offsets.Vlan0 + 2)..]));
    }

    [Fact]
    public void APriorityTaggedFrameInVlan0DependsOnItsPriority()
    {
        // Whether a VID 0 frame leaves a trunk tagged depends on its priority (OVS keeps nonzero priorities).
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 1, A, B, FourTrunks, tci: 0x1000);
        Assert.Equal([2u, 3u, 4u], OutPorts(d));
        Assert.All(d.Outputs.ToArray(), o => Assert.Equal(NormalVlanAction.Pop, o.VlanAction));
        Assert.Equal(0xffff, d.Vlan0TciMask);

        d = Decide(sw, 1, A, B, FourTrunks, tci: 0xb000);
        Assert.All(d.Outputs.ToArray(), o => Assert.Equal(NormalVlanAction.None, o.VlanAction));

        // A tagged frame in a nonzero VLAN does not.
        d = Decide(sw, 1, A, B, FourTrunks, tci: 0x100a);
        Assert.Equal(NormalDecision.VidCfiMask, d.Vlan0TciMask);
    }

    [Fact]
    public void AnInnerTagKeepsAFrameOffAccessPortsAndIsExposedByANativeUntaggedPop()
    {
        // As ovs-vswitchd with vlan-limit=2 (FastPath's key always holds two tags).
        NormalPort[] ports =
        [
            new(1, PortVlanConfig.TrunkPort()),
            new(2, PortVlanConfig.AccessPort(10)),
            new(3, PortVlanConfig.Create(PortVlanMode.NativeUntagged, tag: 10)),
            new(4, PortVlanConfig.TrunkPort()),
        ];
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 1, A, EthernetAddress.Broadcast, ports, tci: 0x100a, innerTci: 0x1014);
        Assert.Equal([new NormalOutput(3, NormalVlanAction.Pop), new NormalOutput(4, NormalVlanAction.None)], d.Outputs.ToArray());
        Assert.True((d.Fields & NormalKeyFields.Vlan1Tci) != 0);
        Assert.Equal(NormalDecision.VidCfiMask, d.Vlan1TciMask);

        FlowKey mask = default;
        d.UnwildcardInto(ref mask);
        Assert.Equal(0x1fff, BinaryPrimitives.ReadUInt16BigEndian(mask.Bytes[(FlowKey.Offsets.Vlan1 + 2)..]));

        // Single-tagged, the access port takes it.
        d = Decide(sw, 1, A, EthernetAddress.Broadcast, ports, tci: 0x100a);
        Assert.Equal([2u, 3u, 4u], OutPorts(d));
    }

    [Fact]
    public void TheVersionMovesOnlyWhenADecisionCouldChange()
    {
        var sw = new NormalSwitch();
        NormalDecision d = Decide(sw, 1, A, B, FourTrunks, now: 0);
        ulong v1 = d.Version;
        Assert.Equal(sw.Version, v1);
        Assert.NotEqual(0ul, v1);

        // The same source again: a refresh, nothing a megaflow depends on.
        Assert.Equal(v1, Decide(sw, 1, A, B, FourTrunks, now: 1).Version);

        // A new source: flows that flooded toward it are stale.
        Assert.NotEqual(v1, Decide(sw, 2, B, A, FourTrunks, now: 2).Version);
    }

    [Fact]
    public void DecidingAllocatesNothing()
    {
        NormalPort[] ports =
        [
            new(1, PortVlanConfig.TrunkPort()),
            new(2, PortVlanConfig.AccessPort(10)),
            new(3, PortVlanConfig.Create(PortVlanMode.NativeUntagged, tag: 10)),
            new(4, PortVlanConfig.TrunkPort(10, 20)),
            new(5, PortVlanConfig.AccessPort(10)),
        ];
        var sw = new NormalSwitch(new MacLearningTable(maxEntries: 100));
        var d = new NormalDecision();
        FlowKey[] keys = new FlowKey[64];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = NormalFrames.Key(1, 0x0200_0000_0000UL | (uint)i, i % 3 == 0 ? EthernetAddress.Broadcast : 0x0200_0000_0000UL | (uint)(i + 1), tci: 0x100a);
        }

        long now = 0;
        Action decide = () =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                sw.Decide((uint)((i % 5) + 1), keys[i % keys.Length], ports, now++, d);
            }
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(decide));
    }
}
