using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Switch;

/// <summary>Bodies of the bundle messages (OpenFlow 1.4 OFPT_BUNDLE_*, and 1.3's ONF experimenter form, which has the same body).</summary>
public static class BundleCodec
{
    /// <summary>Reads ofp_bundle_ctrl_msg: bundle id, type, flags, properties.</summary>
    public static BundleControl DecodeControl(ref WireReader body, OfSession session)
    {
        uint id = body.U32();
        ushort type = body.U16();
        ushort flags = body.U16();
        ReadOnlySpan<byte> props = body.Rest;
        body.Skip(props.Length);
        return new BundleControl(id, type, flags, props.ToArray());
    }

    /// <summary>Writes ofp_bundle_ctrl_msg.</summary>
    public static void EncodeControl(BundleControl m, WireWriter w, OfSession session)
    {
        w.U32(m.BundleId);
        w.U16(m.Type);
        w.U16(m.Flags);
        w.Bytes(m.Properties.Span);
    }

    /// <summary>
    /// Reads ofp_bundle_add_msg: bundle id, 2 pad bytes, flags, the inner message (as long as its header says), padding
    /// to 8 and properties. An inner message whose length does not fit is OFPBFC_MSG_BAD_LEN; one of another version
    /// OFPBFC_BAD_VERSION, as Open vSwitch answers. (The inner xid must equal the outer one, OFPBFC_MSG_BAD_XID
    /// otherwise: <see cref="CheckXid"/>, which needs the outer header.)
    /// </summary>
    public static BundleAddMessage DecodeAdd(ref WireReader body, OfSession session)
    {
        uint id = body.U32();
        body.Skip(2);
        ushort flags = body.U16();
        if (!OfHeader.TryRead(body.Rest, out OfHeader inner) || inner.Length < OfHeader.Size || inner.Length > body.Remaining)
        {
            throw new OfErrorException(OfError.BundleFailedMsgBadLen, $"bundled message does not fit its {body.Remaining} bytes");
        }

        if (inner.Version != (byte)session.Version)
        {
            throw new OfErrorException(OfError.BundleFailedBadVersion, $"bundled message of version 0x{inner.Version:x2}");
        }

        byte[] message = body.Bytes(inner.Length).ToArray();
        body.Skip(Math.Min(body.Remaining, (8 - (inner.Length % 8)) % 8));
        ReadOnlySpan<byte> props = body.Rest;
        body.Skip(props.Length);
        return new BundleAddMessage(id, flags, message, props.ToArray());
    }

    /// <summary>Writes ofp_bundle_add_msg.</summary>
    public static void EncodeAdd(BundleAddMessage m, WireWriter w, OfSession session)
    {
        w.U32(m.BundleId);
        w.Zeros(2);
        w.U16(m.Flags);
        int start = w.Length;
        w.Bytes(m.Message.Span);
        if (!m.Properties.IsEmpty)
        {
            w.PadTo(start);
            w.Bytes(m.Properties.Span);
        }
    }

    /// <summary>Throws OFPBFC_MSG_BAD_XID unless the bundled message's xid is the bundle-add message's own.</summary>
    public static void CheckXid(BundleAddMessage m, uint outerXid)
    {
        if (OfHeader.TryRead(m.Message.Span, out OfHeader inner) && inner.Xid != outerXid)
        {
            throw new OfErrorException(OfError.BundleFailedMsgBadXid, $"bundled message xid {inner.Xid} in a message of xid {outerXid}");
        }
    }
}
