namespace FastPath.OpenFlow.Wire.Tables;

/// <summary>One table's features (struct ofp_table_features): what it matches, which instructions and actions it takes, where it may go next.</summary>
/// <param name="TableId">The table.</param>
/// <param name="Name">Its name (at most 31 characters).</param>
/// <param name="MetadataMatch">Metadata bits the table can match.</param>
/// <param name="MetadataWrite">Metadata bits the table can write.</param>
/// <param name="Capabilities">OFPTC_* bits (1.3: "config").</param>
/// <param name="MaxEntries">Most rules the table holds.</param>
/// <param name="Properties">The properties, in wire order.</param>
/// <param name="Command">OpenFlow 1.5's OFPTFC_* command (0: replace).</param>
/// <param name="Features">OpenFlow 1.5's OFPTFF_* bits.</param>
public sealed record TableFeatures(
    byte TableId,
    string Name,
    ulong MetadataMatch,
    ulong MetadataWrite,
    uint Capabilities,
    uint MaxEntries,
    IReadOnlyList<TableFeatureProperty> Properties,
    byte Command = 0,
    uint Features = 0);

/// <summary>
/// One table-features property (ofp_table_feature_prop_*): its type and body as on the wire (the property header and
/// padding excluded). The typed constructors and readers build and read the lists the standard types hold.
/// </summary>
/// <param name="Type">The property type.</param>
/// <param name="Body">The body after the 4-byte property header, without padding.</param>
public sealed record TableFeatureProperty(TableFeaturePropType Type, ReadOnlyMemory<byte> Body)
{
    /// <summary>An instructions property listing instruction types (OFPIT_*), each as a 4-byte instruction id.</summary>
    public static TableFeatureProperty Instructions(TableFeaturePropType type, IEnumerable<ushort> instructionTypes)
    {
        var w = new WireWriter();
        foreach (ushort t in instructionTypes)
        {
            w.U16(t);
            w.U16(4);
        }

        return new(type, w.ToArray());
    }

    /// <summary>An actions property listing standard action types (OFPAT_*), each as a 4-byte action id.</summary>
    public static TableFeatureProperty Actions(TableFeaturePropType type, IEnumerable<ushort> actionTypes) => Instructions(type, actionTypes);

    /// <summary>A next-tables property.</summary>
    public static TableFeatureProperty NextTables(TableFeaturePropType type, IEnumerable<byte> tables) => new(type, tables.ToArray());

    /// <summary>An OXM property (match, wildcards, set-field) listing OXM headers (32-bit; experimenter OXMs are 64-bit: header then experimenter id).</summary>
    public static TableFeatureProperty Oxms(TableFeaturePropType type, IEnumerable<ulong> headers)
    {
        var w = new WireWriter();
        foreach (ulong h in headers)
        {
            if (h > uint.MaxValue)
            {
                w.U64(h);
            }
            else
            {
                w.U32((uint)h);
            }
        }

        return new(type, w.ToArray());
    }

    /// <summary>The instruction or action ids of an instructions/actions property: (type, experimenter id if any).</summary>
    public IReadOnlyList<(ushort Type, uint Experimenter)> ReadIds()
    {
        var ids = new List<(ushort, uint)>();
        var r = new WireReader(Body.Span, OfError.BadPropertyBadLen);
        while (!r.AtEnd)
        {
            ushort t = r.U16();
            ushort len = r.U16();
            if (len < 4)
            {
                throw new OfErrorException(OfError.BadPropertyBadLen, $"id of length {len}");
            }

            WireReader rest = r.Sub(len - 4, OfError.BadPropertyBadLen);
            ids.Add((t, rest.Remaining >= 4 ? rest.U32() : 0u));
        }

        return ids;
    }

    /// <summary>The OXM headers of a match/wildcards/set-field property (experimenter ones as 64 bits).</summary>
    public IReadOnlyList<ulong> ReadOxms()
    {
        var oxms = new List<ulong>();
        var r = new WireReader(Body.Span, OfError.BadPropertyBadLen);
        while (!r.AtEnd)
        {
            uint h = r.U32();
            oxms.Add((h >> 16) == 0xffff ? ((ulong)h << 32) | r.U32() : h);
        }

        return oxms;
    }
}

/// <summary>OFPTFPT_* table-features property types.</summary>
public enum TableFeaturePropType : ushort
{
    /// <summary>OFPTFPT_INSTRUCTIONS.</summary>
    Instructions = 0,
    /// <summary>OFPTFPT_INSTRUCTIONS_MISS.</summary>
    InstructionsMiss = 1,
    /// <summary>OFPTFPT_NEXT_TABLES.</summary>
    NextTables = 2,
    /// <summary>OFPTFPT_NEXT_TABLES_MISS.</summary>
    NextTablesMiss = 3,
    /// <summary>OFPTFPT_WRITE_ACTIONS.</summary>
    WriteActions = 4,
    /// <summary>OFPTFPT_WRITE_ACTIONS_MISS.</summary>
    WriteActionsMiss = 5,
    /// <summary>OFPTFPT_APPLY_ACTIONS.</summary>
    ApplyActions = 6,
    /// <summary>OFPTFPT_APPLY_ACTIONS_MISS.</summary>
    ApplyActionsMiss = 7,
    /// <summary>OFPTFPT_MATCH.</summary>
    Match = 8,
    /// <summary>OFPTFPT_WILDCARDS.</summary>
    Wildcards = 10,
    /// <summary>OFPTFPT_WRITE_SETFIELD.</summary>
    WriteSetField = 12,
    /// <summary>OFPTFPT_WRITE_SETFIELD_MISS.</summary>
    WriteSetFieldMiss = 13,
    /// <summary>OFPTFPT_APPLY_SETFIELD.</summary>
    ApplySetField = 14,
    /// <summary>OFPTFPT_APPLY_SETFIELD_MISS.</summary>
    ApplySetFieldMiss = 15,
    /// <summary>OFPTFPT_TABLE_SYNC_FROM (1.5).</summary>
    TableSyncFrom = 16,
    /// <summary>OFPTFPT_WRITE_COPYFIELD (1.5).</summary>
    WriteCopyField = 18,
    /// <summary>OFPTFPT_WRITE_COPYFIELD_MISS (1.5).</summary>
    WriteCopyFieldMiss = 19,
    /// <summary>OFPTFPT_APPLY_COPYFIELD (1.5).</summary>
    ApplyCopyField = 20,
    /// <summary>OFPTFPT_APPLY_COPYFIELD_MISS (1.5).</summary>
    ApplyCopyFieldMiss = 21,
    /// <summary>OFPTFPT_PACKET_TYPES (1.5).</summary>
    PacketTypes = 22,
    /// <summary>OFPTFPT_EXPERIMENTER.</summary>
    Experimenter = 0xfffe,
    /// <summary>OFPTFPT_EXPERIMENTER_MISS.</summary>
    ExperimenterMiss = 0xffff,
}
