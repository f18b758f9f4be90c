using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Tables;

/// <summary>
/// struct ofp_table_features (64 bytes and properties; OpenFlow 1.5 puts a command and a features word where 1.3/1.4
/// pad). A short or overlong property is OFPBPC_BAD_LEN (OpenFlow 1.3: OFPTFFC_BAD_LEN), as Open vSwitch answers.
/// </summary>
public static class TableFeaturesCodec
{
    /// <summary>Bytes before the properties.</summary>
    public const int FixedLength = 64;

    /// <summary>Width of a table name (OFP_MAX_TABLE_NAME_LEN).</summary>
    public const int NameLength = 32;

    /// <summary>Reads one table's features.</summary>
    public static TableFeatures DecodeItem(ref WireReader body, OfSession session)
    {
        ushort length = body.U16();
        if (length < FixedLength)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"ofp_table_features of length {length}");
        }

        WireReader e = body.Sub(length - 2);
        byte id = e.U8();
        byte command = 0;
        uint features = 0;
        if (session.Version >= OpenFlowVersion.OF15)
        {
            command = e.U8();
            features = e.U32();
        }
        else
        {
            e.Skip(5);
        }

        string name = e.FixedString(NameLength, terminated: true);
        ulong match = e.U64();
        ulong write = e.U64();
        uint caps = e.U32();
        uint max = e.U32();
        var props = new List<TableFeatureProperty>();
        while (!e.AtEnd)
        {
            ushort type = e.U16();
            ushort len = e.U16();
            if (len < 4)
            {
                throw new OfErrorException(OfError.BadPropertyBadLen, $"table feature property of length {len}");
            }

            WireReader p = e.Sub(len - 4, OfError.BadPropertyBadLen);
            props.Add(new TableFeatureProperty((TableFeaturePropType)type, p.Rest.ToArray()));
            e.Skip(Math.Min(e.Remaining, (8 - (len % 8)) % 8));
        }

        return new TableFeatures(id, name, match, write, caps, max, props, command, features);
    }

    /// <summary>Writes one table's features.</summary>
    public static void EncodeItem(TableFeatures t, WireWriter w, OfSession session)
    {
        int start = w.Length;
        w.U16(0);
        w.U8(t.TableId);
        if (session.Version >= OpenFlowVersion.OF15)
        {
            w.U8(t.Command);
            w.U32(t.Features);
        }
        else
        {
            w.Zeros(5);
        }

        w.FixedString(t.Name, NameLength);
        w.U64(t.MetadataMatch);
        w.U64(t.MetadataWrite);
        w.U32(t.Capabilities);
        w.U32(t.MaxEntries);
        foreach (TableFeatureProperty p in t.Properties)
        {
            int ps = w.Length;
            w.U16((ushort)p.Type);
            w.U16((ushort)(4 + p.Body.Length));
            w.Bytes(p.Body.Span);
            w.PadTo(ps);
        }

        w.PatchU16(start, (ushort)(w.Length - start));
    }

    /// <summary>Reads a table-features request body: a list of tables (empty for a query).</summary>
    public static TableFeaturesRequest DecodeRequest(ref WireReader body, OfSession session)
    {
        var tables = new List<TableFeatures>();
        while (!body.AtEnd)
        {
            tables.Add(DecodeItem(ref body, session));
        }

        return new TableFeaturesRequest(tables);
    }

    /// <summary>Writes a table-features request body.</summary>
    public static void EncodeRequest(TableFeaturesRequest m, WireWriter w, OfSession session)
    {
        foreach (TableFeatures t in m.Tables)
        {
            EncodeItem(t, w, session);
        }
    }
}
