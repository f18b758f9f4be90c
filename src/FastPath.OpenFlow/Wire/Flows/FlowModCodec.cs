using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire.Actions;
using FastPath.OpenFlow.Wire.Match;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>
/// OFPT_FLOW_MOD of every version and Open vSwitch's NXT_FLOW_MOD (body after vendor and subtype), to and from
/// <see cref="FlowMod"/>, with Open vSwitch's readings: on OpenFlow 1.0 and NXM a modify that matches nothing
/// adds, the table id rides in the command's high byte only after NXT_FLOW_MOD_TABLE_ID (else an add goes to
/// table 0 and a modify or delete covers every table), OFPFF_EMERG is refused with OFPFMFC_TABLE_FULL; from 1.1
/// an add to OFPTT_ALL is OFPFMFC_BAD_TABLE_ID.
/// </summary>
/// <remarks>
/// Errors come in Open vSwitch 3.1's order (ofputil_decode_flow_mod): the match, then the command and table, then
/// the actions or instructions, then the flags; a message wrong in two places gets the error of the first.
/// </remarks>
public static class FlowModCodec
{
    /// <summary>OFPTT_ALL.</summary>
    public const byte AllTables = 0xff;

    private const ushort Of10Flags = 0x7; // send_flow_rem, check_overlap, emerg
    private const ushort EmergFlag = 0x4;
    private const ushort Of13Flags = 0x1f;

    /// <summary>Decodes an OFPT_FLOW_MOD body (after the 8-byte header).</summary>
    public static FlowModMessage Decode(ref WireReader body, OfSession s)
    {
        // Open vSwitch declares a flow-mod as its fixed part then 8-byte units (ofp-msgs: uint8_t[8][]) and refuses
        // any other length before reading a field; the fixed parts are multiples of 8, so the body must be too.
        if (body.Remaining % 8 != 0)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"flow-mod body of {body.Remaining} bytes is not a multiple of 8");
        }

        if (s.Version == OpenFlowVersion.OF10)
        {
            PipelineMatch m10 = Of10MatchCodec.Decode(ref body);
            ulong cookie10 = body.U64();
            ushort command10 = body.U16();
            ushort idle10 = body.U16();
            ushort hard10 = body.U16();
            ushort priority10 = body.U16();
            uint buffer10 = body.U32();
            ushort outPort10 = body.U16();
            ushort flags10 = body.U16();
            (FlowModCommand cmd10, byte table10) = NxCommand(s, command10);
            OfInstructionSet ins10 = OfInstructionCodec.DecodeActionList10(ref body, body.Remaining);
            return new FlowModMessage(Build10(s, m10, cookie10, 0, cmd10, table10, idle10, hard10, priority10, buffer10, outPort10, flags10, ins10));
        }

        ulong cookie = body.U64();
        ulong cookieMask = body.U64();
        byte table = body.U8();
        byte command = body.U8();
        ushort idle = body.U16();
        ushort hard = body.U16();
        ushort priority = body.U16();
        uint buffer = body.U32();
        uint outPort = body.U32();
        uint outGroup = body.U32();
        ushort flags = body.U16();
        ushort importance = body.U16();
        PipelineMatch m = OxmMatchCodec.DecodeOfpMatch(ref body);
        FlowModCommand cmd = Command(command);
        if (table == AllTables && cmd == FlowModCommand.Add)
        {
            throw new OfErrorException(OfError.FlowModFailedBadTableId, "add to OFPTT_ALL");
        }

        OfInstructionSet ins = OfInstructionCodec.Decode(ref body, body.Remaining, s.Version);
        CheckFlags13(flags);

        bool add = cmd == FlowModCommand.Add;
        var rule = new FlowRule
        {
            TableId = table == AllTables ? (byte)0 : table,
            Priority = priority,
            Cookie = add ? cookie : cookie & cookieMask,
            CookieMask = add ? 0 : cookieMask,
            IdleTimeout = idle,
            HardTimeout = hard,
            Flags = (FlowModFlags)flags,
            Importance = s.Version >= OpenFlowVersion.OF14 ? importance : (ushort)0,
            Match = m,
            Instructions = ins,
        };
        return new FlowModMessage(new FlowMod(cmd, rule, outPort, outGroup, AllTables: table == AllTables, ModifyAddsIfNone: false, BufferId: buffer));
    }

    /// <summary>Encodes an OFPT_FLOW_MOD body. On OpenFlow 1.0 the match must fit the 40-byte ofp_match (else use NXT_FLOW_MOD).</summary>
    public static void Encode(FlowModMessage message, WireWriter w, OfSession s)
    {
        FlowMod f = message.Mod;
        FlowRule r = f.Rule;
        if (s.Version == OpenFlowVersion.OF10)
        {
            // What ofp_flow_mod cannot say (an NXM-only match, a cookie mask) needs NXT_FLOW_MOD: the session's flow format decides.
            if (!Of10MatchCodec.CanEncode(r.Match) || (r.CookieMask != 0 && f.Command != FlowModCommand.Add))
            {
                throw new NotSupportedException($"this flow-mod needs NXT_FLOW_MOD (the NXM flow format): {r.Match}, cookie mask 0x{r.CookieMask:x}");
            }

            Of10MatchCodec.Encode(w, r.Match);
            w.U64(r.Cookie);
            w.U16(Command10(f, s));
            w.U16(r.IdleTimeout);
            w.U16(r.HardTimeout);
            w.U16(r.Priority);
            w.U32(f.BufferId);
            w.U16(Of10Ports.ToOf10(f.OutPort));
            w.U16(Flags10(r.Flags));
            OfInstructionCodec.EncodeActionList10(w, r.Instructions, r.Match);
            return;
        }

        w.U64(r.Cookie);
        w.U64(f.Command == FlowModCommand.Add ? 0 : r.CookieMask);
        w.U8(f.AllTables ? AllTables : r.TableId);
        w.U8((byte)f.Command);
        w.U16(r.IdleTimeout);
        w.U16(r.HardTimeout);
        w.U16(r.Priority);
        w.U32(f.BufferId);
        w.U32(f.OutPort);
        w.U32(f.OutGroup);
        w.U16((ushort)r.Flags);
        w.U16(s.Version >= OpenFlowVersion.OF14 ? r.Importance : (ushort)0);
        OxmMatchCodec.EncodeOfpMatch(w, r.Match, s.Version);
        OfInstructionCodec.Encode(w, r.Instructions, s.Version, r.Match);
    }

    /// <summary>Decodes an NXT_FLOW_MOD body (after vendor and subtype); NXM_NX_COOKIE in the match filters modify and delete.</summary>
    public static FlowModMessage DecodeNx(ref WireReader body, OfSession s)
    {
        ulong cookie = body.U64();
        ushort command = body.U16();
        ushort idle = body.U16();
        ushort hard = body.U16();
        ushort priority = body.U16();
        uint buffer = body.U32();
        ushort outPort = body.U16();
        ushort flags = body.U16();
        ushort matchLength = body.U16();
        body.Skip(6);
        PipelineMatch m = NxMatchField.Read(ref body, matchLength, out ulong filterCookie, out ulong filterMask, allowCookie: true);
        if ((command & 0xff) == (byte)FlowModCommand.Add && filterMask != 0)
        {
            throw new OfErrorException(OfError.NxBadRequestNxmInvalid, "NXM_NX_COOKIE in an add");
        }

        (FlowModCommand cmd, byte table) = NxCommand(s, command);

        // Open vSwitch reads what follows the match as the connection's version reads a flow-mod's tail: actions on
        // 1.0, instructions from 1.1 (so a 1.0 action list on a 1.3 connection is OFPBIC_UNKNOWN_INST: OFPAT_OUTPUT
        // is instruction type 0), and the flags by that version's bits.
        OfInstructionSet ins = s.Version == OpenFlowVersion.OF10
            ? OfInstructionCodec.DecodeActionList10(ref body, body.Remaining)
            : OfInstructionCodec.Decode(ref body, body.Remaining, s.Version);
        return new FlowModMessage(Build10(s, m, filterMask != 0 ? filterCookie : cookie, filterMask, cmd, table, idle, hard, priority, buffer, outPort, flags, ins));
    }

    /// <summary>Encodes an NXT_FLOW_MOD body (after vendor and subtype).</summary>
    public static void EncodeNx(FlowModMessage message, WireWriter w, OfSession s)
    {
        FlowMod f = message.Mod;
        FlowRule r = f.Rule;
        bool filter = f.Command != FlowModCommand.Add && r.CookieMask != 0;
        w.U64(filter ? 0 : r.Cookie);
        w.U16(Command10(f, s));
        w.U16(r.IdleTimeout);
        w.U16(r.HardTimeout);
        w.U16(r.Priority);
        w.U32(f.BufferId);
        w.U16(Of10Ports.ToOf10(f.OutPort));
        w.U16(Flags10(r.Flags));
        int lengthAt = w.Length;
        w.U16(0);
        w.Zeros(6);
        NxMatchField.Write(w, lengthAt, r.Match, filter ? r.Cookie : 0, filter ? r.CookieMask : 0);
        OfInstructionCodec.EncodeActionList10(w, r.Instructions, r.Match);
    }

    private static FlowMod Build10(
        OfSession s, PipelineMatch m, ulong cookie, ulong cookieMask, FlowModCommand cmd, byte table, ushort idle, ushort hard, ushort priority,
        uint buffer, ushort outPort, ushort flags, OfInstructionSet ins)
    {
        if (s.Version != OpenFlowVersion.OF10)
        {
            CheckFlags13(flags);
        }
        else if ((flags & EmergFlag) != 0)
        {
            // Open vSwitch has no emergency flow cache and says the table is full.
            throw new OfErrorException(OfError.FlowModFailedTableFull, "OFPFF_EMERG is not supported");
        }
        else if ((flags & ~Of10Flags) != 0)
        {
            throw new OfErrorException(OfError.FlowModFailedBadFlags, $"flow-mod flags 0x{flags:x4}");
        }

        bool add = cmd == FlowModCommand.Add;
        var rule = new FlowRule
        {
            TableId = table == AllTables ? (byte)0 : table,
            Priority = priority,
            Cookie = cookie,
            CookieMask = add ? 0 : cookieMask,
            IdleTimeout = idle,
            HardTimeout = hard,
            Flags = (FlowModFlags)flags,
            Match = m,
            Instructions = ins,
        };
        return new FlowMod(
            cmd, rule, Of10Ports.ToOf11(outPort), FlowMod.AnyGroup, AllTables: table == AllTables && !add,
            ModifyAddsIfNone: cmd is FlowModCommand.Modify or FlowModCommand.ModifyStrict, BufferId: buffer,
            ModifyCookie: cmd is FlowModCommand.Modify or FlowModCommand.ModifyStrict);
    }

    /// <summary>
    /// The command and table of an OpenFlow 1.0 or Nicira flow-mod's 16-bit command: the table rides in the high
    /// byte after NXT_FLOW_MOD_TABLE_ID on 1.0, and always on later versions (Open vSwitch's OFPUTIL_P_TID holds every
    /// protocol after 1.0); else a high byte makes the command unknown.
    /// </summary>
    private static (FlowModCommand Command, byte Table) NxCommand(OfSession s, ushort command) =>
        s.FlowModTableId || s.Version != OpenFlowVersion.OF10
            ? (Command((byte)command), (byte)(command >> 8))
            : (Command(command), AllTables);

    private static void CheckFlags13(ushort flags)
    {
        if ((flags & ~Of13Flags) != 0)
        {
            throw new OfErrorException(OfError.FlowModFailedBadFlags, $"flow-mod flags 0x{flags:x4}");
        }
    }

    private static FlowModCommand Command(int command) => command <= (int)FlowModCommand.DeleteStrict
        ? (FlowModCommand)command
        : throw new OfErrorException(OfError.FlowModFailedBadCommand, $"flow-mod command {command}");

    private static ushort Command10(FlowMod f, OfSession s)
    {
        if (!s.FlowModTableId)
        {
            return (ushort)f.Command;
        }

        byte table = f.AllTables ? AllTables : f.Rule.TableId;
        return (ushort)((table << 8) | (int)f.Command);
    }

    private static ushort Flags10(FlowModFlags flags)
    {
        if (((ushort)flags & ~0x3) != 0)
        {
            throw new ArgumentException($"flags {flags} have no OpenFlow 1.0 encoding");
        }

        return (ushort)flags;
    }
}
