using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Wire.Match;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>OFPT_PACKET_IN of every version and NXT_PACKET_IN (body after vendor and subtype).</summary>
public static class PacketInCodec
{
    /// <summary>Decodes an OFPT_PACKET_IN body (after the 8-byte header).</summary>
    public static PacketInMessage Decode(ref WireReader body, OfSession s)
    {
        uint buffer = body.U32();
        ushort total = body.U16();
        if (s.Version == OpenFlowVersion.OF10)
        {
            ushort inPort = body.U16();
            byte reason10 = body.U8();
            body.Skip(1);
            PipelineMatch m10 = default;
            OfFields.InPort.Set(ref m10, Of10Ports.ToOf11(inPort), uint.MaxValue);
            return new PacketInMessage(buffer, total, (OfPacketInReason)reason10, 0, ulong.MaxValue, m10, body.Bytes(body.Remaining).ToArray());
        }

        byte reason = body.U8();
        byte table = body.U8();
        ulong cookie = body.U64();
        PipelineMatch m = OxmMatchCodec.DecodeOfpMatch(ref body);
        body.Skip(2);
        return new PacketInMessage(buffer, total, (OfPacketInReason)reason, table, cookie, m, body.Bytes(body.Remaining).ToArray());
    }

    /// <summary>
    /// Encodes an OFPT_PACKET_IN body. OpenFlow 1.0 carries only in_port of the match; before 1.4 the reasons
    /// 1.4 added are sent as OFPR_ACTION, as Open vSwitch does.
    /// </summary>
    public static void Encode(PacketInMessage m, WireWriter w, OfSession s)
    {
        w.U32(m.BufferId);
        w.U16(m.TotalLength);
        if (s.Version == OpenFlowVersion.OF10)
        {
            w.U16(Of10Ports.ToOf10((uint)OfFields.InPort.Read(m.Match.Key)));
            w.U8(WireReason(m.Reason, s.Version));
            w.U8(0);
        }
        else
        {
            w.U8(WireReason(m.Reason, s.Version));
            w.U8(m.TableId);
            w.U64(m.Cookie);
            OxmMatchCodec.EncodeOfpMatch(w, m.Match, s.Version);
            w.U16(0);
        }

        w.Bytes(m.Data);
    }

    /// <summary>Decodes an NXT_PACKET_IN body (after vendor and subtype).</summary>
    public static PacketInMessage DecodeNx(ref WireReader body, OfSession s)
    {
        _ = s;
        uint buffer = body.U32();
        ushort total = body.U16();
        byte reason = body.U8();
        byte table = body.U8();
        ulong cookie = body.U64();
        ushort matchLength = body.U16();
        body.Skip(6);
        PipelineMatch m = NxMatchField.Read(ref body, matchLength, out _, out _, allowCookie: false);
        body.Skip(2);
        return new PacketInMessage(buffer, total, (OfPacketInReason)reason, table, cookie, m, body.Bytes(body.Remaining).ToArray());
    }

    /// <summary>Encodes an NXT_PACKET_IN body (after vendor and subtype).</summary>
    public static void EncodeNx(PacketInMessage m, WireWriter w, OfSession s)
    {
        w.U32(m.BufferId);
        w.U16(m.TotalLength);
        w.U8(WireReason(m.Reason, s.Version));
        w.U8(m.TableId);
        w.U64(m.Cookie);
        int lengthAt = w.Length;
        w.U16(0);
        w.Zeros(6);
        NxMatchField.Write(w, lengthAt, m.Match);
        w.U16(0);
        w.Bytes(m.Data);
    }

    /// <summary>
    /// The reason byte a version sends: before 1.4, the reasons 1.4 added go as OFPR_ACTION, as Open vSwitch's
    /// encode_packet_in_reason; a reason it does not know goes as received.
    /// </summary>
    internal static byte WireReason(OfPacketInReason reason, OpenFlowVersion version) =>
        version < OpenFlowVersion.OF14 && reason is OfPacketInReason.ActionSet or OfPacketInReason.Group or OfPacketInReason.PacketOut
            ? (byte)OfPacketInReason.Action
            : (byte)reason;
}
