using System.Buffers.Binary;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.OpenFlow.Tests.Fields;

/// <summary>The field registry: names, OXM ids, and that each field reads and writes the key bytes the datapath uses.</summary>
public class OfFieldsTests
{
    [Fact]
    public void EveryOpenFlow13BasicFieldIsRegisteredWithItsOxmNumber()
    {
        string[] expected =
        [
            "in_port", "in_phy_port", "metadata", "eth_dst", "eth_src", "eth_type", "vlan_vid", "vlan_pcp", "ip_dscp", "nw_ecn",
            "nw_proto", "ip_src", "ip_dst", "tcp_src", "tcp_dst", "udp_src", "udp_dst", "sctp_src", "sctp_dst", "icmp_type",
            "icmp_code", "arp_op", "arp_spa", "arp_tpa", "arp_sha", "arp_tha", "ipv6_src", "ipv6_dst", "ipv6_label", "icmpv6_type",
            "icmpv6_code", "nd_target", "nd_sll", "nd_tll", "mpls_label", "mpls_tc", "mpls_bos", "pbb_isid", "tun_id", "ipv6_exthdr",
        ];
        for (int i = 0; i < expected.Length; i++)
        {
            OfField? f = OfFields.FindByOxm(OxmClass.OpenFlowBasic, (byte)i);
            Assert.NotNull(f);
            Assert.Equal(expected[i], f.Name);
        }

        Assert.Equal("reg3", OfFields.FindByOxm(OxmClass.Nxm1, 3)!.Name);
        Assert.Equal(0x80000a02u, OfFields.EthType.OxmHeader(false));
        Assert.Equal(0x80001908u, OfFields.IpDst.OxmHeader(hasMask: true));
        Assert.Equal(0x00010004u, OfFields.Reg(0).OxmHeader(false));
        Assert.Equal(0x80004c08u, OfFields.TunId.OxmHeader(false));
    }

    [Fact]
    public void NamesAndAliasesResolveAndAreUnique()
    {
        Assert.Same(OfFields.EthSrc, OfFields.Find("dl_src"));
        Assert.Same(OfFields.IpSrc, OfFields.Find("nw_src"));
        Assert.Same(OfFields.IpSrc, OfFields.Find("ipv4_src"));
        Assert.Same(OfFields.NwEcn, OfFields.Find("ip_ecn"));
        Assert.Same(OfFields.NwProto, OfFields.Find("ip_proto"));
        Assert.Same(OfFields.TunId, OfFields.Find("tunnel_id"));
        Assert.Same(OfFields.IpFrag, OfFields.Find("nw_frag"));
        Assert.Same(OfFields.Reg(7), OfFields.FindByNxmName("NXM_NX_REG7"));
        Assert.Null(OfFields.Find("no_such_field"));
        var names = OfFields.All.SelectMany(f => f.Aliases.Prepend(f.Name)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void FieldsReadTheDatapathKeysBytes()
    {
        FlowKey fk = default;
        fk.EthType = EtherTypes.Mpls;
        BinaryPrimitives.WriteUInt32BigEndian(fk.Bytes[FlowKey.Offsets.Vlan0..], 0x8100_b005);
        BinaryPrimitives.WriteUInt32BigEndian(fk.Bytes[FlowKey.Offsets.MplsLse..], (12345u << 12) | (5u << 9) | 0x100 | 64);
        fk.NwTos = 0xb9;
        PipelineKey k = PipelineKey.FromPacket(fk);

        Assert.Equal(0x1005u, (uint)OfFields.VlanVid.Read(k));
        Assert.Equal(5u, (uint)OfFields.VlanPcp.Read(k));
        Assert.Equal(0xb005u, (uint)OfFields.VlanTci.Read(k));
        Assert.Equal(fk.MplsLabel, (uint)OfFields.MplsLabel.Read(k));
        Assert.Equal(fk.MplsTc, (byte)OfFields.MplsTc.Read(k));
        Assert.Equal(1u, (uint)OfFields.MplsBos.Read(k));
        Assert.Equal(fk.MplsTtl, (byte)OfFields.MplsTtl.Read(k));
        Assert.Equal(0xb9u >> 2, (uint)OfFields.IpDscp.Read(k));
        Assert.Equal(0xb8u, (uint)OfFields.NwTos.Read(k));
        Assert.Equal(1u, (uint)OfFields.NwEcn.Read(k));
        Assert.Equal((uint)EtherTypes.Mpls, (uint)OfFields.EthType.Read(k));
    }

    [Fact]
    public void WritingASubByteFieldLeavesItsNeighboursAlone()
    {
        PipelineKey k = default;
        k.PacketPart.NwTos = 0x03;
        OfFields.IpDscp.Write(ref k, 46);
        Assert.Equal((46 << 2) | 3, k.PacketPart.NwTos);
        OfFields.NwEcn.Write(ref k, 0);
        Assert.Equal(46 << 2, k.PacketPart.NwTos);

        OfFields.Metadata.Write(ref k, 0x1122334455667788);
        Assert.Equal(0x1122334455667788ul, k.Metadata);
        OfFields.Metadata.WriteMasked(ref k, 0xff, 0xf0);
        Assert.Equal(0x11223344556677f8ul, k.Metadata);
        OfFields.Reg(5).Write(ref k, 0xdeadbeef);
        Assert.Equal(0xdeadbeefu, k.Reg(5));

        OfFields.Ipv6Src.Write(ref k, (UInt128.One << 127) | 1);
        Assert.Equal(0x80, k.PacketPart.Ipv6Src[0]);
        Assert.Equal(1, k.PacketPart.Ipv6Src[15]);
        OfFields.EthSrc.Write(ref k, 0x0011_2233_4455);
        Assert.Equal(new byte[] { 0, 0x11, 0x22, 0x33, 0x44, 0x55 }, k.PacketPart.DlSrc.ToArray());
    }

    [Fact]
    public void PrerequisitesLookAtExactlyMatchedTypeAndProtocol()
    {
        PipelineMatch m = default;
        Assert.False(Prerequisites.IsSatisfied(OfFields.TcpDst.Prerequisite, m));
        OfFields.EthType.Set(ref m, EtherTypes.Ipv6, 0xffff);
        Assert.True(Prerequisites.IsSatisfied(OfFields.IpDscp.Prerequisite, m));
        Assert.False(Prerequisites.IsSatisfied(OfFields.IpSrc.Prerequisite, m));
        OfFields.NwProto.Set(ref m, 6, 0xff);
        Assert.True(Prerequisites.IsSatisfied(OfFields.TcpDst.Prerequisite, m));
        Assert.False(Prerequisites.IsSatisfied(OfFields.UdpDst.Prerequisite, m));
        Assert.True(Prerequisites.IsSatisfied(OfFields.TpDst.Prerequisite, m));
        Assert.False(OfFields.EthType.Writable);
        Assert.False(OfFields.IpDscp.Maskable);
        Assert.True(OfFields.VlanVid.Maskable);
    }
}
