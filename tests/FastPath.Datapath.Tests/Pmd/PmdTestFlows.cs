using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>The megaflow most PMD tests install: IPv4 from port 1, source rewritten, output to a port.</summary>
internal static class PmdTestFlows
{
    public static readonly FlowMatch Ipv4FromPort1 = new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Build();

    public static readonly IPAddress RewrittenSource = IPAddress.Parse("192.0.2.99");

    public static byte[] RewriteAndOutput(uint port) =>
        new ActionProgramBuilder().SetIpv4Src(RewrittenSource).Output(port).ToArray();
}
