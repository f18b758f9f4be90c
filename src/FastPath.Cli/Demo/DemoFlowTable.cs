using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Cli.Demo;

/// <summary>
/// The demo's hand-installed megaflows. They do not overlap, because the megaflow classifier returns
/// the first hit it finds (the slow path, when it arrives, guarantees that property for its flows).
/// </summary>
public static class DemoFlowTable
{
    /// <summary>Port the demo replays its capture into.</summary>
    public const uint InPort = 1;

    /// <summary>(match, actions) pairs, in a fixed order for printing.</summary>
    public static IReadOnlyList<(FlowMatch Match, byte[] Actions)> Build() =>
    [
        // in_port=1,ip,nw_src=10.0.0.0/24 -> mod_nw_src:192.168.100.1,output:2
        (new MatchBuilder().InPort(InPort).EthType(EtherTypes.Ipv4).Ipv4Src("10.0.0.0/24").Build(),
            new ActionProgramBuilder().SetIpv4Src(IPAddress.Parse("192.168.100.1")).Output(2).ToArray()),

        // in_port=1,udp,nw_src=10.0.1.0/24,tp_dst=53 -> push_vlan:100,output:3
        (new MatchBuilder().InPort(InPort).EthType(EtherTypes.Ipv4).Ipv4Src("10.0.1.0/24").NwProto(IpProtocols.Udp).TpDst(53).Build(),
            new ActionProgramBuilder().PushVlan(EtherTypes.Vlan8021Q, 100).Output(3).ToArray()),

        // in_port=1,ipv6 -> dec_ttl,output:3
        (new MatchBuilder().InPort(InPort).EthType(EtherTypes.Ipv6).Build(),
            new ActionProgramBuilder().DecTtl().Output(3).ToArray()),

        // in_port=1,arp -> output:2,output:3
        (new MatchBuilder().InPort(InPort).EthType(EtherTypes.Arp).Build(),
            new ActionProgramBuilder().Output(2).Output(3).ToArray()),
    ];
}
