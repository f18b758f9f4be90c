using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Wire.Actions;

/// <summary>
/// Open vSwitch's pipeline-control extensions on the wire, the same in every OpenFlow version (Nicira vendor
/// actions): NXAST_RESUBMIT / NXAST_RESUBMIT_TABLE, NXAST_OUTPUT_REG / NXAST_OUTPUT_REG2, NXAST_NOTE and
/// NXAST_EXIT. Decoders get the action's bytes after the 10-byte Nicira header, its length already checked.
/// </summary>
internal static class NxControlActionCodec
{
    /// <summary>NXAST_RESUBMIT: a 16-bit input port; the table is the current one.</summary>
    public static ResubmitAction DecodeResubmit(ref WireReader a) =>
        new(OfActionCodec.Port32(a.U16()), ResubmitAction.CurrentTable);

    /// <summary>NXAST_RESUBMIT_TABLE: a 16-bit input port, a table, three zero bytes (else OFPBAC_BAD_ARGUMENT, as Open vSwitch).</summary>
    public static ResubmitAction DecodeResubmitTable(ref WireReader a)
    {
        ushort port = a.U16();
        byte table = a.U8();
        ReadOnlySpan<byte> pad = a.Bytes(3);
        if (pad[0] != 0 || pad[1] != 0 || pad[2] != 0)
        {
            throw new OfErrorException(OfError.BadActionBadArgument, "resubmit padding is not zero");
        }

        return new ResubmitAction(OfActionCodec.Port32(port), table);
    }

    /// <summary>
    /// NXAST_RESUBMIT_TABLE, table 255 for the current one: what Open vSwitch sends for every resubmit it parsed
    /// (it keeps NXAST_RESUBMIT only for one that came in as such).
    /// </summary>
    public static void EncodeResubmit(WireWriter w, ResubmitAction r)
    {
        int start = OfActionCodec.NxStart(w, ActionTypes.NxResubmitTable);
        w.U16(OfActionCodec.Port10(r.InPort));
        w.U8(r.Table);
        OfActionCodec.End(w, start);
    }

    /// <summary>NXAST_OUTPUT_REG: ofs_nbits, an NXM header, max_len, six zero bytes (else OFPBAC_BAD_ARGUMENT).</summary>
    public static OutputRegAction DecodeOutputReg(ref WireReader a)
    {
        ushort ofsNbits = a.U16();
        uint header = a.U32();
        ushort maxLen = a.U16();
        foreach (byte b in a.Bytes(6))
        {
            if (b != 0)
            {
                throw new OfErrorException(OfError.BadActionBadArgument, "output_reg padding is not zero");
            }
        }

        OfField field = FieldHeaders.Find(header) ?? throw new OfErrorException(OfError.BadActionBadSetType, $"output_reg names no known field (header 0x{header:x8})");
        return Checked(field, header, ofsNbits, maxLen);
    }

    /// <summary>NXAST_OUTPUT_REG2: ofs_nbits, max_len, then an OXM/NXM header and zero padding (else NXBRC_MUST_BE_ZERO).</summary>
    public static OutputRegAction DecodeOutputReg2(ref WireReader a)
    {
        ushort ofsNbits = a.U16();
        ushort maxLen = a.U16();
        var (field, header, _, _) = FieldHeaders.Pull(ref a, withValue: false, mayMask: false, HeaderUse.Move);
        foreach (byte b in a.Rest)
        {
            if (b != 0)
            {
                throw new OfErrorException(OfError.NxBadRequestMustBeZero, "output_reg2 padding is not zero");
            }
        }

        return Checked(field, header, ofsNbits, maxLen);
    }

    private static OutputRegAction Checked(OfField field, uint header, ushort ofsNbits, ushort maxLen)
    {
        int ofs = ofsNbits >> 6;
        int bits = (ofsNbits & 0x3f) + 1;
        int width = FieldHeaders.Bits(header, field);
        if (ofs >= width || ofs + bits > width)
        {
            throw new OfErrorException(OfError.BadActionBadSetLen, $"output_reg bits {ofs}..{ofs + bits - 1} do not fit the {width}-bit field {field.Name}");
        }

        return new OutputRegAction(field, ofs, bits, maxLen);
    }

    /// <summary>NXAST_OUTPUT_REG (the form Open vSwitch sends for every field with an NXM or OpenFlow basic header).</summary>
    public static void EncodeOutputReg(WireWriter w, OutputRegAction o)
    {
        int start = OfActionCodec.NxStart(w, ActionTypes.NxOutputReg);
        w.U16((ushort)((o.Offset << 6) | (o.Bits - 1)));
        w.U32(SubfieldHeader(o.Source, o.Offset, o.Bits));
        w.U16(o.MaxLen);
        w.Zeros(6);
        OfActionCodec.End(w, start);
    }

    /// <summary>The NXM header of a subfield: NXM_OF_IN_PORT's 16 bits, or OXM_OF_IN_PORT for bits above them.</summary>
    public static uint SubfieldHeader(OfField field, int offset, int bits) =>
        field == OfFields.InPort && offset + bits > FieldHeaders.NxmInPortBits ? field.OxmHeader(false) : FieldHeaders.NxmHeader(field);

    /// <summary>NXAST_NOTE: every byte after the subtype, padding included, is the note.</summary>
    public static NoteAction DecodeNote(ref WireReader a) => new(a.Rest.ToArray());

    /// <summary>NXAST_NOTE: the bytes, then zeros to a multiple of 8.</summary>
    public static void EncodeNote(WireWriter w, NoteAction n)
    {
        int start = OfActionCodec.NxStart(w, ActionTypes.NxNote);
        w.Bytes(n.Data);
        if (w.Length - start < 16)
        {
            // The shortest NXAST_NOTE is 16 bytes, six of them note.
            w.Zeros(16 - (w.Length - start));
        }

        OfActionCodec.End(w, start);
    }

    /// <summary>NXAST_EXIT: no argument.</summary>
    public static void EncodeExit(WireWriter w)
    {
        int start = OfActionCodec.NxStart(w, ActionTypes.NxExit);
        OfActionCodec.End(w, start);
    }
}
