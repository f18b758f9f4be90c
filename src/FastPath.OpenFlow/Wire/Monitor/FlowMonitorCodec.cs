using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire.Actions;
using FastPath.OpenFlow.Wire.Flows;
using FastPath.OpenFlow.Wire.Match;

namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>
/// Bodies of flow monitoring in its three dialects, as Open vSwitch 3.1 reads and writes them: Nicira's
/// NXST_FLOW_MONITOR (OpenFlow 1.0: NXM match, 1.0 actions), ONF's extension 187 ONFST_FLOW_MONITOR (OpenFlow 1.3:
/// NX's layout with an ofp_match and instructions) and OpenFlow 1.4's OFPMP_FLOW_MONITOR; and the cancel, paused and
/// resumed messages of the first two. Malformed input gets Open vSwitch's error: a short request or update
/// OFPBRC_BAD_LEN, flags without add, delete or modify (or unknown ones) OFPMOFC_BAD_FLAGS, non-zero padding
/// NXBRC_MUST_BE_ZERO, an unknown update event NXBRC_FM_BAD_EVENT.
/// </summary>
public static class FlowMonitorCodec
{
    /// <summary>ONFMP_FLOW_MONITOR / ONFT_FLOW_MONITOR_CANCEL: ONF's experimenter subtype.</summary>
    public const uint OnfFlowMonitor = 1870;

    /// <summary>ONFT_FLOW_MONITOR_PAUSED.</summary>
    public const uint OnfFlowMonitorPaused = 1871;

    /// <summary>ONFT_FLOW_MONITOR_RESUMED.</summary>
    public const uint OnfFlowMonitorResumed = 1872;

    private const int NxRequestLength = 16;
    private const int OnfRequestLength = 16;
    private const int Of14RequestLength = 16;
    private const int FullUpdateLength = 24;
    private const int ShortUpdateLength = 8;

    // NX and ONF number the events 0-3; OpenFlow 1.4 numbers them as FlowUpdateEvent.
    private const ushort NxAdded = 0;
    private const ushort NxDeleted = 1;
    private const ushort NxModified = 2;
    private const ushort NxAbbrev = 3;

    // OpenFlow 1.4's flags: the NX bits up to INSTRUCTIONS, NO_ABBREV (which Open vSwitch 3.1 refuses) and ONLY_OWN,
    // which Open vSwitch maps to and from NXFMF_OWN.
    private const ushort Of14OnlyOwn = 0x40;
    private const ushort Of14Common = 0x1f;

    /// <summary>Decodes an NXST_FLOW_MONITOR request body (after the multipart header).</summary>
    public static FlowMonitorRequest DecodeNxRequest(ref WireReader body, OfSession s)
    {
        _ = s;
        var monitors = new List<FlowMonitorRequestEntry>();
        while (!body.AtEnd)
        {
            RequireLength(ref body, NxRequestLength, "NXST_FLOW_MONITOR request");
            uint id = body.U32();
            FlowMonitorFlags flags = CheckFlags(body.U16());
            uint outPort = Of10Ports.ToOf11(body.U16());
            ushort matchLength = body.U16();
            byte table = body.U8();
            RequireZeros(body.Bytes(5));
            PipelineMatch match = NxMatchField.Read(ref body, matchLength, out _, out _, allowCookie: false);
            monitors.Add(new FlowMonitorRequestEntry(id, flags, outPort, table, match));
        }

        return new FlowMonitorRequest(monitors);
    }

    /// <summary>Encodes an NXST_FLOW_MONITOR request body.</summary>
    public static void EncodeNxRequest(FlowMonitorRequest m, WireWriter w, OfSession s)
    {
        _ = s;
        foreach (FlowMonitorRequestEntry e in m.Monitors)
        {
            w.U32(e.Id);
            w.U16((ushort)e.Flags);
            w.U16(Of10Ports.ToOf10(e.OutPort));
            int lengthAt = w.Length;
            w.U16(0);
            w.U8(e.TableId);
            w.Zeros(5);
            NxMatchField.Write(w, lengthAt, e.Match);
        }
    }

    /// <summary>Decodes an ONFST_FLOW_MONITOR request body (after the experimenter multipart header).</summary>
    public static FlowMonitorRequest DecodeOnfRequest(ref WireReader body, OfSession s)
    {
        _ = s;
        var monitors = new List<FlowMonitorRequestEntry>();
        while (!body.AtEnd)
        {
            RequireLength(ref body, OnfRequestLength, "ONFST_FLOW_MONITOR request");
            uint id = body.U32();
            FlowMonitorFlags flags = CheckFlags(body.U16());
            _ = body.U16(); // match_len repeats the ofp_match's own length
            uint outPort = body.U32();
            byte table = body.U8();
            RequireZeros(body.Bytes(3));
            PipelineMatch match = OxmMatchCodec.DecodeOfpMatch(ref body);
            monitors.Add(new FlowMonitorRequestEntry(id, flags, outPort, table, match));
        }

        return new FlowMonitorRequest(monitors);
    }

    /// <summary>Encodes an ONFST_FLOW_MONITOR request body.</summary>
    public static void EncodeOnfRequest(FlowMonitorRequest m, WireWriter w, OfSession s)
    {
        foreach (FlowMonitorRequestEntry e in m.Monitors)
        {
            w.U32(e.Id);
            w.U16((ushort)e.Flags);
            int lengthAt = w.Length;
            w.U16(0);
            w.U32(e.OutPort);
            w.U8(e.TableId);
            w.Zeros(3);
            int matchAt = w.Length;
            OxmMatchCodec.EncodeOfpMatch(w, e.Match, s.Version);
            w.PatchU16(lengthAt, MatchLengthField(w, matchAt));
        }
    }

    /// <summary>Decodes an OpenFlow 1.4+ OFPMP_FLOW_MONITOR request body.</summary>
    public static FlowMonitorRequest Decode14Request(ref WireReader body, OfSession s)
    {
        _ = s;
        var monitors = new List<FlowMonitorRequestEntry>();
        while (!body.AtEnd)
        {
            RequireLength(ref body, Of14RequestLength, "OFPMP_FLOW_MONITOR request");
            uint id = body.U32();
            uint outPort = body.U32();
            uint outGroup = body.U32();
            ushort wireFlags = body.U16();
            if ((wireFlags & ~(Of14Common | Of14OnlyOwn)) != 0)
            {
                throw new OfErrorException(OfError.FlowMonitorFailedBadFlags, $"flow monitor flags 0x{wireFlags:x4}");
            }

            FlowMonitorFlags flags = CheckFlags((ushort)((wireFlags & Of14Common) | ((wireFlags & Of14OnlyOwn) != 0 ? (ushort)FlowMonitorFlags.Own : 0)));
            byte table = body.U8();
            byte command = body.U8();
            if (command > (byte)FlowMonitorCommand.Delete)
            {
                throw new OfErrorException(OfError.FlowMonitorFailedBadCommand, $"flow monitor command {command}");
            }

            PipelineMatch match = OxmMatchCodec.DecodeOfpMatch(ref body);
            monitors.Add(new FlowMonitorRequestEntry(id, flags, outPort, table, match, outGroup, (FlowMonitorCommand)command));
        }

        return new FlowMonitorRequest(monitors);
    }

    /// <summary>Encodes an OpenFlow 1.4+ OFPMP_FLOW_MONITOR request body.</summary>
    public static void Encode14Request(FlowMonitorRequest m, WireWriter w, OfSession s)
    {
        foreach (FlowMonitorRequestEntry e in m.Monitors)
        {
            w.U32(e.Id);
            w.U32(e.OutPort);
            w.U32(e.OutGroup);
            ushort flags = (ushort)((ushort)e.Flags & Of14Common);
            if ((e.Flags & FlowMonitorFlags.Own) != 0)
            {
                flags |= Of14OnlyOwn;
            }

            w.U16(flags);
            w.U8(e.TableId);
            w.U8((byte)e.Command);
            OxmMatchCodec.EncodeOfpMatch(w, e.Match, s.Version);
        }
    }

    /// <summary>Decodes one update of an NXST_FLOW_MONITOR reply.</summary>
    public static FlowUpdate DecodeNxUpdate(ref WireReader body, OfSession s) => DecodeNxOrOnfUpdate(ref body, s, onf: false);

    /// <summary>Decodes one update of an ONFST_FLOW_MONITOR reply.</summary>
    public static FlowUpdate DecodeOnfUpdate(ref WireReader body, OfSession s) => DecodeNxOrOnfUpdate(ref body, s, onf: true);

    /// <summary>Encodes one update of an NXST_FLOW_MONITOR reply (the initial dump's flows as added, as Open vSwitch does).</summary>
    public static void EncodeNxUpdate(FlowUpdate u, WireWriter w, OfSession s) => EncodeNxOrOnfUpdate(u, w, s, onf: false);

    /// <summary>Encodes one update of an ONFST_FLOW_MONITOR reply.</summary>
    public static void EncodeOnfUpdate(FlowUpdate u, WireWriter w, OfSession s) => EncodeNxOrOnfUpdate(u, w, s, onf: true);

    /// <summary>Decodes one update of an OpenFlow 1.4+ OFPMP_FLOW_MONITOR reply.</summary>
    public static FlowUpdate Decode14Update(ref WireReader body, OfSession s)
    {
        WireReader u = TakeUpdate(ref body, out ushort length, out ushort wireEvent);
        var ev = (FlowUpdateEvent)wireEvent;
        switch (ev)
        {
            case FlowUpdateEvent.Abbrev:
                RequireExact(length, ShortUpdateLength);
                return FlowUpdate.Abbreviated(u.U32());
            case FlowUpdateEvent.Paused or FlowUpdateEvent.Resumed:
                RequireExact(length, ShortUpdateLength);
                RequireZeros(u.Bytes(4));
                return new FlowUpdate(ev, null);
            case FlowUpdateEvent.Initial or FlowUpdateEvent.Added or FlowUpdateEvent.Deleted or FlowUpdateEvent.Modified:
                {
                    if (length < FullUpdateLength)
                    {
                        throw new OfErrorException(OfError.BadRequestBadLen, $"flow update of {length} bytes");
                    }

                    byte table = u.U8();
                    byte reason = u.U8();
                    ushort idle = u.U16();
                    ushort hard = u.U16();
                    ushort priority = u.U16();
                    u.Skip(4);
                    ulong cookie = u.U64();
                    PipelineMatch match = OxmMatchCodec.DecodeOfpMatch(ref u);
                    OfInstructionSet ins = OfInstructionCodec.Decode(ref u, u.Remaining, s.Version);
                    var rule = new FlowRule { TableId = table, Priority = priority, IdleTimeout = idle, HardTimeout = hard, Cookie = cookie, Match = match, Instructions = ins };
                    return new FlowUpdate(ev, rule, reason);
                }

            default:
                throw new OfErrorException(OfError.NxBadRequestFmBadEvent, $"flow update event {wireEvent}");
        }
    }

    /// <summary>Encodes one update of an OpenFlow 1.4+ OFPMP_FLOW_MONITOR reply.</summary>
    public static void Encode14Update(FlowUpdate u, WireWriter w, OfSession s)
    {
        int start = w.Length;
        w.U16(0);
        w.U16((ushort)u.Event);
        switch (u.Event)
        {
            case FlowUpdateEvent.Abbrev:
                w.U32(u.Xid);
                break;
            case FlowUpdateEvent.Paused or FlowUpdateEvent.Resumed:
                w.Zeros(4);
                break;
            default:
                {
                    FlowRule r = RuleOf(u);
                    w.U8(r.TableId);
                    w.U8(u.Reason);
                    w.U16(r.IdleTimeout);
                    w.U16(r.HardTimeout);
                    w.U16(r.Priority);
                    w.Zeros(4);
                    w.U64(r.Cookie);
                    OxmMatchCodec.EncodeOfpMatch(w, r.Match, s.Version);
                    OfInstructionCodec.Encode(w, r.Instructions, s.Version, r.Match);
                    break;
                }
        }

        w.PatchU16(start, (ushort)(w.Length - start));
    }

    /// <summary>Decodes NXT_FLOW_MONITOR_CANCEL's body (OpenFlow 1.0 only, as Open vSwitch).</summary>
    public static FlowMonitorCancel DecodeNxCancel(ref WireReader body, OfSession s)
    {
        RequireVersion(s, OpenFlowVersion.OF10, "NXT_FLOW_MONITOR_CANCEL");
        return new FlowMonitorCancel(body.U32());
    }

    /// <summary>Decodes ONFT_FLOW_MONITOR_CANCEL's body (OpenFlow 1.3 only).</summary>
    public static FlowMonitorCancel DecodeOnfCancel(ref WireReader body, OfSession s)
    {
        RequireVersion(s, OpenFlowVersion.OF13, "ONFT_FLOW_MONITOR_CANCEL");
        return new FlowMonitorCancel(body.U32());
    }

    /// <summary>Encodes a cancel's body (the monitor id).</summary>
    public static void EncodeCancel(FlowMonitorCancel m, WireWriter w, OfSession s)
    {
        _ = s;
        w.U32(m.Id);
    }

    /// <summary>Decodes NXT_FLOW_MONITOR_PAUSED (empty).</summary>
    public static FlowMonitorPaused DecodeNxPaused(ref WireReader body, OfSession s) => DecodeMarker(ref body, s, OpenFlowVersion.OF10, false);

    /// <summary>Decodes NXT_FLOW_MONITOR_RESUMED (empty).</summary>
    public static FlowMonitorPaused DecodeNxResumed(ref WireReader body, OfSession s) => DecodeMarker(ref body, s, OpenFlowVersion.OF10, true);

    /// <summary>Decodes ONFT_FLOW_MONITOR_PAUSED (empty).</summary>
    public static FlowMonitorPaused DecodeOnfPaused(ref WireReader body, OfSession s) => DecodeMarker(ref body, s, OpenFlowVersion.OF13, false);

    /// <summary>Decodes ONFT_FLOW_MONITOR_RESUMED (empty).</summary>
    public static FlowMonitorPaused DecodeOnfResumed(ref WireReader body, OfSession s) => DecodeMarker(ref body, s, OpenFlowVersion.OF13, true);

    /// <summary>Encodes paused or resumed: no body.</summary>
    public static void EncodeMarker(FlowMonitorPaused m, WireWriter w, OfSession s)
    {
    }

    private static FlowMonitorPaused DecodeMarker(ref WireReader body, OfSession s, OpenFlowVersion version, bool resumed)
    {
        RequireVersion(s, version, resumed ? "flow monitor resumed" : "flow monitor paused");
        if (!body.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"flow monitor {(resumed ? "resumed" : "paused")} carries no body, got {body.Remaining} bytes");
        }

        return new FlowMonitorPaused(resumed);
    }

    private static FlowUpdate DecodeNxOrOnfUpdate(ref WireReader body, OfSession s, bool onf)
    {
        WireReader u = TakeUpdate(ref body, out ushort length, out ushort wireEvent);
        if (wireEvent == NxAbbrev)
        {
            RequireExact(length, ShortUpdateLength);
            return FlowUpdate.Abbreviated(u.U32());
        }

        FlowUpdateEvent ev = wireEvent switch
        {
            NxAdded => FlowUpdateEvent.Added,
            NxDeleted => FlowUpdateEvent.Deleted,
            NxModified => FlowUpdateEvent.Modified,
            _ => throw new OfErrorException(OfError.NxBadRequestFmBadEvent, $"flow update event {wireEvent}"),
        };
        if (length < FullUpdateLength)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"flow update of {length} bytes");
        }

        ushort reason = u.U16();
        ushort priority = u.U16();
        ushort idle = u.U16();
        ushort hard = u.U16();
        ushort matchLength = u.U16();
        byte table = u.U8();
        u.Skip(1);
        ulong cookie = u.U64();
        if (FullUpdateLength + matchLength > length)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"flow update of {length} bytes with match_len {matchLength}");
        }

        PipelineMatch match;
        OfInstructionSet ins;
        if (onf)
        {
            match = OxmMatchCodec.DecodeOfpMatch(ref u);
            ins = OfInstructionCodec.Decode(ref u, u.Remaining, s.Version);
        }
        else
        {
            match = NxMatchField.Read(ref u, matchLength, out _, out _, allowCookie: false);
            ins = OfInstructionCodec.DecodeActionList10(ref u, u.Remaining);
        }

        var rule = new FlowRule { TableId = table, Priority = priority, IdleTimeout = idle, HardTimeout = hard, Cookie = cookie, Match = match, Instructions = ins };
        return new FlowUpdate(ev, rule, (byte)reason);
    }

    private static void EncodeNxOrOnfUpdate(FlowUpdate u, WireWriter w, OfSession s, bool onf)
    {
        int start = w.Length;
        w.U16(0);
        switch (u.Event)
        {
            case FlowUpdateEvent.Abbrev:
                w.U16(NxAbbrev);
                w.U32(u.Xid);
                break;
            case FlowUpdateEvent.Paused or FlowUpdateEvent.Resumed:
                throw new NotSupportedException($"{u.Event} is a message of its own before OpenFlow 1.4 (FlowMonitorPaused)");
            default:
                {
                    FlowRule r = RuleOf(u);
                    w.U16(u.Event switch { FlowUpdateEvent.Deleted => NxDeleted, FlowUpdateEvent.Modified => NxModified, _ => NxAdded });
                    w.U16(u.Reason);
                    w.U16(r.Priority);
                    w.U16(r.IdleTimeout);
                    w.U16(r.HardTimeout);
                    int lengthAt = w.Length;
                    w.U16(0);
                    w.U8(r.TableId);
                    w.U8(0);
                    w.U64(r.Cookie);
                    if (onf)
                    {
                        int matchAt = w.Length;
                        OxmMatchCodec.EncodeOfpMatch(w, r.Match, s.Version);
                        w.PatchU16(lengthAt, MatchLengthField(w, matchAt));
                        OfInstructionCodec.Encode(w, r.Instructions, s.Version, r.Match);
                    }
                    else
                    {
                        NxMatchField.Write(w, lengthAt, r.Match);
                        OfInstructionCodec.EncodeActionList10(w, r.Instructions, r.Match);
                    }

                    break;
                }
        }

        w.PatchU16(start, (ushort)(w.Length - start));
    }

    // One update: its length (a multiple of 8 within what is left) and event; the rest of it as a reader.
    private static WireReader TakeUpdate(ref WireReader body, out ushort length, out ushort wireEvent)
    {
        if (body.Remaining < 4)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"flow update header needs 4 bytes, {body.Remaining} left");
        }

        length = body.U16();
        wireEvent = body.U16();
        if (length < ShortUpdateLength || length % 8 != 0 || length - 4 > body.Remaining)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"flow update of length {length} with {body.Remaining + 4} bytes left");
        }

        return body.Sub(length - 4);
    }

    private static FlowRule RuleOf(FlowUpdate u) =>
        u.Rule ?? throw new ArgumentException($"a {u.Event} flow update needs its rule", nameof(u));

    // The ofp_match's length field (before padding), which ONF's match_len repeats.
    private static ushort MatchLengthField(WireWriter w, int matchAt) =>
        (ushort)((w.Written[matchAt + 2] << 8) | w.Written[matchAt + 3]);

    private static FlowMonitorFlags CheckFlags(ushort flags)
    {
        var f = (FlowMonitorFlags)flags;
        if ((f & (FlowMonitorFlags.Add | FlowMonitorFlags.Delete | FlowMonitorFlags.Modify)) == 0 || (f & ~FlowMonitorFlags.All) != 0)
        {
            throw new OfErrorException(OfError.FlowMonitorFailedBadFlags, $"flow monitor flags 0x{flags:x4}");
        }

        return f;
    }

    private static void RequireLength(ref WireReader body, int length, string what)
    {
        if (body.Remaining < length)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"{what} has {body.Remaining} bytes left over");
        }
    }

    private static void RequireExact(ushort length, int expected)
    {
        if (length != expected)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"flow update of {length} bytes, expected {expected}");
        }
    }

    private static void RequireZeros(ReadOnlySpan<byte> bytes)
    {
        if (bytes.ContainsAnyExcept((byte)0))
        {
            throw new OfErrorException(OfError.NxBadRequestMustBeZero, "flow monitor padding must be zero");
        }
    }

    private static void RequireVersion(OfSession s, OpenFlowVersion version, string what)
    {
        if (s.Version != version)
        {
            throw new OfErrorException(OfError.BadRequestBadExpType, $"{what} exists on OpenFlow {version} only");
        }
    }
}
