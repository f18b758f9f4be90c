using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;
using PacketDotNet.Utils;

namespace FastPath.Datapath.Tests.Actions;

/// <summary>Frames for the ARP, ICMP and neighbor discovery set-field tests, and the independent checksum code that checks them.</summary>
internal static class SetFieldTestPackets
{
    public static readonly PhysicalAddress Sha = PhysicalAddress.Parse("02-00-00-00-00-01");
    public static readonly PhysicalAddress Tha = PhysicalAddress.Parse("02-00-00-00-00-02");

    /// <summary>An Ethernet/IPv4 ARP reply 10.0.0.1 (Sha) to 10.0.0.2 (Tha), built by PacketDotNet; RARP is the same body under 0x8035.</summary>
    public static byte[] Arp(bool rarp = false)
    {
        var arp = new ArpPacket(ArpOperation.Response, Tha, IPAddress.Parse("10.0.0.2"), Sha, IPAddress.Parse("10.0.0.1"));
        var eth = new EthernetPacket(Sha, Tha, EthernetType.Arp) { PayloadPacket = arp };
        byte[] frame = eth.Bytes;
        if (rarp)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x8035);
        }

        return frame;
    }

    /// <summary>An ICMPv4 message of <paramref name="type"/>/<paramref name="code"/> (echo request by default) with a valid checksum.</summary>
    public static byte[] Icmpv4(byte type = 8, byte code = 0, int payload = 19)
    {
        byte[] msg = new byte[8 + payload];
        msg[0] = type;
        msg[1] = code;
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(4), 0x2222);
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(6), 7);
        ActionTestPackets.Payload(payload, 9).CopyTo(msg, 8);
        BinaryPrimitives.WriteUInt16BigEndian(msg.AsSpan(2), (ushort)~ReferenceChecksum.OnesSum(msg));
        var icmp = new IcmpV4Packet(new ByteArraySegment(msg));
        var ip = new IPv4Packet(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")) { TimeToLive = 64, PayloadPacket = icmp, Protocol = ProtocolType.Icmp };
        var eth = new EthernetPacket(ActionTestPackets.SrcMac, ActionTestPackets.DstMac, EthernetType.IPv4) { PayloadPacket = ip };
        eth.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }

    /// <summary>
    /// An ICMPv6 message (type, code, 4 bytes of flags or reserved, <paramref name="body"/>) in IPv6, with
    /// the checksum from the reference code (pseudo-header included).
    /// </summary>
    /// <remarks>
    /// PacketDotNet 1.4.8 garbles a neighbor discovery message it builds (it writes the ICMPv6 header
    /// twice), so the frame is built as an echo request and then given its type, code and checksum.
    /// </remarks>
    public static byte[] Icmpv6(byte type, byte code, byte[] body, string src = "fe80::1", string dst = "ff02::1:ff00:2")
    {
        byte[] msg = new byte[8 + body.Length];
        msg[0] = 128;
        body.CopyTo(msg, 8);
        var icmp = new IcmpV6Packet(new ByteArraySegment(msg));
        var ip = new IPv6Packet(IPAddress.Parse(src), IPAddress.Parse(dst)) { HopLimit = 255, PayloadPacket = icmp, NextHeader = ProtocolType.IcmpV6 };
        var eth = new EthernetPacket(ActionTestPackets.SrcMac, ActionTestPackets.DstMac, EthernetType.IPv6) { PayloadPacket = ip };
        eth.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();
        byte[] frame = eth.Bytes;
        const int l3 = 14;
        const int l4 = l3 + 40;
        if (frame.Length != l4 + msg.Length || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(l3 + 4)) != msg.Length)
        {
            throw new InvalidOperationException("PacketDotNet built an unexpected ICMPv6 frame");
        }

        frame[l4] = type;
        frame[l4 + 1] = code;
        if (type == 136)
        {
            frame[l4 + 4] = 0x60; // solicited, override
        }

        FixIcmpv6(frame, l3, l4);
        return frame;
    }

    /// <summary>A neighbor solicitation (135) or advertisement (136) for 2001:db8::2 with the given options, each (type, MAC).</summary>
    public static byte[] Nd(byte type, params (byte Type, string Mac)[] options)
    {
        var body = new List<byte>(IPAddress.Parse("2001:db8::2").GetAddressBytes());
        foreach ((byte t, string mac) in options)
        {
            body.Add(t);
            body.Add(1);
            body.AddRange(PhysicalAddress.Parse(mac).GetAddressBytes());
        }

        return Icmpv6(type, 0, [.. body]);
    }

    /// <summary>True when the ICMPv4 message at <paramref name="l4"/> (to the end of the IP packet) sums to all ones.</summary>
    public static bool Icmpv4Valid(byte[] frame, int l3, int l4)
    {
        int end = l3 + BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(l3 + 2));
        return ReferenceChecksum.OnesSum(frame.AsSpan(l4, end - l4)) == 0xffff;
    }

    /// <summary>Sets the checksum field of an ICMPv4 message from scratch (reference code).</summary>
    public static void FixIcmpv4(byte[] frame, int l3, int l4)
    {
        int end = l3 + BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(l3 + 2));
        frame[l4 + 2] = 0;
        frame[l4 + 3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(l4 + 2), (ushort)~ReferenceChecksum.OnesSum(frame.AsSpan(l4, end - l4)));
    }

    /// <summary>Sets the checksum field of an ICMPv6 message from scratch (reference code, pseudo-header included).</summary>
    public static void FixIcmpv6(byte[] frame, int l3, int l4) =>
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(l4 + 2), ReferenceChecksum.TransportChecksum(frame, l3, l4, 58, 2));
}
