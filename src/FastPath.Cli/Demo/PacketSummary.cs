using System.Globalization;
using System.Net;
using FastPath.Packets;

namespace FastPath.Cli.Demo;

/// <summary>One-line, tcpdump-like descriptions of packets, from FastPath's own parser.</summary>
public static class PacketSummary
{
    /// <summary>Describes a packet: VLAN, addresses, protocol and ports.</summary>
    public static string Describe(byte[] frame)
    {
        var p = new Packet { Length = (ushort)frame.Length };
        FlowExtractor.Extract(frame, ref p, out FlowKey k);
        string vlan = k.Vlan0Tci != 0 ? $"vlan {k.Vlan0Tci & 0xfff} " : "";
        string l3 = k.EthType switch
        {
            EtherTypes.Ipv4 => $"{k.Ipv4SrcAddress} > {k.Ipv4DstAddress} ttl {k.NwTtl}",
            EtherTypes.Ipv6 => $"{new IPAddress(k.Ipv6Src)} > {new IPAddress(k.Ipv6Dst)} hlim {k.NwTtl}",
            EtherTypes.Arp => $"arp who-has {k.Ipv4DstAddress} tell {k.Ipv4SrcAddress}",
            _ => $"ethertype 0x{k.EthType:x4}",
        };
        string l4 = k.NwProto switch
        {
            _ when k.EthType == EtherTypes.Arp => "",
            IpProtocols.Udp => $" udp {k.TpSrc} > {k.TpDst}",
            IpProtocols.Tcp => $" tcp {k.TpSrc} > {k.TpDst} flags 0x{k.TcpFlags:x3}",
            _ => "",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{vlan}{l3}{l4} ({frame.Length} bytes)");
    }
}
