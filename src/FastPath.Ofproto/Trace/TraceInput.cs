using System.Buffers.Binary;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Text;
using FastPath.Packets;

namespace FastPath.Ofproto.Trace;

/// <summary>
/// What ofproto/trace traces, read as <c>ovs-appctl ofproto/trace BRIDGE FLOW [PACKET]</c> takes it: a flow in
/// <c>ovs-ofctl</c> syntax (<c>in_port=1,tcp,nw_src=10.0.0.1,tcp_dst=80</c>; fields not given are zero), or
/// <c>in_port=N</c> and an Ethernet frame in hex, which FastPath's parser turns into the flow.
/// </summary>
public static class TraceInput
{
    /// <summary>
    /// The flow key to trace. Throws <see cref="FormatException"/> with a one-line reason for a flow that does
    /// not parse, a field that is not a packet field, or a packet that is not hex.
    /// </summary>
    public static FlowKey Parse(string flow, string? packetHex = null)
    {
        PipelineMatch match;
        try
        {
            match = MatchText.Parse(flow);
        }
        catch (FlowSyntaxException e)
        {
            throw new FormatException($"bad flow: {e.Message}", e);
        }

        // Metadata and registers start at zero for a packet from a port: the pipeline has no other start.
        ReadOnlySpan<byte> pipelineOnly = match.Mask.ReadOnlyBytes[FlowKey.Size..];
        if (pipelineOnly.IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new FormatException($"bad flow: {flow}: only packet fields and in_port can be traced (metadata, registers and tunnel fields start at zero)");
        }

        PipelineKey values = match.Key;
        FlowKey key = values.PacketPart;
        if (packetHex is null)
        {
            if ((key.Vlan0Tci & FlowKey.VlanCfi) != 0)
            {
                // A tag named by its VID and PCP is an 802.1Q tag, as Open vSwitch's flow parser makes it.
                BinaryPrimitives.WriteUInt16BigEndian(key.Bytes[FlowKey.Offsets.Vlan0..], EtherTypes.Vlan8021Q);
            }

            return key;
        }

        PipelineKey onlyInPort = default;
        onlyInPort.Bytes[..4].Fill(0xff);
        if (!match.Mask.Equals(onlyInPort))
        {
            throw new FormatException($"bad flow: {flow}: with a packet, the flow gives only in_port (the packet gives the rest)");
        }

        byte[] frame;
        try
        {
            frame = Convert.FromHexString(string.Concat(packetHex.Where(c => !char.IsWhiteSpace(c))));
        }
        catch (FormatException)
        {
            throw new FormatException($"bad packet: not an even number of hex digits: {Shorten(packetHex)}");
        }

        if (frame.Length == 0)
        {
            throw new FormatException("bad packet: empty");
        }

        Packet p = default;
        FlowExtractor.Extract(frame, ref p, out FlowKey parsed);
        parsed.InPort = key.InPort;
        return parsed;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
