using System.Buffers.Binary;
using FastPath.Datapath.Actions;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Xlate;

/// <summary>Rewritten header bits become masked datapath sets, and the megaflow matches none of the rewritten bits.</summary>
public class PendingSetsTests
{
    private static PipelineKey Packet(ushort dlType, byte nwProto)
    {
        FlowKey k = default;
        k.InPort = 1;
        k.EthType = dlType;
        k.NwProto = nwProto;
        return PipelineKey.FromPacket(k);
    }

    private static byte[] Commit(PendingSets sets, in PipelineKey flow, ref PipelineKey wildcards)
    {
        var b = new ActionProgramBuilder();
        Assert.True(sets.Commit(flow, ref wildcards, b, out string? error), error);
        return b.ToArray();
    }

    [Fact]
    public void ARewrittenIpv4SourceIsAFullMaskedSetAndTheMegaflowMatchesOnlyDlType()
    {
        PipelineKey flow = Packet(EtherTypes.Ipv4, 17);
        var sets = new PendingSets();
        BinaryPrimitives.WriteUInt32BigEndian(flow.Bytes[FlowKey.Offsets.NwSrc..], 0xc0b58901); // 192.181.137.1
        sets.Mark(FlowKey.Offsets.NwSrc, [0xff, 0xff, 0xff, 0xff]);
        PipelineKey wc = default;
        byte[] actions = Commit(sets, flow, ref wc);

        Assert.Equal(new ActionProgramBuilder().Set(ActionField.Ipv4Src, [192, 181, 137, 1]).ToArray(), actions);
        var expectedWc = default(PipelineKey);
        expectedWc.Bytes.Slice(FlowKey.Offsets.DlType, 2).Fill(0xff);
        Assert.Equal(expectedWc, wc);
        Assert.False(sets.Any);

        // Committed once: a second commit says nothing.
        Assert.Empty(Commit(sets, flow, ref wc));
    }

    [Fact]
    public void OnlyTheWrittenBitsAreSet()
    {
        PipelineKey flow = Packet(EtherTypes.Ipv4, 6);
        var sets = new PendingSets();
        flow.Bytes[FlowKey.Offsets.NwDst + 3] = 0x07;
        sets.Mark(FlowKey.Offsets.NwDst + 3, [0x0f]);
        flow.Bytes[FlowKey.Offsets.NwTos] = 0xb8;
        sets.Mark(FlowKey.Offsets.NwTos, [0xfc]);
        PipelineKey wc = default;
        byte[] actions = Commit(sets, flow, ref wc);
        byte[] expected = new ActionProgramBuilder()
            .SetMasked(ActionField.Ipv4Dst, [0, 0, 0, 0x07], [0, 0, 0, 0x0f])
            .SetMasked(ActionField.Ipv4Tos, [0xb8], [0xfc])
            .ToArray();
        Assert.Equal(expected, actions);
    }

    [Theory]
    [InlineData(6, ActionField.TcpDst)]
    [InlineData(17, ActionField.UdpDst)]
    [InlineData(132, ActionField.SctpDst)]
    public void L4PortsFollowTheProtocolWhichTheMegaflowThenMatches(byte proto, ActionField field)
    {
        PipelineKey flow = Packet(EtherTypes.Ipv4, proto);
        var sets = new PendingSets();
        BinaryPrimitives.WriteUInt16BigEndian(flow.Bytes[FlowKey.Offsets.TpDst..], 8080);
        sets.Mark(FlowKey.Offsets.TpDst, [0xff, 0xff]);
        PipelineKey wc = default;
        Assert.Equal(new ActionProgramBuilder().Set(field, [0x1f, 0x90]).ToArray(), Commit(sets, flow, ref wc));
        Assert.Equal(0xff, wc.ReadOnlyBytes[FlowKey.Offsets.NwProto]);
        Assert.Equal(0xff, wc.ReadOnlyBytes[FlowKey.Offsets.DlType]);
        Assert.Equal(0, wc.ReadOnlyBytes[FlowKey.Offsets.TpDst]);
    }

    [Fact]
    public void Ipv6FieldsUseTheIpv6Sets()
    {
        PipelineKey flow = Packet(EtherTypes.Ipv6, 17);
        var sets = new PendingSets();
        flow.Bytes.Slice(FlowKey.Offsets.NwSrc, 16).Fill(0x20);
        sets.Mark(FlowKey.Offsets.NwSrc, new byte[16].Select(_ => (byte)0xff).ToArray());
        flow.Bytes[FlowKey.Offsets.NwTtl] = 9;
        sets.Mark(FlowKey.Offsets.NwTtl, [0xff]);
        PipelineKey wc = default;
        byte[] expected = new ActionProgramBuilder()
            .Set(ActionField.Ipv6Src, new byte[16].Select(_ => (byte)0x20).ToArray())
            .Set(ActionField.Ipv6HopLimit, [9])
            .ToArray();
        Assert.Equal(expected, Commit(sets, flow, ref wc));
    }

    [Fact]
    public void MacsAndVlanTciNeedNoProtocol()
    {
        PipelineKey flow = Packet(EtherTypes.Arp, 0);
        var sets = new PendingSets();
        flow.Bytes.Slice(FlowKey.Offsets.DlSrc, 6).Fill(0x0a);
        sets.Mark(FlowKey.Offsets.DlSrc, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        PipelineKey wc = default;
        Assert.Equal(new ActionProgramBuilder().SetEthSrc([10, 10, 10, 10, 10, 10]).ToArray(), Commit(sets, flow, ref wc));
        Assert.Equal(default, wc);
    }

    [Fact]
    public void ArpFieldsUseTheArpSetsAndTheOpcodeIsSixteenBits()
    {
        PipelineKey flow = Packet(EtherTypes.Arp, 2);
        var sets = new PendingSets();
        sets.Mark(FlowKey.Offsets.NwProto, [0xff]);
        BinaryPrimitives.WriteUInt32BigEndian(flow.Bytes[FlowKey.Offsets.NwSrc..], 0x0a090807);
        sets.Mark(FlowKey.Offsets.NwSrc, [0xff, 0xff, 0xff, 0xff]);
        flow.Bytes.Slice(FlowKey.Offsets.ArpTha, 6).Fill(0x0b);
        sets.Mark(FlowKey.Offsets.ArpTha, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        PipelineKey wc = default;
        byte[] expected = new ActionProgramBuilder()
            .SetMasked(ActionField.ArpOp, [0, 2], [0, 0xff])
            .Set(ActionField.ArpSpa, [10, 9, 8, 7])
            .Set(ActionField.ArpTha, [11, 11, 11, 11, 11, 11])
            .ToArray();
        Assert.Equal(expected, Commit(sets, flow, ref wc));
        Assert.Equal(0xffff, BinaryPrimitives.ReadUInt16BigEndian(wc.ReadOnlyBytes[FlowKey.Offsets.DlType..]));
    }

    [Theory]
    [InlineData(EtherTypes.Ipv4, IpProtocols.Icmp, ActionField.IcmpType, ActionField.IcmpCode)]
    [InlineData(EtherTypes.Ipv6, IpProtocols.IcmpV6, ActionField.Icmpv6Type, ActionField.Icmpv6Code)]
    public void IcmpTypeAndCodeUseTheIcmpSetsOfTheProtocol(ushort dlType, byte proto, ActionField type, ActionField code)
    {
        PipelineKey flow = Packet(dlType, proto);
        var sets = new PendingSets();
        flow.Bytes[FlowKey.Offsets.TpSrc + 1] = 129;
        flow.Bytes[FlowKey.Offsets.TpDst + 1] = 5;
        sets.Mark(FlowKey.Offsets.TpSrc, [0, 0xff]);
        sets.Mark(FlowKey.Offsets.TpDst, [0, 0xff]);
        PipelineKey wc = default;
        Assert.Equal(new ActionProgramBuilder().Set(type, [129]).Set(code, [5]).ToArray(), Commit(sets, flow, ref wc));
        Assert.Equal(0xff, wc.ReadOnlyBytes[FlowKey.Offsets.NwProto]);
    }

    [Fact]
    public void NeighborDiscoveryFieldsUseTheNdSets()
    {
        PipelineKey flow = Packet(EtherTypes.Ipv6, IpProtocols.IcmpV6);
        var sets = new PendingSets();
        flow.Bytes[FlowKey.Offsets.NdTarget + 15] = 0x99;
        sets.Mark(FlowKey.Offsets.NdTarget + 15, [0xff]);
        flow.Bytes.Slice(FlowKey.Offsets.ArpSha, 6).Fill(0x0a);
        sets.Mark(FlowKey.Offsets.ArpSha, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        PipelineKey wc = default;
        byte[] target = new byte[16];
        byte[] targetMask = new byte[16];
        target[15] = 0x99;
        targetMask[15] = 0xff;
        byte[] expected = new ActionProgramBuilder()
            .SetMasked(ActionField.NdTarget, target, targetMask)
            .Set(ActionField.NdSll, [10, 10, 10, 10, 10, 10])
            .ToArray();
        Assert.Equal(expected, Commit(sets, flow, ref wc));
        Assert.Equal(0xff, wc.ReadOnlyBytes[FlowKey.Offsets.NwProto]);
    }

    [Fact]
    public void PipelineOnlyFieldsNeverReachTheDatapath()
    {
        PipelineKey flow = Packet(EtherTypes.Ipv4, 17);
        var sets = new PendingSets();
        flow.Metadata = 7;
        sets.Mark(PipelineKey.Offsets.Metadata, [0xff]);
        PipelineKey wc = default;
        Assert.Empty(Commit(sets, flow, ref wc));
        Assert.False(sets.Any);
    }

    [Fact]
    public void AWriteWithNoDatapathSetForThePacketIsAnError()
    {
        // GRE has no ports: a write to the key's L4 words has no datapath set for it.
        PipelineKey flow = Packet(EtherTypes.Ipv4, 47);
        var sets = new PendingSets();
        sets.Mark(FlowKey.Offsets.TpSrc, [0xff, 0xff]);
        PipelineKey wc = default;
        Assert.False(sets.Commit(flow, ref wc, new ActionProgramBuilder(), out string? error));
        Assert.Contains("no datapath set", error);
    }
}
