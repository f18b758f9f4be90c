namespace FastPath.OpenFlow.Tests.Ovs;

/// <summary>Flows compared with <c>ovs-ofctl parse-flow</c>: every field, masks, every action and instruction, the OpenFlow 1.0 spellings.</summary>
internal static class OvsFlowCorpus
{
    /// <summary>Flows printed for OpenFlow 1.3 (<c>-O OpenFlow13</c>).</summary>
    public static readonly string[] OpenFlow13 =
    [
        // The seed from the issue.
        "in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2",
        "in_port=1,ip,nw_src=192.168.1.0/24,tp_dst=80,nw_proto=6,actions=output:2",

        // Metadata, registers, tunnel id, ports.
        "reg0=5,reg3=0x10/0xf0,reg7=0xffffffff,tun_id=0x5,metadata=7,in_port=LOCAL,actions=drop",
        "metadata=0xffffffffffffffff,tun_id=0x1/0x1,reg1=0/1,actions=drop",
        "tunnel_id=0x123456789,reg2=0x80000000/0x80000000,reg4=1,reg5=2,reg6=3,actions=drop",
        "in_port=4294967294,actions=drop",
        "in_port=controller,actions=drop",
        "in_port_oxm=7,actions=drop",

        // L2.
        "dl_src=01:00:00:00:00:00/01:00:00:00:00:00,dl_dst=aa:bb:cc:dd:ee:ff,actions=drop",
        "eth_src=00:11:22:33:44:55/ff:ff:ff:00:00:00,eth_dst=01:80:c2:00:00:00/ff:ff:ff:ff:ff:f0,actions=drop",
        "dl_src=aa:bb:cc:dd:ee:ff/ff:ff:ff:ff:ff:ff,actions=drop",
        "dl_type=0x88cc,actions=drop",
        "eth_type=0x0800,actions=drop",
        "dl_vlan=5,dl_vlan_pcp=3,actions=drop",
        "dl_vlan=5,actions=strip_vlan,normal",
        "dl_vlan=0xffff,actions=drop",
        "vlan_tci=0x1005/0x1fff,actions=drop",
        "vlan_tci=0,actions=drop",
        "vlan_tci=0xb00a,actions=drop",
        "vlan_vid=0x1005,actions=drop",
        "vlan_vid=0x1000/0x1000,actions=drop",
        "vlan_vid=0x1000/0x1fff,actions=drop",
        "vlan_vid=5,vlan_pcp=3,actions=drop",
        "vlan_pcp=7,actions=drop",

        // IPv4.
        "ip,nw_tos=0x20,actions=drop",
        "ip,ip_dscp=8,nw_ecn=2,nw_ttl=6,actions=drop",
        "ip,ip_ecn=3,actions=drop",
        "ip,nw_src=10.0.0.0/255.0.255.0,nw_dst=10.0.0.0/8,actions=drop",
        "ip,nw_src=1.2.3.4/32,nw_dst=0.0.0.0/0,actions=drop",
        "ip,ip_src=172.16.0.1,ip_dst=172.16.0.0/12,actions=drop",
        "ip,nw_proto=50,actions=drop",
        "ip,ip_proto=47,actions=drop",
        "ip,ip_frag=no,actions=drop",
        "ip,ip_frag=yes,actions=drop",
        "ip,ip_frag=first,actions=drop",
        "ip,nw_frag=later,actions=drop",
        "ip,ip_frag=not_later,actions=drop",
        "icmp,icmp_type=8,icmp_code=0,actions=drop",
        "icmp,icmp_type=3,icmp_code=1,actions=drop",
        "tcp,tcp_flags=syn|ack,actions=drop",
        "tcp,tcp_flags=-syn,actions=drop",
        "reg0=0,metadata=0,tun_id=0/0xff,actions=set_field:0->reg0,load:0->NXM_NX_REG1[],set_field:0->metadata,write_metadata:0",
        "ipv6,ipv6_label=0,actions=drop",
        "vlan_tci=0x2005/0xf000,actions=drop",
        "tcp,tp_src=0x100/0xff00,tp_dst=443,actions=drop",
        "tcp,tcp_src=1024,tcp_dst=22,actions=drop",
        "dl_type=0x0800,nw_proto=17,tp_src=0x100/0xff00,actions=drop",
        "udp,udp_src=53,udp_dst=0x1000/0xf000,actions=drop",
        "sctp,sctp_src=5,sctp_dst=6/0xff,actions=drop",
        "tcp,tcp_flags=+syn-ack,actions=drop",
        "tcp,tcp_flags=0x012,actions=drop",
        "tcp,tcp_flags=0x12/0x12,actions=drop",
        "tcp,tcp_flags=0/0xfff,actions=drop",
        "tcp,tcp_flags=0x800/0xe00,actions=drop",
        "tcp,tcp_flags=+ns+cwr+ece+urg+psh+rst+fin,actions=drop",

        // IPv6.
        "ipv6,ipv6_src=2001:db8::/32,actions=controller",
        "ipv6,ipv6_label=0x12345,ipv6_dst=::1/64,actions=drop",
        "ipv6,ipv6_src=2001:db8::1/ffff:0:ffff::,ipv6_label=0x5/0xf,actions=drop",
        "ipv6,ipv6_src=2001:db8::1/128,ipv6_dst=fe80::1:2:3:4,actions=drop",
        "dl_type=0x86dd,nw_proto=58,actions=drop",
        "ipv6,nw_proto=6,actions=drop",
        "tcp6,tp_dst=80,nw_tos=0x80,nw_ttl=1,actions=drop",
        "udp6,udp_src=5,actions=drop",
        "sctp6,sctp_dst=9,actions=drop",
        "icmp6,icmpv6_type=135,nd_target=fe80::1,nd_sll=00:11:22:33:44:55,actions=drop",
        "icmp6,icmpv6_type=136,nd_tll=00:11:22:33:44:55/ff:ff:ff:00:00:00,actions=drop",
        "icmp6,icmp_type=135,nd_target=fe80::/64,actions=drop",
        "icmp6,icmpv6_type=1,icmpv6_code=4,actions=drop",
        "ipv6,ip_frag=later,ip_dscp=46,actions=drop",

        // ARP, RARP, MPLS.
        "arp,arp_op=1,actions=flood",
        "arp,arp_spa=1.2.3.4,arp_tpa=1.2.3.0/24,arp_sha=01:02:03:04:05:06,arp_tha=01:02:03:04:05:06/ff:ff:ff:00:00:00,arp_op=2,actions=drop",
        "rarp,arp_op=3,actions=drop",
        "mpls,mpls_label=5,mpls_tc=2,mpls_bos=1,mpls_ttl=4,actions=drop",
        "mplsm,mpls_label=1048575,actions=drop",

        // Rule options.
        "priority=10,cookie=0x5,table=3,idle_timeout=5,metadata=0x5/0xff,actions=goto_table:4",
        "priority=5,send_flow_rem,check_overlap,reset_counts,no_packet_counts,no_byte_counts,hard_timeout=10,cookie=0x10,actions=drop",
        "table=0,idle_timeout=3,hard_timeout=4,cookie=0x1,priority=0,actions=",
        "priority=65535,tcp actions=drop",
        "tcp,tcp,actions=drop",
        "tcp,udp,actions=drop",
        "ip,nw_src=1.2.3.4,nw_src=1.2.3.5,actions=drop",

        // Output.
        "actions=output:1,in_port,flood,all,local,controller,controller:100,controller(max_len=200),normal",
        "actions=output:IN_PORT,output:NORMAL,output:4294967290",
        "actions=controller:0,output:65279,3",

        // Set-field and the OpenFlow 1.0 spellings.
        "actions=mod_dl_src:00:11:22:33:44:55,mod_dl_dst:00:11:22:33:44:66",
        "ip,actions=mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8,mod_nw_tos:8",
        "udp,actions=mod_tp_dst:53,mod_tp_src:1000",
        "tcp,actions=mod_tp_src:8",
        "sctp,actions=mod_tp_src:8",
        "dl_vlan=3,actions=mod_vlan_vid:5,mod_vlan_pcp:3",
        "actions=mod_vlan_vid:5,mod_vlan_pcp:3",
        "actions=mod_vlan_pcp:6",
        "actions=set_field:00:11:22:33:44:55->eth_src,set_field:00:11:22:33:44:66->eth_dst",
        "ip,actions=set_field:1.2.3.4->ip_dst,set_field:3->ip_dscp,set_field:2->ip_ecn,set_field:8->nw_ttl",
        "tcp6,actions=set_field:fe80::1->ipv6_src,set_field:5->tcp_src,set_field:0x12345->ipv6_label",
        "udp,actions=set_field:5->udp_src,set_field:6->udp_dst",
        "sctp,actions=set_field:5->sctp_dst",
        "ipv6,actions=set_field:3->ip_dscp,set_field:4->nw_ttl,set_field:2001:db8::1->ipv6_dst",
        "arp,actions=set_field:1.2.3.4->arp_spa,set_field:5.6.7.8->arp_tpa,set_field:1->arp_op,set_field:00:00:00:00:00:01->arp_sha,set_field:00:00:00:00:00:02->arp_tha",
        "icmp,actions=set_field:3->icmp_type,set_field:1->icmp_code",
        "icmp6,icmp_type=135,actions=set_field:fe80::2->nd_target,set_field:00:00:00:00:00:01->nd_sll",
        "icmp6,icmp_type=136,actions=set_field:00:00:00:00:00:03->nd_tll",
        "actions=set_field:5->tun_id,set_field:0x10->metadata,set_field:0x10/0xf0->metadata",
        "dl_vlan=1,actions=set_field:3->vlan_pcp,set_field:0x1001->vlan_vid",
        "actions=set_field:1->in_port",
        "actions=set_field:5->reg7,set_field:0x10/0xf0->reg1",
        "actions=set_field:00:11:22:33:44:55/ff:ff:ff:00:00:00->eth_src",
        "mpls,actions=set_field:5->mpls_label,set_field:2->mpls_tc,set_field:3->mpls_ttl",
        "actions=load:5->NXM_NX_REG0[],load:0x3->NXM_NX_REG1[4..5],load:1->reg2[7]",
        "actions=move:NXM_NX_REG0[]->NXM_NX_REG1[0..31],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]",
        "actions=move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31]",

        // VLAN, MPLS, TTL, group, queue.
        "actions=push_vlan:0x88a8,push_mpls:0x8848,pop_mpls:0x86dd",
        "dl_vlan=7,actions=pop_vlan,output:1",
        "actions=push_vlan:0x8100,set_field:4101->vlan_vid,output:1",
        "actions=push_mpls:0x8847,set_mpls_label:5,set_mpls_tc:2,set_mpls_ttl:9,dec_mpls_ttl,pop_mpls:0x0800",
        "mpls,actions=set_mpls_ttl:3,set_mpls_label:0x10",
        "mpls,actions=set_field:3->mpls_ttl,pop_mpls:0x0800,set_field:1.1.1.1->ip_src",
        "ip,actions=dec_ttl,set_nw_ttl:9,group:3,set_queue:5,output:1",
        "ipv6,actions=mod_nw_ttl:64,dec_ttl",

        // Instructions.
        "actions=meter:5,output:1",
        "table=1,priority=65535,in_port=1,actions=write_actions(group:1,output:2),write_metadata:0x5,goto_table:9",
        "actions=clear_actions,write_metadata:0x5/0xff,goto_table:3",
        "actions=output:1,clear_actions,write_actions(set_queue:2,output:3)",
        "ip,actions=write_actions(set_field:1.1.1.1->ip_src)",
        "actions=meter:1,output:1,output:2,goto_table:2",
        "actions=write_actions()",
    ];

    /// <summary>Flows printed the way <c>ovs-ofctl parse-flow</c> prints them without -O (OpenFlow 1.0 or NXM): the mod_* spellings.</summary>
    public static readonly string[] OpenFlow10 =
    [
        "in_port=1,ip,nw_src=192.168.1.1,actions=mod_nw_src:192.181.137.1,output:2",
        "tcp,actions=mod_dl_src:00:11:22:33:44:55,mod_dl_dst:00:11:22:33:44:66,mod_nw_dst:1.2.3.4,mod_nw_tos:8,mod_tp_src:5,mod_tp_dst:6",
        "actions=mod_vlan_vid:5,mod_vlan_pcp:3",
        "dl_vlan=5,actions=strip_vlan,normal",
        "actions=pop_vlan",
        "actions=push_mpls:0x8847,set_mpls_label:5,set_mpls_tc:2,set_mpls_ttl:9,dec_mpls_ttl,pop_mpls:0x0800",
        "ip,actions=dec_ttl,set_nw_ttl:9,group:3,set_queue:5,output:1",
        "dl_vlan=1,actions=set_field:4101->vlan_vid,set_field:3->vlan_pcp",
        "mpls,actions=set_field:5->mpls_label,set_field:2->mpls_tc,set_field:3->mpls_ttl",
        "ip,actions=set_field:3->ip_dscp,set_field:0x3->reg0,set_field:5->metadata",
        "ip,actions=set_field:1.2.3.4->ip_dst,set_field:3->ip_dscp,set_field:2->ip_ecn,set_field:8->nw_ttl",
        "tcp6,actions=set_field:fe80::1->ipv6_src,set_field:5->tcp_src,set_field:0x12345->ipv6_label",
        "udp,actions=set_field:5->udp_src,set_field:5->udp_dst",
        "sctp,actions=set_field:5->sctp_src",
        "actions=output:1,in_port,flood,all,local,controller,controller:100,normal",
        "actions=load:5->NXM_NX_REG0[],move:NXM_NX_REG0[]->NXM_NX_REG1[0..31]",
        "priority=10,cookie=0x5,table=3,idle_timeout=5,tcp,tp_dst=22,actions=drop",
    ];

    /// <summary>Flows Open vSwitch rejects; FastPath must reject them too.</summary>
    public static readonly string[] Rejected =
    [
        "foo=1,actions=drop",
        "in_port=1",
        "actions=bogus",
        "ip,ip_dscp=8/3,actions=drop",
        "tcp,tp_dst=70000,actions=drop",
        "ip,ip_frag=1/3,actions=drop",
        "in_port=0xfffe,actions=drop",
        "actions=output:1,drop",
        "actions=drop,output:1",
        "actions=output:1,meter:1",
        "actions=goto_table:1,output:1",
        "actions=write_actions(output:1),output:1",
        "actions=write_actions(output:1),clear_actions",
        "actions=goto_table:1,write_metadata:1",
        "actions=meter:1,apply_actions(output:1),goto_table:2",
        "actions=set_field:1.2.3.4->ip_dst",
        "actions=set_field:fe80::1->ipv6_src",
        "actions=set_field:0x1005->vlan_vid",
        "actions=set_field:0x800->eth_type",
        "actions=set_field:6->ip_ecn",
        "ip,actions=push_mpls:0x8847,set_field:1.1.1.1->ip_src",
        "actions=write_actions(set_field:1.1.1.1->ip_src)",
        "actions=output:0xfffffffd",
    ];
}
