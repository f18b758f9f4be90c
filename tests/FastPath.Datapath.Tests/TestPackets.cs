using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;

namespace FastPath.Datapath.Tests;

/// <summary>Packets for datapath tests, built with PacketDotNet.</summary>
internal static class TestPackets
{
    public static readonly PhysicalAddress MacA = PhysicalAddress.Parse("02-00-00-00-00-01");
    public static readonly PhysicalAddress MacB = PhysicalAddress.Parse("02-00-00-00-00-02");

    public static byte[] Udp4(string src, string dst, ushort sport, ushort dport, int payload = 18)
    {
        var udp = new UdpPacket(sport, dport) { PayloadData = new byte[payload] };
        var ip = new IPv4Packet(IPAddress.Parse(src), IPAddress.Parse(dst)) { PayloadPacket = udp, TimeToLive = 64 };
        var eth = new EthernetPacket(MacA, MacB, EthernetType.IPv4) { PayloadPacket = ip };
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();
        eth.UpdateCalculatedValues();
        return eth.Bytes;
    }
}
