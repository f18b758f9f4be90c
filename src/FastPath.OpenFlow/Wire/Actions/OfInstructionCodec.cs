using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;

namespace FastPath.OpenFlow.Wire.Actions;

/// <summary>
/// A flow's instructions both ways, as Open vSwitch 3.1 encodes and decodes them: OpenFlow 1.3-1.5's OFPIT_*
/// (1.5 carries the meter as the first action of apply-actions), and OpenFlow 1.0's single action list, where
/// write_metadata is Nicira's NXAST_WRITE_METADATA and goto_table a final NXAST_RESUBMIT_TABLE. Malformed
/// instructions throw <see cref="OfErrorException"/> with the OFPBIC_* error Open vSwitch answers.
/// </summary>
public static class OfInstructionCodec
{
    private const ushort GotoTable = 1, WriteMetadata = 2, WriteActions = 3, ApplyActions = 4, ClearActions = 5, Meter = 6, Experimenter = 0xffff;

    /// <summary>Decodes <paramref name="length"/> bytes of instructions (on OpenFlow 1.0: of actions) into a set.</summary>
    public static OfInstructionSet Decode(ref WireReader r, int length, OpenFlowVersion v)
    {
        if (v == OpenFlowVersion.OF10)
        {
            return DecodeActionList10(ref r, length);
        }

        if (length < 0 || length % 8 != 0 || length > r.Remaining)
        {
            throw new OfErrorException(OfError.BadInstructionBadLen, $"instructions length {length} is not a multiple of 8 or exceeds the {r.Remaining} bytes left");
        }

        WireReader all = r.Sub(length, OfError.BadInstructionBadLen);

        // First pass as Open vSwitch's decode_openflow11_instructions: each instruction's type and size, no duplicates.
        Span<int> offsets = stackalloc int[7];
        Span<int> lengths = stackalloc int[7];
        offsets.Fill(-1);
        ReadOnlySpan<byte> bytes = all.Rest;
        int at = 0;
        while (bytes.Length - at >= 8)
        {
            ushort type = (ushort)((bytes[at] << 8) | bytes[at + 1]);
            int len = (bytes[at + 2] << 8) | bytes[at + 3];
            if (len < 8 || len % 8 != 0 || len > bytes.Length - at)
            {
                break;
            }

            bool sizeOk = type switch
            {
                GotoTable or ClearActions or Meter => len == 8,
                WriteMetadata => len == 24,
                WriteActions or ApplyActions => true,
                Experimenter => throw new OfErrorException(OfError.BadInstructionBadExperimenter, "experimenter instructions are not supported"),
                _ => throw new OfErrorException(OfError.BadInstructionUnknownInst, $"instruction type {type} is unknown"),
            };
            if (!sizeOk)
            {
                throw new OfErrorException(OfError.BadInstructionBadLen, $"instruction type {type} of length {len}");
            }

            if (offsets[type] >= 0)
            {
                throw new OfErrorException(OfError.BadInstructionDupInst, $"instruction type {type} appears twice");
            }

            offsets[type] = at;
            lengths[type] = len;
            at += len;
        }

        if (at != bytes.Length)
        {
            throw new OfErrorException(OfError.BadInstructionBadLen, $"bad instruction format at offset {at}");
        }

        var set = new OfInstructionSet();
        if (offsets[Meter] >= 0)
        {
            WireReader m = Body(all, offsets[Meter], 8);
            set = set with { Meter = m.U32() };
        }

        if (offsets[ApplyActions] >= 0)
        {
            WireReader a = Body(all, offsets[ApplyActions], lengths[ApplyActions]);
            a.Skip(4);
            var extras = default(ActionListExtras);
            List<OfAction> apply = OfActionCodec.DecodeList(ref a, a.Remaining, v, ref extras);
            if (extras.Meter is uint meter)
            {
                // OpenFlow 1.5's meter action: FastPath meters before every other action, so only there.
                if (extras.MeterNotFirst || set.Meter is not null)
                {
                    throw new OfErrorException(OfError.BadActionUnsupportedOrder, "a meter is supported only as the first action, and only once");
                }

                set = set with { Meter = meter };
                extras.Meter = null;
            }

            if (extras.WriteMetadata is { } metadata)
            {
                // Open vSwitch takes Nicira's write_metadata at the end of apply-actions as the instruction, if
                // no later instruction kind came.
                if (extras.WriteMetadataNotLast || offsets[ClearActions] >= 0 || offsets[WriteActions] >= 0 || offsets[WriteMetadata] >= 0)
                {
                    throw new OfErrorException(OfError.BadActionUnsupportedOrder, "write_metadata must follow every action and precede no other instruction");
                }

                set = set with { WriteMetadata = metadata };
                extras.WriteMetadata = null;
            }

            extras.RefuseAll();
            set = set with { ApplyActions = apply };
        }

        if (offsets[ClearActions] >= 0)
        {
            set = set with { ClearActions = true };
        }

        if (offsets[WriteActions] >= 0)
        {
            WireReader a = Body(all, offsets[WriteActions], lengths[WriteActions]);
            a.Skip(4);
            set = set with { WriteActions = OfActionCodec.Decode(ref a, a.Remaining, v) };
        }

        if (offsets[WriteMetadata] >= 0)
        {
            WireReader m = Body(all, offsets[WriteMetadata], 24);
            m.Skip(4);
            ulong metadata = m.U64();
            set = set with { WriteMetadata = (metadata, m.U64()) };
        }

        if (offsets[GotoTable] >= 0)
        {
            WireReader g = Body(all, offsets[GotoTable], 8);
            // Which tables may follow is the switch's check (OFPBIC_BAD_TABLE_ID); Open vSwitch decodes any number.
            set = set with { GotoTable = g.U8() };
        }

        return set;
    }

    /// <summary>Encodes a set for a rule that matches nothing in particular (see the overload with a match).</summary>
    public static void Encode(WireWriter w, OfInstructionSet set, OpenFlowVersion v) => Encode(w, set, v, PipelineMatch.Any);

    /// <summary>
    /// Encodes a set as Open vSwitch does for a rule with <paramref name="match"/> (on OpenFlow 1.0 as one action
    /// list: <see cref="EncodeActionList10(WireWriter, OfInstructionSet, in PipelineMatch)"/>).
    /// </summary>
    public static void Encode(WireWriter w, OfInstructionSet set, OpenFlowVersion v, in PipelineMatch match)
    {
        if (v == OpenFlowVersion.OF10)
        {
            EncodeActionList10(w, set, match);
            return;
        }

        PipelineMatch state = match;
        if (set.Meter is uint meter && v < OpenFlowVersion.OF15)
        {
            w.U16(Meter);
            w.U16(8);
            w.U32(meter);
        }

        bool meterAction = set.Meter is not null && v >= OpenFlowVersion.OF15;
        if (set.ApplyActions.Count > 0 || meterAction)
        {
            int start = w.Length;
            w.U16(ApplyActions);
            w.U16(0);
            w.Zeros(4);
            if (meterAction)
            {
                w.U16(ActionTypes.Meter);
                w.U16(8);
                w.U32(set.Meter!.Value);
            }

            OfActionCodec.EncodeTracked(w, set.ApplyActions, v, ref state);
            w.PatchU16(start + 2, (ushort)(w.Length - start));
        }

        if (set.ClearActions)
        {
            w.U16(ClearActions);
            w.U16(8);
            w.Zeros(4);
        }

        if (set.WriteActions is { } write)
        {
            int start = w.Length;
            w.U16(WriteActions);
            w.U16(0);
            w.Zeros(4);
            OfActionCodec.EncodeTracked(w, write, v, ref state);
            w.PatchU16(start + 2, (ushort)(w.Length - start));
        }

        if (set.WriteMetadata is var (value, mask))
        {
            w.U16(WriteMetadata);
            w.U16(24);
            w.Zeros(4);
            w.U64(value);
            w.U64(mask);
        }

        if (set.GotoTable is byte table)
        {
            w.U16(GotoTable);
            w.U16(8);
            w.U8(table);
            w.Zeros(3);
        }
    }

    /// <summary>
    /// Decodes an OpenFlow 1.0 flow's action list into a set: a final Nicira write_metadata becomes the
    /// instruction. A resubmit stays a resubmit action (Open vSwitch's goto_table on 1.0 is one, and Open vSwitch
    /// keeps it as one). A write_metadata followed by any action is OFPBAC_UNSUPPORTED_ORDER, as in Open vSwitch
    /// (which so refuses its own encoding of write_metadata with goto_table).
    /// </summary>
    public static OfInstructionSet DecodeActionList10(ref WireReader r, int length)
    {
        var extras = default(ActionListExtras);
        List<OfAction> actions = OfActionCodec.DecodeList(ref r, length, OpenFlowVersion.OF10, ref extras);
        var set = new OfInstructionSet { ApplyActions = actions };
        if (extras.WriteMetadata is { } metadata)
        {
            if (extras.WriteMetadataNotLast)
            {
                throw new OfErrorException(OfError.BadActionUnsupportedOrder, "write_metadata must come after every action (it is an instruction)");
            }

            set = set with { WriteMetadata = metadata };
            extras.WriteMetadata = null;
        }

        extras.RefuseAll();
        return set;
    }

    /// <summary>Encodes a set as one OpenFlow 1.0 action list for a rule that matches nothing in particular.</summary>
    public static void EncodeActionList10(WireWriter w, OfInstructionSet set) => EncodeActionList10(w, set, PipelineMatch.Any);

    /// <summary>
    /// Encodes a set as one OpenFlow 1.0 action list, as Open vSwitch does: the actions, then NXAST_WRITE_METADATA,
    /// then NXAST_RESUBMIT_TABLE for goto_table. OpenFlow 1.0 has no meter, clear_actions or write_actions. The meter
    /// is left out, as Open vSwitch 3.1 leaves it out (plain <c>ovs-ofctl dump-flows</c> shows a metered rule's other
    /// actions); clear_actions and write_actions throw <see cref="NotSupportedException"/>.
    /// </summary>
    public static void EncodeActionList10(WireWriter w, OfInstructionSet set, in PipelineMatch match)
    {
        if (set.ClearActions || set.WriteActions is not null)
        {
            string what = set.ClearActions ? "clear_actions" : "write_actions";
            throw new NotSupportedException($"OpenFlow 1.0 cannot express {what}");
        }

        OfActionCodec.Encode(w, set.ApplyActions, OpenFlowVersion.OF10, match);
        if (set.WriteMetadata is var (value, mask))
        {
            w.U16(ActionTypes.Experimenter);
            w.U16(32);
            w.U32(ActionTypes.NxVendor);
            w.U16(ActionTypes.NxWriteMetadata);
            w.Zeros(6);
            w.U64(value);
            w.U64(mask);
        }

        if (set.GotoTable is byte table)
        {
            w.U16(ActionTypes.Experimenter);
            w.U16(16);
            w.U32(ActionTypes.NxVendor);
            w.U16(ActionTypes.NxResubmitTable);
            w.U16(0xfff8);
            w.U8(table);
            w.Zeros(3);
        }
    }

    private static WireReader Body(WireReader all, int offset, int length)
    {
        all.Skip(offset + 4);
        return all.Sub(length - 4, OfError.BadInstructionBadLen);
    }
}
