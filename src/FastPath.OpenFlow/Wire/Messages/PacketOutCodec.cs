using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Wire.Actions;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>
/// OFPT_PACKET_OUT's body in every version, as Open vSwitch's ofputil_decode_packet_out reads it: OpenFlow 1.0's
/// 16-bit in_port, 1.3/1.4's 32-bit one, 1.5's match (in_port and metadata). Data sent with a buffer id is dropped.
/// </summary>
public static class PacketOutCodec
{
    /// <summary>Decodes the body after the header.</summary>
    public static PacketOut Decode(ref WireReader body, OfSession s)
    {
        OpenFlowVersion v = s.Version;
        uint bufferId = body.U32();
        uint inPort;
        ulong metadata = 0;
        int actionsLength;
        if (v == OpenFlowVersion.OF10)
        {
            inPort = OfActionCodec.Port32(body.U16());
            actionsLength = body.U16();
        }
        else if (v < OpenFlowVersion.OF15)
        {
            inPort = body.U32();
            actionsLength = body.U16();
            body.Skip(6);
            inPort = Port11(inPort);
        }
        else
        {
            actionsLength = body.U16();
            body.Skip(2);
            (inPort, metadata) = DecodeMatch15(ref body);
        }

        CheckInPort(inPort);
        List<OfAction> actions = OfActionCodec.Decode(ref body, actionsLength, v);
        byte[] data = bufferId == PacketOut.NoBuffer ? body.Rest.ToArray() : [];
        return new PacketOut(bufferId, inPort, actions, data) { Metadata = metadata };
    }

    /// <summary>Encodes the body after the header.</summary>
    public static void Encode(PacketOut m, WireWriter w, OfSession s)
    {
        OpenFlowVersion v = s.Version;
        w.U32(m.BufferId);
        int lengthAt;
        if (v == OpenFlowVersion.OF10)
        {
            w.U16(m.InPort == OfPorts.Any ? (ushort)0xffff : OfActionCodec.Port10(m.InPort));
            lengthAt = w.Length;
            w.U16(0);
        }
        else if (v < OpenFlowVersion.OF15)
        {
            w.U32(m.InPort);
            lengthAt = w.Length;
            w.U16(0);
            w.Zeros(6);
        }
        else
        {
            lengthAt = w.Length;
            w.U16(0);
            w.Zeros(2);
            int matchStart = w.Length;
            w.U16(1); // OFPMT_OXM
            w.U16(0);
            w.U32(OfFields.InPort.OxmHeader(false));
            w.U32(m.InPort);
            if (m.Metadata != 0)
            {
                w.U32(OfFields.Metadata.OxmHeader(false));
                w.U64(m.Metadata);
            }

            w.PatchU16(matchStart + 2, (ushort)(w.Length - matchStart));
            w.PadTo(matchStart);
        }

        int actionsStart = w.Length;
        OfActionCodec.Encode(w, m.Actions, v);
        w.PatchU16(lengthAt, (ushort)(w.Length - actionsStart));
        if (m.BufferId == PacketOut.NoBuffer)
        {
            w.Bytes(m.Data);
        }
    }

    /// <summary>OpenFlow 1.1+'s 32-bit port (the gap below the reserved ports is OFPBRC_BAD_PORT, as ovs-vswitchd answers).</summary>
    private static uint Port11(uint port) =>
        port <= OfPorts.Max || port >= OfPorts.InPort ? port
        : throw new OfErrorException(OfError.BadRequestBadPort, $"port 0x{port:x} is outside 0-0x{OfPorts.Max:x} and the reserved ports");

    private static void CheckInPort(uint port)
    {
        // A packet can come from a port, LOCAL, CONTROLLER or nowhere (NONE/ANY).
        if (port > OfPorts.Max && port is not (OfPorts.Local or OfPorts.Controller or OfPorts.Any))
        {
            throw new OfErrorException(OfError.BadRequestBadPort, $"packet-out in_port 0x{port:x} is not a port a packet can come from");
        }
    }

    private static (uint InPort, ulong Metadata) DecodeMatch15(ref WireReader body)
    {
        OfError saved = body.Truncated;
        ushort type = body.U16();
        ushort length = body.U16();
        if (type != 1 || length < 4)
        {
            throw new OfErrorException(type != 1 ? OfError.BadMatchBadType : OfError.BadMatchBadLen, $"packet-out match of type {type}, length {length}");
        }

        WireReader oxms = body.Sub(length - 4, OfError.BadMatchBadLen);
        body.Skip((8 - (length % 8)) % 8);
        body.Truncated = saved;
        uint inPort = OfPorts.Any;
        ulong metadata = 0;
        bool sawInPort = false;
        while (!oxms.AtEnd)
        {
            var (field, _, value, _) = FieldHeaders.Pull(ref oxms, withValue: true, mayMask: false, HeaderUse.Match);
            if (field == OfFields.InPort && !sawInPort)
            {
                inPort = Port11((uint)value);
                sawInPort = true;
            }
            else if (field == OfFields.Metadata)
            {
                metadata = (ulong)value;
            }
            else
            {
                // Open vSwitch also takes registers and tunnel fields here; FastPath's packet-out carries neither.
                throw new OfErrorException(OfError.BadRequestPipelineFieldsOnly, $"a packet-out match may hold in_port and metadata, not {field.Name}");
            }
        }

        if (!sawInPort)
        {
            throw new OfErrorException(OfError.BadRequestBadPort, "a packet-out match must name in_port");
        }

        return (inPort, metadata);
    }
}
