using System.Buffers.Binary;
using System.Net;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>Real frames run through the datapath's parser, so tests look up the keys real packets have.</summary>
internal static class TestFrames
{
    /// <summary>An Ethernet/IPv4/UDP frame.</summary>
    public static byte[] Udp4(string src, string dst, ushort sport, ushort dport, byte macLast = 1)
    {
        byte[] f = new byte[14 + 20 + 8 + 4];
        byte[] dmac = [2, 0, 0, 0, 0, 0xee];
        byte[] smac = [2, 0, 0, 0, 0, macLast];
        dmac.CopyTo(f, 0);
        smac.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), EtherTypes.Ipv4);
        Span<byte> ip = f.AsSpan(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 20 + 8 + 4);
        ip[8] = 64;
        ip[9] = 17;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(ip[12..]);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip));
        Span<byte> udp = f.AsSpan(34, 12);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dport);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], 12);
        return f;
    }

    /// <summary>The pipeline key of <paramref name="frame"/> received on <paramref name="inPort"/>.</summary>
    public static PipelineKey Key(byte[] frame, uint inPort)
    {
        var p = new Packet { InPort = inPort, Length = (ushort)frame.Length };
        FlowExtractor.Extract(frame, ref p, out FlowKey key);
        Assert.Equal(ParseFlags.None, key.Flags);
        return PipelineKey.FromPacket(key);
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
