using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>Open vSwitch's session switches: NXT_SET_FLOW_FORMAT, NXT_SET_PACKET_IN_FORMAT, NXT_FLOW_MOD_TABLE_ID (bodies after vendor and subtype).</summary>
public static class NxSessionCodec
{
    /// <summary>Decodes NXT_SET_FLOW_FORMAT; a format other than OpenFlow 1.0 or NXM is OFPBRC_EPERM, as Open vSwitch answers.</summary>
    public static NxSetFlowFormat DecodeSetFlowFormat(ref WireReader body, OfSession s)
    {
        _ = s;
        uint format = body.U32();
        EnsureEnd(ref body);
        return format is (uint)NxFlowFormat.OpenFlow10 or (uint)NxFlowFormat.Nxm
            ? new NxSetFlowFormat((NxFlowFormat)format)
            : throw new OfErrorException(OfError.BadRequestPermission, $"flow format {format}");
    }

    /// <summary>Encodes NXT_SET_FLOW_FORMAT.</summary>
    public static void EncodeSetFlowFormat(NxSetFlowFormat m, WireWriter w, OfSession s)
    {
        _ = s;
        w.U32((uint)m.Format);
    }

    /// <summary>Decodes NXT_SET_PACKET_IN_FORMAT; an unknown format is OFPBRC_EPERM, as Open vSwitch answers.</summary>
    public static NxSetPacketInFormat DecodeSetPacketInFormat(ref WireReader body, OfSession s)
    {
        _ = s;
        uint format = body.U32();
        EnsureEnd(ref body);
        return format <= (uint)NxPacketInFormat.NxtPacketIn2
            ? new NxSetPacketInFormat((NxPacketInFormat)format)
            : throw new OfErrorException(OfError.BadRequestPermission, $"packet-in format {format}");
    }

    /// <summary>Encodes NXT_SET_PACKET_IN_FORMAT.</summary>
    public static void EncodeSetPacketInFormat(NxSetPacketInFormat m, WireWriter w, OfSession s)
    {
        _ = s;
        w.U32((uint)m.Format);
    }

    /// <summary>Decodes NXT_FLOW_MOD_TABLE_ID (set, then 7 bytes of padding).</summary>
    public static NxFlowModTableId DecodeFlowModTableId(ref WireReader body, OfSession s)
    {
        _ = s;
        byte set = body.U8();
        body.Skip(7);
        EnsureEnd(ref body);
        return new NxFlowModTableId(set != 0);
    }

    /// <summary>Encodes NXT_FLOW_MOD_TABLE_ID.</summary>
    public static void EncodeFlowModTableId(NxFlowModTableId m, WireWriter w, OfSession s)
    {
        _ = s;
        w.U8(m.Enable ? (byte)1 : (byte)0);
        w.Zeros(7);
    }

    private static void EnsureEnd(ref WireReader body)
    {
        if (!body.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"{body.Remaining} extra bytes");
        }
    }
}
