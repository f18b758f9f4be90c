using FastPath.Ofproto.Trace;

namespace FastPath.Ofproto.Tests.Trace;

/// <summary>
/// Datapath flows as Open vSwitch prints them (dpctl/dump-flows, its ofproto/trace examples) read for ofproto/trace:
/// each gives the same flow key as the same packet written in ovs-ofctl's syntax.
/// </summary>
public class OdpFlowTextTests
{
    [Theory]
    [InlineData(
        "in_port(1),eth(src=00:11:11:00:00:00,dst=ff:ff:ff:ff:ff:ff),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)",
        "udp,dl_src=00:11:11:00:00:00,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,tp_src=1,tp_dst=2")]
    [InlineData(
        "skb_priority(0),skb_mark(0/0),recirc_id(0),dp_hash(0/0),in_port(2),packet_type(ns=0,id=0),eth(src=02:00:00:00:01:00,dst=ff:ff:ff:ff:ff:ff),eth_type(0x0806),arp(sip=10.0.0.1,tip=10.0.0.2,op=1,sha=02:00:00:00:01:00,tha=00:00:00:00:00:00)",
        "arp,dl_src=02:00:00:00:01:00,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_op=1,arp_sha=02:00:00:00:01:00")]
    [InlineData(
        "in_port(3),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x8100),vlan(vid=10,pcp=3),encap(eth_type(0x0800),ipv4(src=192.168.1.1,dst=192.168.1.2,proto=6,tos=0x2e,ttl=9,frag=no),tcp(src=1000,dst=80))",
        "tcp,dl_vlan=10,dl_vlan_pcp=3,dl_src=50:54:00:00:00:01,dl_dst=50:54:00:00:00:02,nw_src=192.168.1.1,nw_dst=192.168.1.2,nw_tos=44,nw_ecn=2,nw_ttl=9,tp_src=1000,tp_dst=80")]
    [InlineData(
        "in_port(1),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0x12345,proto=58,tclass=0,hlimit=255,frag=no),icmpv6(type=135,code=0),nd(target=2001:db8::2)",
        "icmp6,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::2,ipv6_label=0x12345,nw_ttl=255,icmpv6_type=135,icmpv6_code=0,nd_target=2001:db8::2")]
    public void ADatapathFlowTracesAsTheSameFlowInOvsOfctlSyntax(string odp, string ofctl)
    {
        string converted = OdpFlowText.ToOfctl(odp, out uint? port);
        Assert.NotNull(port);
        string inPort = "in_port=" + port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TraceInput.Parse(inPort + "," + ofctl), TraceInput.Parse(inPort + "," + converted));
    }

    [Theory]
    [InlineData("recirc_id(1),in_port(1),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)", "recirc_id(1)")]
    [InlineData("in_port(1),ct_state(0x21/0x21),eth()", "ct_state(0x21/0x21)")]
    [InlineData("in_port(1),tunnel(tun_id=0x5,src=1.1.1.1,dst=2.2.2.2),eth()", "tunnel()")]
    [InlineData("in_port(br0),eth()", "in_port(br0)")]
    [InlineData("in_port(1),eth(src=00:00:00:00:00:01", "unbalanced")]
    [InlineData("in_port(1),ipv4(src=1.1.1.1,frag=maybe)", "frag=maybe")]
    public void WhatATraceCannotStartFromIsRefusedByName(string odp, string named)
    {
        var e = Assert.Throws<FormatException>(() => OdpFlowText.ToOfctl(odp, out _));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFlowWithoutAnInputPortNamesNone()
    {
        Assert.Equal("dl_type=0x0806", OdpFlowText.ToOfctl("eth_type(0x0806)", out uint? port));
        Assert.Null(port);
    }
}
