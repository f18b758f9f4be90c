using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Wire.Actions;

/// <summary>
/// NXAST_LEARN on the wire (the same in every version): the fixed part (timeouts, priority, cookie, flags, table,
/// fin timeouts), then flow_mod_specs, each a 16-bit header (source type, destination type, bit count), the
/// source (an NXM header and offset, or the value in 16-bit units), the destination (an NXM header and offset;
/// none for output), and zero padding to a multiple of 8. NXAST_LEARN2 (Open vSwitch 2.8) adds after the fixed part a
/// 32-bit limit, the result bit's offset, two zero bytes and, with NX_LEARN_F_WRITE_RESULT, the result field's NXM
/// header; it is sent only for a learn with a limit or a result destination, as Open vSwitch does. Errors as Open
/// vSwitch 3.1 answers them.
/// </summary>
internal static class LearnCodec
{
    private const ushort SrcImmediate = 1 << 13, DstLoad = 1 << 11, DstOutput = 2 << 11, DstMask = 3 << 11, BitsMask = 0x3ff;

    /// <summary>NX_LEARN_F_WRITE_RESULT: NXAST_LEARN2 carries a result destination.</summary>
    private const ushort WriteResult = 4;

    /// <summary>Decodes the action's bytes after the 10-byte Nicira header (NXAST_LEARN, or NXAST_LEARN2 with <paramref name="learn2"/>).</summary>
    public static LearnAction Decode(ref WireReader a, bool learn2 = false)
    {
        ushort idle = a.U16();
        ushort hard = a.U16();
        ushort priority = a.U16();
        ulong cookie = a.U64();
        ushort flags = a.U16();
        byte table = a.U8();
        byte pad = a.U8();
        ushort finIdle = a.U16();
        ushort finHard = a.U16();
        uint limit = 0;
        ushort resultOffset = 0;
        if (learn2)
        {
            limit = a.U32();
            resultOffset = a.U16();
            if (a.U16() != 0)
            {
                throw new OfErrorException(OfError.NxBadActionMustBeZero, "learn2 padding is not zero");
            }
        }

        if (pad != 0)
        {
            throw BadArgument("learn padding is not zero");
        }

        ushort known = (ushort)((ushort)(LearnFlags.SendFlowRem | LearnFlags.DeleteLearned) | (learn2 ? WriteResult : 0));
        if ((flags & ~known) != 0)
        {
            throw BadArgument($"learn flags 0x{flags:x} are unknown");
        }

        if (table == 0xff)
        {
            throw BadArgument("learn into table 255");
        }

        OfField? result = null;
        if ((flags & WriteResult) != 0)
        {
            // Read as a match field's header (nx_pull_header): its errors are OFPBMC_*. Open vSwitch 3.1 checks no
            // offset (it took result_dst=NXM_NX_REG1[32]; writing it changes nothing).
            if (a.Remaining < 4)
            {
                throw new OfErrorException(OfError.BadMatchBadLen, "learn2 ends before its result_dst header");
            }

            uint header = a.U32();
            result = FieldHeaders.Find(header) ?? throw new OfErrorException(OfError.BadMatchBadField, $"learn result_dst names no known field (header 0x{header:x8})");
            if (!result.Writable)
            {
                throw new OfErrorException(OfError.BadActionBadSetArgument, $"learn writes its result to {result.Name}, which is not writable");
            }
        }
        else if (resultOffset != 0)
        {
            throw BadArgument("learn2 result offset without a result destination");
        }

        var specs = new List<LearnSpec>();
        while (a.Remaining >= 2)
        {
            ushort header = (ushort)((a.Rest[0] << 8) | a.Rest[1]);
            if (header == 0)
            {
                break;
            }

            a.Skip(2);
            specs.Add(DecodeSpec(ref a, header));
        }

        foreach (byte b in a.Rest)
        {
            if (b != 0)
            {
                throw BadArgument("learn padding after the specs is not zero");
            }
        }

        return new LearnAction(specs, table, idle, hard, priority, cookie, (LearnFlags)(flags & ~WriteResult), finIdle, finHard, limit, result, resultOffset);
    }

    private static LearnSpec DecodeSpec(ref WireReader a, ushort header)
    {
        int bits = header & BitsMask;
        bool immediate = (header & SrcImmediate) != 0;
        int dstType = header & DstMask;
        // Open vSwitch ignores the header's other bits.
        if (dstType == (3 << 11) || (dstType == DstOutput && immediate))
        {
            throw BadArgument($"learn spec header 0x{header:x4} is not valid");
        }

        // A spec cut short by the end of the action is a bad length, as in Open vSwitch.
        a.Truncated = OfError.BadActionBadLen;
        OfField? source = null;
        int sourceOffset = 0;
        UInt128 value = 0;
        if (immediate)
        {
            int bytes = 2 * ((bits + 15) / 16);
            value = FieldHeaders.Number(a.Bytes(bytes));
            value &= FieldHeaders.Ones(bits);
        }
        else
        {
            (source, sourceOffset) = Subfield(ref a, bits, destination: false);
        }

        OfField? destination = null;
        int destinationOffset = 0;
        if (dstType != DstOutput)
        {
            (destination, destinationOffset) = Subfield(ref a, bits, destination: dstType == DstLoad);
        }

        var kind = dstType switch { 0 => LearnSpecKind.Match, DstLoad => LearnSpecKind.Load, _ => LearnSpecKind.Output };
        return new LearnSpec(kind, bits, source, sourceOffset, value, destination, destinationOffset);
    }

    private static (OfField Field, int Offset) Subfield(ref WireReader a, int bits, bool destination)
    {
        uint header = a.U32();
        int ofs = a.U16();
        OfField field = FieldHeaders.Find(header) ?? throw new OfErrorException(OfError.BadActionBadSetType, $"learn names no known field (header 0x{header:x8})");
        int width = FieldHeaders.Bits(header, field);
        if (bits == 0 || ofs >= width || ofs + bits > width)
        {
            throw new OfErrorException(OfError.BadActionBadSetLen, $"learn: bits {ofs}..{ofs + bits - 1} do not fit the {width}-bit field {field.Name}");
        }

        if (destination && !field.Writable)
        {
            throw new OfErrorException(OfError.BadActionBadSetArgument, $"learn loads {field.Name}, which is not writable");
        }

        return (field, ofs);
    }

    /// <summary>Encodes a learn action as Open vSwitch does (NXAST_LEARN, specs, zero padding).</summary>
    public static void Encode(WireWriter w, LearnAction l)
    {
        int start = OfActionCodec.NxStart(w, l.NeedsLearn2 ? ActionTypes.NxLearn2 : ActionTypes.NxLearn);
        w.U16(l.IdleTimeout);
        w.U16(l.HardTimeout);
        w.U16(l.Priority);
        w.U64(l.Cookie);
        w.U16((ushort)((ushort)l.Flags | (l.ResultDestination is null ? 0 : WriteResult)));
        w.U8(l.Table);
        w.U8(0);
        w.U16(l.FinIdleTimeout);
        w.U16(l.FinHardTimeout);
        if (l.NeedsLearn2)
        {
            w.U32(l.Limit);
            w.U16((ushort)(l.ResultDestination is null ? 0 : l.ResultOffset));
            w.U16(0);
            if (l.ResultDestination is { } result)
            {
                w.U32(NxControlActionCodec.SubfieldHeader(result, l.ResultOffset, 1));
            }
        }
        foreach (LearnSpec s in l.Specs)
        {
            ushort dst = s.Kind switch { LearnSpecKind.Match => 0, LearnSpecKind.Load => DstLoad, _ => DstOutput };
            w.U16((ushort)((s.IsImmediate ? SrcImmediate : 0) | dst | s.Bits));
            if (s.Source is { } src)
            {
                w.U32(NxControlActionCodec.SubfieldHeader(src, s.SourceOffset, s.Bits));
                w.U16((ushort)s.SourceOffset);
            }
            else
            {
                FieldHeaders.WriteNumber(w, s.Immediate, 2 * ((s.Bits + 15) / 16));
            }

            if (s.Destination is { } d)
            {
                w.U32(NxControlActionCodec.SubfieldHeader(d, s.DestinationOffset, s.Bits));
                w.U16((ushort)s.DestinationOffset);
            }
        }

        OfActionCodec.End(w, start);
    }

    private static OfErrorException BadArgument(string message) => new(OfError.BadActionBadArgument, message);
}
