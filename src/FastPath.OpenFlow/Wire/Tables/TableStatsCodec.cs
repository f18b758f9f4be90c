using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Tables;

/// <summary>ofp_table_stats: 64 bytes in OpenFlow 1.0 (with name, wildcards, max_entries), 24 in 1.3+.</summary>
public static class TableStatsCodec
{
    /// <summary>Width of a table name (OFP_MAX_TABLE_NAME_LEN).</summary>
    public const int NameLength = 32;

    /// <summary>Reads one table's entry.</summary>
    public static TableStats DecodeItem(ref WireReader body, OfSession session)
    {
        byte id = body.U8();
        body.Skip(3);
        if (session.Version == OpenFlowVersion.OF10)
        {
            string name = body.FixedString(NameLength, terminated: true);
            uint wildcards = body.U32();
            uint max = body.U32();
            uint active = body.U32();
            return new TableStats(id, active, body.U64(), body.U64(), name, wildcards, max);
        }

        return new TableStats(id, body.U32(), body.U64(), body.U64());
    }

    /// <summary>Writes one table's entry.</summary>
    public static void EncodeItem(TableStats t, WireWriter w, OfSession session)
    {
        w.U8(t.TableId);
        w.Zeros(3);
        if (session.Version == OpenFlowVersion.OF10)
        {
            w.FixedString(t.Name, NameLength);
            w.U32(t.Wildcards);
            w.U32(t.MaxEntries);
        }

        w.U32(t.ActiveCount);
        w.U64(t.LookupCount);
        w.U64(t.MatchedCount);
    }
}
