using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;

namespace FastPath.Ofproto.Tests.Upcalls;

/// <summary>UDP/IPv4 frames for upcall tests, built with PacketDotNet.</summary>
internal static class UpcallTestPackets
{
    public static byte[] Udp4(string src, string dst, ushort sport, ushort dport)
    {
        var udp = new UdpPacket(sport, dport) { PayloadData = new byte[18] };
        var ip = new IPv4Packet(IPAddress.Parse(src), IPAddress.Parse(dst)) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new EthernetPacket(PhysicalAddress.Parse("02-00-00-00-00-01"), PhysicalAddress.Parse("02-00-00-00-00-02"), EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();
        eth.UpdateCalculatedValues();
        return eth.Bytes;
    }
}
