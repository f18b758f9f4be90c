using System.Collections.Frozen;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;
using P = FastPath.OpenFlow.Fields.FieldPrerequisite;

namespace FastPath.OpenFlow.Fields;

/// <summary>
/// The registry of match fields: every OpenFlow 1.3 basic OXM field, Open vSwitch's metadata, registers
/// reg0-reg7 and tun_id, and the OpenFlow 1.0 views (dl_vlan, dl_vlan_pcp, nw_tos, tp_src, tp_dst) that
/// Open vSwitch's flow syntax keeps. Names and aliases are those of ovs-fields(7).
/// </summary>
public static class OfFields
{
    private const OxmClass B = OxmClass.OpenFlowBasic;
    private const OxmClass N0 = OxmClass.Nxm0;
    private const OxmClass N1 = OxmClass.Nxm1;
    private static readonly UInt128 U16 = 0xffff, U32 = 0xffffffff, U48 = 0xffff_ffff_ffff, U64 = ulong.MaxValue;

    /// <summary>in_port: the OpenFlow port the packet arrived on (32 bits as OpenFlow 1.1+; in the key's in_port word).</summary>
    public static readonly OfField InPort = F("in_port", ["in_port_oxm"], "NXM_OF_IN_PORT", B, 0, 32, FlowKey.Offsets.InPort, 4, false, U32, false, P.None, true, FieldFormat.Port);
    /// <summary>in_phy_port: the physical port under a logical in_port.</summary>
    public static readonly OfField InPhyPort = F("in_phy_port", [], "OXM_OF_IN_PHY_PORT", B, 1, 32, PipelineKey.Offsets.InPhyPort, 4, false, U32, false, P.InPort, false, FieldFormat.Port);
    /// <summary>metadata: 64 bits carried between tables (write_metadata).</summary>
    public static readonly OfField Metadata = F("metadata", [], "OXM_OF_METADATA", B, 2, 64, PipelineKey.Offsets.Metadata, 8, false, U64, true, P.None, true, FieldFormat.Hex);
    /// <summary>eth_dst (dl_dst).</summary>
    public static readonly OfField EthDst = F("eth_dst", ["dl_dst"], "NXM_OF_ETH_DST", B, 3, 48, FlowKey.Offsets.DlDst, 6, true, U48, true, P.None, true, FieldFormat.Ethernet);
    /// <summary>eth_src (dl_src).</summary>
    public static readonly OfField EthSrc = F("eth_src", ["dl_src"], "NXM_OF_ETH_SRC", B, 4, 48, FlowKey.Offsets.DlSrc, 6, true, U48, true, P.None, true, FieldFormat.Ethernet);
    /// <summary>eth_type (dl_type): the Ethernet type after VLAN tags; read-only.</summary>
    public static readonly OfField EthType = F("eth_type", ["dl_type"], "NXM_OF_ETH_TYPE", B, 5, 16, FlowKey.Offsets.DlType, 2, true, U16, false, P.None, false, FieldFormat.Hex);
    /// <summary>vlan_vid: the outer tag's VID plus OFPVID_PRESENT (0x1000), the key TCI's low 13 bits.</summary>
    public static readonly OfField VlanVid = F("vlan_vid", [], "OXM_OF_VLAN_VID", B, 6, 13, FlowKey.Offsets.Vlan0 + 2, 2, true, 0x1fff, true, P.None, true, FieldFormat.Decimal);
    /// <summary>vlan_pcp: the outer tag's priority (TCI bits 13-15).</summary>
    public static readonly OfField VlanPcp = F("vlan_pcp", [], "OXM_OF_VLAN_PCP", B, 7, 3, FlowKey.Offsets.Vlan0 + 2, 2, true, 0xe000, false, P.Vlan, true, FieldFormat.Decimal);
    /// <summary>vlan_tci: the whole outer TCI, with the CFI bit meaning "tag present".</summary>
    public static readonly OfField VlanTci = F("vlan_tci", [], "NXM_OF_VLAN_TCI", N0, 4, 16, FlowKey.Offsets.Vlan0 + 2, 2, true, U16, true, P.None, true, FieldFormat.Hex);
    /// <summary>dl_vlan: the OpenFlow 1.0 VID (12 bits; matching it also requires a tag, 0xffff means none).</summary>
    public static readonly OfField DlVlan = F("dl_vlan", [], null, N0, 0, 12, FlowKey.Offsets.Vlan0 + 2, 2, true, 0x0fff, false, P.None, true, FieldFormat.Decimal);
    /// <summary>dl_vlan_pcp: the OpenFlow 1.0 priority (matching it also requires a tag).</summary>
    public static readonly OfField DlVlanPcp = F("dl_vlan_pcp", [], null, N0, 0, 3, FlowKey.Offsets.Vlan0 + 2, 2, true, 0xe000, false, P.None, true, FieldFormat.Decimal);
    /// <summary>ip_dscp: the six DSCP bits as a number (tos &gt;&gt; 2).</summary>
    public static readonly OfField IpDscp = F("ip_dscp", [], "OXM_OF_IP_DSCP", B, 8, 6, FlowKey.Offsets.NwTos, 1, true, 0xfc, false, P.IpAny, true, FieldFormat.Decimal);
    /// <summary>nw_tos: the DSCP bits in place (tos &amp; 0xfc), as OpenFlow 1.0.</summary>
    public static readonly OfField NwTos = F("nw_tos", [], "NXM_OF_IP_TOS", N0, 5, 8, FlowKey.Offsets.NwTos, 1, true, 0xfc, false, P.IpAny, true, FieldFormat.Decimal, valueShift: 0);
    /// <summary>nw_ecn (ip_ecn): the two ECN bits.</summary>
    public static readonly OfField NwEcn = F("nw_ecn", ["ip_ecn"], "NXM_NX_IP_ECN", B, 9, 2, FlowKey.Offsets.NwTos, 1, true, 0x03, false, P.IpAny, true, FieldFormat.Decimal);
    /// <summary>nw_proto (ip_proto): IP protocol / IPv6 next header; read-only.</summary>
    public static readonly OfField NwProto = F("nw_proto", ["ip_proto"], "NXM_OF_IP_PROTO", B, 10, 8, FlowKey.Offsets.NwProto, 1, true, 0xff, false, P.IpAny, false, FieldFormat.Decimal);
    /// <summary>nw_ttl: IPv4 TTL / IPv6 hop limit.</summary>
    public static readonly OfField NwTtl = F("nw_ttl", [], "NXM_NX_IP_TTL", N1, 29, 8, FlowKey.Offsets.NwTtl, 1, true, 0xff, false, P.IpAny, true, FieldFormat.Decimal);
    /// <summary>ip_frag (nw_frag): fragment bits; read-only.</summary>
    public static readonly OfField IpFrag = F("ip_frag", ["nw_frag"], "NXM_NX_IP_FRAG", N1, 26, 8, FlowKey.Offsets.NwFrag, 1, true, 0x03, true, P.IpAny, false, FieldFormat.Frag);
    /// <summary>ip_src (nw_src, ipv4_src).</summary>
    public static readonly OfField IpSrc = F("ip_src", ["nw_src", "ipv4_src"], "NXM_OF_IP_SRC", B, 11, 32, FlowKey.Offsets.NwSrc, 4, true, U32, true, P.Ipv4, true, FieldFormat.Ipv4);
    /// <summary>ip_dst (nw_dst, ipv4_dst).</summary>
    public static readonly OfField IpDst = F("ip_dst", ["nw_dst", "ipv4_dst"], "NXM_OF_IP_DST", B, 12, 32, FlowKey.Offsets.NwDst, 4, true, U32, true, P.Ipv4, true, FieldFormat.Ipv4);
    /// <summary>tcp_src.</summary>
    public static readonly OfField TcpSrc = F("tcp_src", [], "NXM_OF_TCP_SRC", B, 13, 16, FlowKey.Offsets.TpSrc, 2, true, U16, true, P.Tcp, true, FieldFormat.Decimal);
    /// <summary>tcp_dst.</summary>
    public static readonly OfField TcpDst = F("tcp_dst", [], "NXM_OF_TCP_DST", B, 14, 16, FlowKey.Offsets.TpDst, 2, true, U16, true, P.Tcp, true, FieldFormat.Decimal);
    /// <summary>udp_src.</summary>
    public static readonly OfField UdpSrc = F("udp_src", [], "NXM_OF_UDP_SRC", B, 15, 16, FlowKey.Offsets.TpSrc, 2, true, U16, true, P.Udp, true, FieldFormat.Decimal);
    /// <summary>udp_dst.</summary>
    public static readonly OfField UdpDst = F("udp_dst", [], "NXM_OF_UDP_DST", B, 16, 16, FlowKey.Offsets.TpDst, 2, true, U16, true, P.Udp, true, FieldFormat.Decimal);
    /// <summary>sctp_src.</summary>
    public static readonly OfField SctpSrc = F("sctp_src", [], "OXM_OF_SCTP_SRC", B, 17, 16, FlowKey.Offsets.TpSrc, 2, true, U16, true, P.Sctp, true, FieldFormat.Decimal);
    /// <summary>sctp_dst.</summary>
    public static readonly OfField SctpDst = F("sctp_dst", [], "OXM_OF_SCTP_DST", B, 18, 16, FlowKey.Offsets.TpDst, 2, true, U16, true, P.Sctp, true, FieldFormat.Decimal);
    /// <summary>tp_src: the OpenFlow 1.0 L4 source port, whichever of TCP, UDP or SCTP the match selects.</summary>
    public static readonly OfField TpSrc = F("tp_src", [], null, B, 0, 16, FlowKey.Offsets.TpSrc, 2, true, U16, true, P.L4Ports, true, FieldFormat.Decimal);
    /// <summary>tp_dst: the OpenFlow 1.0 L4 destination port.</summary>
    public static readonly OfField TpDst = F("tp_dst", [], null, B, 0, 16, FlowKey.Offsets.TpDst, 2, true, U16, true, P.L4Ports, true, FieldFormat.Decimal);
    /// <summary>icmp_type (icmpv4_type); Open vSwitch also takes it for ICMPv6.</summary>
    public static readonly OfField IcmpType = F("icmp_type", ["icmpv4_type"], "NXM_OF_ICMP_TYPE", B, 19, 8, FlowKey.Offsets.TpSrc, 2, true, 0xff, false, P.IcmpAny, true, FieldFormat.Decimal);
    /// <summary>icmp_code (icmpv4_code).</summary>
    public static readonly OfField IcmpCode = F("icmp_code", ["icmpv4_code"], "NXM_OF_ICMP_CODE", B, 20, 8, FlowKey.Offsets.TpDst, 2, true, 0xff, false, P.IcmpAny, true, FieldFormat.Decimal);
    /// <summary>arp_op: the ARP opcode (the key keeps its low byte, as Open vSwitch's nw_proto).</summary>
    public static readonly OfField ArpOp = F("arp_op", [], "NXM_OF_ARP_OP", B, 21, 16, FlowKey.Offsets.NwProto, 1, true, 0xff, false, P.Arp, true, FieldFormat.Decimal);
    /// <summary>arp_spa: ARP sender protocol address.</summary>
    public static readonly OfField ArpSpa = F("arp_spa", [], "NXM_OF_ARP_SPA", B, 22, 32, FlowKey.Offsets.NwSrc, 4, true, U32, true, P.Arp, true, FieldFormat.Ipv4);
    /// <summary>arp_tpa: ARP target protocol address.</summary>
    public static readonly OfField ArpTpa = F("arp_tpa", [], "NXM_OF_ARP_TPA", B, 23, 32, FlowKey.Offsets.NwDst, 4, true, U32, true, P.Arp, true, FieldFormat.Ipv4);
    /// <summary>arp_sha: ARP sender hardware address.</summary>
    public static readonly OfField ArpSha = F("arp_sha", [], "NXM_NX_ARP_SHA", B, 24, 48, FlowKey.Offsets.ArpSha, 6, true, U48, true, P.Arp, true, FieldFormat.Ethernet);
    /// <summary>arp_tha: ARP target hardware address.</summary>
    public static readonly OfField ArpTha = F("arp_tha", [], "NXM_NX_ARP_THA", B, 25, 48, FlowKey.Offsets.ArpTha, 6, true, U48, true, P.Arp, true, FieldFormat.Ethernet);
    /// <summary>ipv6_src.</summary>
    public static readonly OfField Ipv6Src = F("ipv6_src", [], "NXM_NX_IPV6_SRC", B, 26, 128, FlowKey.Offsets.NwSrc, 16, true, UInt128.MaxValue, true, P.Ipv6, true, FieldFormat.Ipv6);
    /// <summary>ipv6_dst.</summary>
    public static readonly OfField Ipv6Dst = F("ipv6_dst", [], "NXM_NX_IPV6_DST", B, 27, 128, FlowKey.Offsets.NwDst, 16, true, UInt128.MaxValue, true, P.Ipv6, true, FieldFormat.Ipv6);
    /// <summary>ipv6_label: the 20-bit flow label.</summary>
    public static readonly OfField Ipv6Label = F("ipv6_label", [], "NXM_NX_IPV6_LABEL", B, 28, 20, FlowKey.Offsets.Ipv6Label, 4, true, 0xfffff, true, P.Ipv6, true, FieldFormat.Hex);
    /// <summary>icmpv6_type.</summary>
    public static readonly OfField Icmpv6Type = F("icmpv6_type", [], "NXM_NX_ICMPV6_TYPE", B, 29, 8, FlowKey.Offsets.TpSrc, 2, true, 0xff, false, P.Icmp6, true, FieldFormat.Decimal);
    /// <summary>icmpv6_code.</summary>
    public static readonly OfField Icmpv6Code = F("icmpv6_code", [], "NXM_NX_ICMPV6_CODE", B, 30, 8, FlowKey.Offsets.TpDst, 2, true, 0xff, false, P.Icmp6, true, FieldFormat.Decimal);
    /// <summary>nd_target: the IPv6 neighbor discovery target.</summary>
    public static readonly OfField NdTarget = F("nd_target", [], "NXM_NX_ND_TARGET", B, 31, 128, FlowKey.Offsets.NdTarget, 16, true, UInt128.MaxValue, true, P.Nd, true, FieldFormat.Ipv6);
    /// <summary>nd_sll: the source link-layer address option of a neighbor solicitation.</summary>
    public static readonly OfField NdSll = F("nd_sll", [], "NXM_NX_ND_SLL", B, 32, 48, FlowKey.Offsets.ArpSha, 6, true, U48, true, P.NdSolicit, true, FieldFormat.Ethernet);
    /// <summary>nd_tll: the target link-layer address option of a neighbor advertisement.</summary>
    public static readonly OfField NdTll = F("nd_tll", [], "NXM_NX_ND_TLL", B, 33, 48, FlowKey.Offsets.ArpTha, 6, true, U48, true, P.NdAdvert, true, FieldFormat.Ethernet);
    /// <summary>mpls_label: the outermost label (LSE bits 12-31).</summary>
    public static readonly OfField MplsLabel = F("mpls_label", [], "OXM_OF_MPLS_LABEL", B, 34, 20, FlowKey.Offsets.MplsLse, 4, true, 0xfffff000, false, P.Mpls, true, FieldFormat.Decimal);
    /// <summary>mpls_tc: the outermost traffic class (LSE bits 9-11).</summary>
    public static readonly OfField MplsTc = F("mpls_tc", [], "OXM_OF_MPLS_TC", B, 35, 3, FlowKey.Offsets.MplsLse, 4, true, 0xe00, false, P.Mpls, true, FieldFormat.Decimal);
    /// <summary>mpls_bos: the outermost bottom-of-stack bit; read-only.</summary>
    public static readonly OfField MplsBos = F("mpls_bos", [], "OXM_OF_MPLS_BOS", B, 36, 1, FlowKey.Offsets.MplsLse, 4, true, 0x100, false, P.Mpls, false, FieldFormat.Decimal);
    /// <summary>mpls_ttl: the outermost TTL (LSE bits 0-7; Open vSwitch's NXM field).</summary>
    public static readonly OfField MplsTtl = F("mpls_ttl", [], "NXM_NX_MPLS_TTL", N1, 30, 8, FlowKey.Offsets.MplsLse, 4, true, 0xff, false, P.Mpls, true, FieldFormat.Decimal);
    /// <summary>pbb_isid: the PBB I-SID (24 bits).</summary>
    public static readonly OfField PbbIsid = F("pbb_isid", [], "OXM_OF_PBB_ISID", B, 37, 24, PipelineKey.Offsets.PbbIsid, 4, false, 0xffffff, true, P.Pbb, true, FieldFormat.Hex);
    /// <summary>tun_id (tunnel_id): the tunnel's 64-bit key.</summary>
    public static readonly OfField TunId = F("tun_id", ["tunnel_id"], "NXM_NX_TUN_ID", B, 38, 64, PipelineKey.Offsets.TunnelId, 8, false, U64, true, P.None, true, FieldFormat.Hex);
    /// <summary>ipv6_exthdr: which IPv6 extension headers the packet had (OFPIEH_* bits); read-only.</summary>
    public static readonly OfField Ipv6Exthdr = F("ipv6_exthdr", [], "OXM_OF_IPV6_EXTHDR", B, 39, 9, PipelineKey.Offsets.Ipv6Exthdr, 2, false, 0x1ff, true, P.Ipv6, false, FieldFormat.Ipv6ExtHdr);
    /// <summary>tcp_flags: the 12 TCP flag bits; read-only.</summary>
    public static readonly OfField TcpFlags = F("tcp_flags", [], "NXM_NX_TCP_FLAGS", N1, 34, 16, FlowKey.Offsets.TcpFlags, 2, true, 0x0fff, true, P.Tcp, false, FieldFormat.TcpFlags);

    /// <summary>Registers reg0-reg7 (NXM_NX_REG0-7, 32 bits, printed in hex).</summary>
    public static readonly IReadOnlyList<OfField> Regs = Enumerable.Range(0, PipelineKey.Registers)
        .Select(i => F($"reg{i}", [], $"NXM_NX_REG{i}", N1, (byte)i, 32, PipelineKey.Offsets.Reg0 + (4 * i), 4, false, U32, true, P.None, true, FieldFormat.Hex))
        .ToArray();

    /// <summary>Every field, in declaration order.</summary>
    public static readonly IReadOnlyList<OfField> All =
    [
        InPort, InPhyPort, Metadata, EthDst, EthSrc, EthType, VlanVid, VlanPcp, VlanTci, DlVlan, DlVlanPcp,
        IpDscp, NwTos, NwEcn, NwProto, NwTtl, IpFrag, IpSrc, IpDst, TcpSrc, TcpDst, UdpSrc, UdpDst, SctpSrc,
        SctpDst, TpSrc, TpDst, IcmpType, IcmpCode, ArpOp, ArpSpa, ArpTpa, ArpSha, ArpTha, Ipv6Src, Ipv6Dst,
        Ipv6Label, Icmpv6Type, Icmpv6Code, NdTarget, NdSll, NdTll, MplsLabel, MplsTc, MplsBos, MplsTtl,
        PbbIsid, TunId, Ipv6Exthdr, TcpFlags, .. Regs,
    ];

    private static readonly FrozenDictionary<string, OfField> ByName = All
        .SelectMany(f => f.Aliases.Prepend(f.Name).Select(n => KeyValuePair.Create(n, f)))
        .ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, OfField> ByNxmName = All
        .Where(f => f.NxmName is not null)
        .ToFrozenDictionary(f => f.NxmName!, StringComparer.Ordinal);

    private static readonly FrozenDictionary<uint, OfField> ByOxm = All
        .Where(f => f.HasOxm)
        .ToFrozenDictionary(f => ((uint)f.OxmClass << 16) | f.OxmField);

    /// <summary>The field called <paramref name="name"/> (its name or an alias), or null.</summary>
    public static OfField? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The field whose NXM/OXM name (NXM_NX_REG0, OXM_OF_METADATA...) is <paramref name="nxmName"/>, or null.</summary>
    public static OfField? FindByNxmName(string nxmName) => ByNxmName.GetValueOrDefault(nxmName);

    /// <summary>The field with OXM class <paramref name="oxmClass"/> and number <paramref name="field"/>, or null.</summary>
    public static OfField? FindByOxm(OxmClass oxmClass, byte field) => ByOxm.GetValueOrDefault(((uint)oxmClass << 16) | field);

    /// <summary>Register <paramref name="index"/>.</summary>
    public static OfField Reg(int index) => Regs[index];

    private static OfField F(
        string name, string[] aliases, string? nxm, OxmClass cls, byte code, int bits, int offset, int length, bool bigEndian,
        UInt128 keyMask, bool maskable, FieldPrerequisite prereq, bool writable, FieldFormat format, int valueShift = -1) =>
        new(name, aliases, nxm, cls, code, bits, offset, length, bigEndian, keyMask, maskable, prereq, writable, format, valueShift);
}
