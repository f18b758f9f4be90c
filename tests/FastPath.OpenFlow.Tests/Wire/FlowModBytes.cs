using System.Buffers.Binary;

namespace FastPath.OpenFlow.Tests.Wire;

/// <summary>
/// A minimal add flow-mod (priority 32768, no buffer) around encoded actions or instructions, so that
/// <c>ovs-ofctl ofp-print</c> can print what the codec wrote (the flow-mod codec itself is another helper's).
/// The match is one of a few protocol shorthands (ip, tcp, udp, icmp, sctp, ipv6, arp, dl_vlan=N) so that
/// Open vSwitch finds the actions consistent with it.
/// </summary>
internal static class FlowModBytes
{
    public static byte[] Wrap(OpenFlowVersion v, byte[] instructions, string match = "")
    {
        (ushort dlType, byte proto, ushort vlan) = match switch
        {
            "ip" => ((ushort)0x0800, (byte)0, (ushort)0xffff),
            "tcp" => ((ushort)0x0800, (byte)6, (ushort)0xffff),
            "udp" => ((ushort)0x0800, (byte)17, (ushort)0xffff),
            "icmp" => ((ushort)0x0800, (byte)1, (ushort)0xffff),
            "sctp" => ((ushort)0x0800, (byte)132, (ushort)0xffff),
            "ipv6" => ((ushort)0x86dd, (byte)0, (ushort)0xffff),
            "arp" => ((ushort)0x0806, (byte)0, (ushort)0xffff),
            "" => ((ushort)0, (byte)0, (ushort)0xffff),
            _ when match.StartsWith("dl_vlan=", StringComparison.Ordinal) => ((ushort)0, (byte)0, ushort.Parse(match[8..], System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new ArgumentException($"match {match} is not one FlowModBytes knows", nameof(match)),
        };
        var m = new List<byte>();
        if (v == OpenFlowVersion.OF10)
        {
            m.AddRange(new byte[8]);
            byte[] m10 = new byte[40];
            uint wildcards = 0x003820ff & ~(dlType != 0 ? 16u : 0) & ~(proto != 0 ? 32u : 0) & ~(vlan != 0xffff ? 2u : 0);
            BinaryPrimitives.WriteUInt32BigEndian(m10, wildcards);
            BinaryPrimitives.WriteUInt16BigEndian(m10.AsSpan(18), vlan == 0xffff ? (ushort)0 : vlan);
            BinaryPrimitives.WriteUInt16BigEndian(m10.AsSpan(22), dlType);
            m10[25] = proto;
            m.AddRange(m10);
            m.AddRange(new byte[8]); // cookie
            m.AddRange([0, 0, 0, 0, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0]); // ADD, timeouts, priority, buffer, out_port, flags
        }
        else
        {
            m.AddRange(new byte[8]);
            m.AddRange(new byte[16]); // cookie, cookie mask
            m.AddRange([0, 0, 0, 0, 0, 0, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
            var oxm = new List<byte>();
            if (vlan != 0xffff)
            {
                oxm.AddRange([0x80, 0, 0x0c, 2, (byte)((vlan | 0x1000) >> 8), (byte)vlan]);
            }

            if (dlType != 0)
            {
                oxm.AddRange([0x80, 0, 0x0a, 2, (byte)(dlType >> 8), (byte)dlType]);
            }

            if (proto != 0)
            {
                oxm.AddRange([0x80, 0, 0x14, 1, proto]);
            }

            m.AddRange([0, 1, 0, (byte)(4 + oxm.Count)]); // OFPMT_OXM
            m.AddRange(oxm);
            m.AddRange(new byte[(8 - ((4 + oxm.Count) % 8)) % 8]);
        }

        m.AddRange(instructions);
        byte[] bytes = m.ToArray();
        bytes[0] = (byte)v;
        bytes[1] = 14;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)bytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 1);
        return bytes;
    }
}
