using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Tables;

/// <summary>Bodies of OFPT_TABLE_MOD and OFPMP_TABLE_DESC.</summary>
public static class TableMessagesCodec
{
    /// <summary>Reads OFPT_TABLE_MOD: table id, 3 pad bytes, config, and (1.4+) properties.</summary>
    public static TableMod DecodeTableMod(ref WireReader body, OfSession session)
    {
        byte id = body.U8();
        body.Skip(3);
        uint config = body.U32();
        if (session.Version < OpenFlowVersion.OF14 && !body.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"table-mod with {body.Remaining} extra bytes");
        }

        ReadOnlySpan<byte> props = body.Rest;
        CheckProperties(props);
        body.Skip(props.Length);
        return new TableMod(id, config, props.ToArray());
    }

    /// <summary>Writes OFPT_TABLE_MOD.</summary>
    public static void EncodeTableMod(TableMod m, WireWriter w, OfSession session)
    {
        w.U8(m.TableId);
        w.Zeros(3);
        w.U32(m.Config);
        if (session.Version >= OpenFlowVersion.OF14)
        {
            w.Bytes(m.Properties.Span);
        }
    }

    /// <summary>Reads one ofp_table_desc: length, table id, pad, config, properties.</summary>
    public static TableDesc DecodeDesc(ref WireReader body, OfSession session)
    {
        ushort len = body.U16();
        if (len < 8)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"ofp_table_desc of length {len}");
        }

        WireReader e = body.Sub(len - 2);
        byte id = e.U8();
        e.Skip(1);
        uint config = e.U32();
        ReadOnlySpan<byte> props = e.Rest;
        CheckProperties(props);
        return new TableDesc(id, config, props.ToArray());
    }

    /// <summary>Writes one ofp_table_desc.</summary>
    public static void EncodeDesc(TableDesc t, WireWriter w, OfSession session)
    {
        int start = w.Length;
        w.U16(0);
        w.U8(t.TableId);
        w.Zeros(1);
        w.U32(t.Config);
        w.Bytes(t.Properties.Span);
        w.PatchU16(start, (ushort)(w.Length - start));
    }

    private static void CheckProperties(ReadOnlySpan<byte> props)
    {
        var r = new WireReader(props, OfError.BadPropertyBadLen);
        while (!r.AtEnd)
        {
            r.U16();
            ushort len = r.U16();
            if (len < 4)
            {
                throw new OfErrorException(OfError.BadPropertyBadLen, $"table property of length {len}");
            }

            r.Skip(len - 4);
            r.Skip(Math.Min(r.Remaining, (8 - (len % 8)) % 8));
        }
    }
}
