using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Ports;

namespace FastPath.OpenFlow.Wire.Switch;

/// <summary>Bodies of the switch-level messages: features reply, switch configuration.</summary>
public static class SwitchMessagesCodec
{
    /// <summary>Reads OFPT_FEATURES_REPLY (1.0 with its ofp_phy_port list; 1.3+ with the auxiliary id).</summary>
    public static FeaturesReply DecodeFeaturesReply(ref WireReader body, OfSession session)
    {
        ulong dpid = body.U64();
        uint buffers = body.U32();
        byte tables = body.U8();
        if (session.Version != OpenFlowVersion.OF10)
        {
            byte aux = body.U8();
            body.Skip(2);
            uint caps13 = body.U32();
            body.Skip(4);
            return new FeaturesReply(dpid, buffers, tables, caps13, aux, 0, []);
        }

        body.Skip(3);
        uint caps = body.U32();
        uint actions = body.U32();
        if (body.Remaining % 48 != 0)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"features reply port list of {body.Remaining} bytes");
        }

        var ports = new List<OfPortDesc>();
        while (!body.AtEnd)
        {
            ports.Add(PortDescCodec.Decode(ref body, session));
        }

        return new FeaturesReply(dpid, buffers, tables, caps, 0, actions, ports);
    }

    /// <summary>Writes OFPT_FEATURES_REPLY.</summary>
    public static void EncodeFeaturesReply(FeaturesReply m, WireWriter w, OfSession session)
    {
        w.U64(m.DatapathId);
        w.U32(m.NBuffers);
        w.U8(m.NTables);
        if (session.Version != OpenFlowVersion.OF10)
        {
            w.U8(m.AuxiliaryId);
            w.Zeros(2);
            w.U32(m.Capabilities);
            w.Zeros(4);
            return;
        }

        w.Zeros(3);
        w.U32(m.Capabilities);
        w.U32(m.Actions);
        foreach (OfPortDesc p in m.Ports ?? [])
        {
            PortDescCodec.Encode(p, w, session);
        }
    }

    /// <summary>Reads struct ofp_switch_config (after the header) of a get-config reply or set-config.</summary>
    public static SwitchConfig DecodeSwitchConfig(ref WireReader body, bool isSet) => new(body.U16(), body.U16(), isSet);

    /// <summary>Writes struct ofp_switch_config.</summary>
    public static void EncodeSwitchConfig(SwitchConfig m, WireWriter w)
    {
        w.U16(m.Flags);
        w.U16(m.MissSendLen);
    }
}
