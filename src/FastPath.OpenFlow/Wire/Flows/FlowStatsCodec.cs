using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire.Actions;
using FastPath.OpenFlow.Wire.Match;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>
/// Bodies of flow and aggregate stats requests and replies, for the multipart layer. The standard forms
/// (OFPST_FLOW/AGGREGATE in OpenFlow 1.0, OFPMP_FLOW/AGGREGATE in 1.3-1.5) start after the stats/multipart
/// header; the Nicira forms (NXST_FLOW/AGGREGATE) after the Nicira stats header (vendor, subtype, padding).
/// Reply entries are read and written one at a time (the multipart layer splits long lists between them).
/// </summary>
public static class FlowStatsCodec
{
    private const int Of10FlowStatsLength = 88;
    private const int NxFlowStatsLength = 48;
    private const int Of13FlowStatsLength = 48;
    private const int Of15FlowStatsLength = 24;

    /// <summary>Decodes an OFPST_/OFPMP_FLOW request body.</summary>
    public static FlowStatsRequest DecodeRequest(ref WireReader body, OfSession s)
    {
        var f = ReadFilter(ref body, s);
        return new FlowStatsRequest(f.Table, f.Match, f.OutPort, f.OutGroup, f.Cookie, f.CookieMask);
    }

    /// <summary>Decodes an OFPST_/OFPMP_AGGREGATE request body.</summary>
    public static AggregateStatsRequest DecodeAggregateRequest(ref WireReader body, OfSession s)
    {
        var f = ReadFilter(ref body, s);
        return new AggregateStatsRequest(f.Table, f.Match, f.OutPort, f.OutGroup, f.Cookie, f.CookieMask);
    }

    /// <summary>Encodes an OFPST_/OFPMP_FLOW or AGGREGATE request body.</summary>
    public static void EncodeRequest(FlowStatsFilter m, WireWriter w, OfSession s)
    {
        if (s.Version == OpenFlowVersion.OF10)
        {
            Of10MatchCodec.Encode(w, m.Match);
            w.U8(m.TableId);
            w.U8(0);
            w.U16(Of10Ports.ToOf10(m.OutPort));
            return;
        }

        w.U8(m.TableId);
        w.Zeros(3);
        w.U32(m.OutPort);
        w.U32(m.OutGroup);
        w.Zeros(4);
        w.U64(m.Cookie);
        w.U64(m.CookieMask);
        OxmMatchCodec.EncodeOfpMatch(w, m.Match, s.Version);
    }

    /// <summary>Decodes an NXST_FLOW request body.</summary>
    public static NxFlowStatsRequest DecodeNxRequest(ref WireReader body, OfSession s)
    {
        var f = ReadNxFilter(ref body, s);
        return new NxFlowStatsRequest(f.Table, f.Match, f.OutPort, FlowMod.AnyGroup, f.Cookie, f.CookieMask);
    }

    /// <summary>Decodes an NXST_AGGREGATE request body.</summary>
    public static NxAggregateStatsRequest DecodeNxAggregateRequest(ref WireReader body, OfSession s)
    {
        var f = ReadNxFilter(ref body, s);
        return new NxAggregateStatsRequest(f.Table, f.Match, f.OutPort, FlowMod.AnyGroup, f.Cookie, f.CookieMask);
    }

    /// <summary>Encodes an NXST_FLOW or NXST_AGGREGATE request body.</summary>
    public static void EncodeNxRequest(FlowStatsFilter m, WireWriter w, OfSession s)
    {
        _ = s;
        w.U16(Of10Ports.ToOf10(m.OutPort));
        int lengthAt = w.Length;
        w.U16(0);
        w.U8(m.TableId);
        w.Zeros(3);
        NxMatchField.Write(w, lengthAt, m.Match, m.Cookie, m.CookieMask);
    }

    /// <summary>Decodes an aggregate reply body (OpenFlow 1.0 and 1.3/1.4: three counters; 1.5: ofp_stats).</summary>
    public static AggregateStatsReply DecodeAggregateReply(ref WireReader body, OfSession s)
    {
        var (packets, bytes, flows) = ReadAggregate(ref body, s);
        return new AggregateStatsReply(packets, bytes, flows);
    }

    /// <summary>Decodes an NXST_AGGREGATE reply body.</summary>
    public static NxAggregateStatsReply DecodeNxAggregateReply(ref WireReader body, OfSession s)
    {
        var (packets, bytes, flows) = ReadAggregate(ref body, s with { Version = OpenFlowVersion.OF10 });
        return new NxAggregateStatsReply(packets, bytes, flows);
    }

    /// <summary>Encodes an aggregate reply body.</summary>
    public static void EncodeAggregateReply(AggregateStatsReply m, WireWriter w, OfSession s) => WriteAggregate(w, m.Packets, m.Bytes, m.Flows, s);

    /// <summary>Encodes an NXST_AGGREGATE reply body.</summary>
    public static void EncodeNxAggregateReply(NxAggregateStatsReply m, WireWriter w, OfSession s) =>
        WriteAggregate(w, m.Packets, m.Bytes, m.Flows, s with { Version = OpenFlowVersion.OF10 });

    /// <summary>Decodes one entry of an OFPST_/OFPMP_FLOW reply.</summary>
    public static FlowStatsEntry DecodeItem(ref WireReader body, OfSession s)
    {
        ushort length = body.U16();
        int min = s.Version == OpenFlowVersion.OF10 ? Of10FlowStatsLength : s.Version >= OpenFlowVersion.OF15 ? Of15FlowStatsLength : Of13FlowStatsLength;
        if (length < min)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"flow stats entry of {length} bytes");
        }

        WireReader e = body.Sub(length - 2);
        return s.Version == OpenFlowVersion.OF10 ? DecodeEntry10(ref e) : s.Version >= OpenFlowVersion.OF15 ? DecodeEntry15(ref e, s) : DecodeEntry13(ref e, s);
    }

    /// <summary>Encodes one entry of an OFPST_/OFPMP_FLOW reply.</summary>
    public static void EncodeItem(FlowStatsEntry f, WireWriter w, OfSession s)
    {
        int start = w.Length;
        w.U16(0);
        FlowRule r = f.Rule;
        FlowStats st = f.Stats;
        if (s.Version == OpenFlowVersion.OF10)
        {
            w.U8(r.TableId);
            w.U8(0);
            Of10MatchCodec.Encode(w, r.Match);
            w.U32(st.DurationSeconds);
            w.U32(st.DurationNanoseconds);
            w.U16(r.Priority);
            w.U16(r.IdleTimeout);
            w.U16(r.HardTimeout);
            w.Zeros(6);
            w.U64(r.Cookie);
            w.U64(st.Packets);
            w.U64(st.Bytes);
            OfInstructionCodec.EncodeActionList10(w, r.Instructions, r.Match);
        }
        else if (s.Version >= OpenFlowVersion.OF15)
        {
            w.U16(0);
            w.U8(r.TableId);
            w.U8(0); // reason: OFPFSR_STATS_REQUEST
            w.U16(r.Priority);
            w.U16(r.IdleTimeout);
            w.U16(r.HardTimeout);
            w.U16((ushort)r.Flags);
            w.U16(r.Importance);
            w.U64(r.Cookie);
            OxmMatchCodec.EncodeOfpMatch(w, r.Match, s.Version);
            OxsStats.Write(w, st);
            OfInstructionCodec.Encode(w, r.Instructions, s.Version, r.Match);
        }
        else
        {
            w.U8(r.TableId);
            w.U8(0);
            w.U32(st.DurationSeconds);
            w.U32(st.DurationNanoseconds);
            w.U16(r.Priority);
            w.U16(r.IdleTimeout);
            w.U16(r.HardTimeout);
            w.U16((ushort)r.Flags);
            w.U16(s.Version >= OpenFlowVersion.OF14 ? r.Importance : (ushort)0);
            w.U16(0);
            w.U64(r.Cookie);
            w.U64(st.Packets);
            w.U64(st.Bytes);
            OxmMatchCodec.EncodeOfpMatch(w, r.Match, s.Version);
            OfInstructionCodec.Encode(w, r.Instructions, s.Version, r.Match);
        }

        w.PatchU16(start, (ushort)(w.Length - start));
    }

    /// <summary>Decodes one entry of an NXST_FLOW reply.</summary>
    public static FlowStatsEntry DecodeNxItem(ref WireReader body, OfSession s)
    {
        _ = s;
        ushort length = body.U16();
        if (length < NxFlowStatsLength)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"NXST_FLOW entry of {length} bytes");
        }

        WireReader e = body.Sub(length - 2);
        byte table = e.U8();
        e.Skip(1);
        uint sec = e.U32();
        uint nsec = e.U32();
        ushort priority = e.U16();
        ushort idle = e.U16();
        ushort hard = e.U16();
        ushort matchLength = e.U16();
        ushort idleAge = e.U16();
        ushort hardAge = e.U16();
        ulong cookie = e.U64();
        ulong packets = e.U64();
        ulong bytes = e.U64();
        PipelineMatch m = NxMatchField.Read(ref e, matchLength, out _, out _, allowCookie: false);
        OfInstructionSet ins = OfInstructionCodec.DecodeActionList10(ref e, e.Remaining);
        var rule = new FlowRule { TableId = table, Priority = priority, IdleTimeout = idle, HardTimeout = hard, Cookie = cookie, Match = m, Instructions = ins };

        // NXST_FLOW sends ages plus one, zero meaning unknown.
        return new FlowStatsEntry(rule, new FlowStats(packets, bytes, sec, nsec, idleAge == 0 ? null : idleAge - 1, hardAge == 0 ? null : hardAge - 1));
    }

    /// <summary>Encodes one entry of an NXST_FLOW reply.</summary>
    public static void EncodeNxItem(FlowStatsEntry f, WireWriter w, OfSession s)
    {
        _ = s;
        int start = w.Length;
        FlowRule r = f.Rule;
        FlowStats st = f.Stats;
        w.U16(0);
        w.U8(r.TableId);
        w.U8(0);
        w.U32(st.DurationSeconds);
        w.U32(st.DurationNanoseconds);
        w.U16(r.Priority);
        w.U16(r.IdleTimeout);
        w.U16(r.HardTimeout);
        int lengthAt = w.Length;
        w.U16(0);
        w.U16(Age(st.IdleAge));
        w.U16(Age(st.HardAge));
        w.U64(r.Cookie);
        w.U64(st.Packets);
        w.U64(st.Bytes);
        NxMatchField.Write(w, lengthAt, r.Match);
        OfInstructionCodec.EncodeActionList10(w, r.Instructions, r.Match);
        w.PatchU16(start, (ushort)(w.Length - start));
    }

    private static (byte Table, PipelineMatch Match, uint OutPort, uint OutGroup, ulong Cookie, ulong CookieMask) ReadFilter(ref WireReader body, OfSession s)
    {
        if (s.Version == OpenFlowVersion.OF10)
        {
            PipelineMatch m10 = Of10MatchCodec.Decode(ref body);
            byte table10 = body.U8();
            body.Skip(1);
            uint port10 = Of10Ports.ToOf11(body.U16());
            EnsureEnd(ref body);
            return (table10, m10, port10, FlowMod.AnyGroup, 0, 0);
        }

        byte table = body.U8();
        body.Skip(3);
        uint outPort = body.U32();
        uint outGroup = body.U32();
        body.Skip(4);
        ulong cookie = body.U64();
        ulong cookieMask = body.U64();
        PipelineMatch m = OxmMatchCodec.DecodeOfpMatch(ref body);
        EnsureEnd(ref body);
        return (table, m, outPort, outGroup, cookie & cookieMask, cookieMask);
    }

    private static (byte Table, PipelineMatch Match, uint OutPort, ulong Cookie, ulong CookieMask) ReadNxFilter(ref WireReader body, OfSession s)
    {
        _ = s;
        uint outPort = Of10Ports.ToOf11(body.U16());
        ushort matchLength = body.U16();
        byte table = body.U8();
        body.Skip(3);
        PipelineMatch m = NxMatchField.Read(ref body, matchLength, out ulong cookie, out ulong cookieMask, allowCookie: true);
        EnsureEnd(ref body);
        return (table, m, outPort, cookie, cookieMask);
    }

    private static (ulong Packets, ulong Bytes, uint Flows) ReadAggregate(ref WireReader body, OfSession s)
    {
        if (s.Version >= OpenFlowVersion.OF15)
        {
            OxsStats.Values v = OxsStats.Read(ref body);
            EnsureEnd(ref body);
            return (v.Packets ?? 0, v.Bytes ?? 0, v.Flows ?? 0);
        }

        ulong packets = body.U64();
        ulong bytes = body.U64();
        uint flows = body.U32();
        body.Skip(4);
        EnsureEnd(ref body);
        return (packets, bytes, flows);
    }

    private static void WriteAggregate(WireWriter w, ulong packets, ulong bytes, uint flows, OfSession s)
    {
        if (s.Version >= OpenFlowVersion.OF15)
        {
            OxsStats.WriteAggregate(w, flows, packets, bytes);
            return;
        }

        w.U64(packets);
        w.U64(bytes);
        w.U32(flows);
        w.Zeros(4);
    }

    private static ushort Age(int? age) => age is int a ? (ushort)Math.Clamp(a + 1, 1, ushort.MaxValue) : (ushort)0;

    private static FlowStatsEntry DecodeEntry10(ref WireReader e)
    {
        byte table = e.U8();
        e.Skip(1);
        PipelineMatch m = Of10MatchCodec.Decode(ref e);
        uint sec = e.U32();
        uint nsec = e.U32();
        ushort priority = e.U16();
        ushort idle = e.U16();
        ushort hard = e.U16();
        e.Skip(6);
        ulong cookie = e.U64();
        ulong packets = e.U64();
        ulong bytes = e.U64();
        OfInstructionSet ins = OfInstructionCodec.DecodeActionList10(ref e, e.Remaining);
        var rule = new FlowRule { TableId = table, Priority = priority, IdleTimeout = idle, HardTimeout = hard, Cookie = cookie, Match = m, Instructions = ins };
        return new FlowStatsEntry(rule, new FlowStats(packets, bytes, sec, nsec));
    }

    private static FlowStatsEntry DecodeEntry13(ref WireReader e, OfSession s)
    {
        byte table = e.U8();
        e.Skip(1);
        uint sec = e.U32();
        uint nsec = e.U32();
        ushort priority = e.U16();
        ushort idle = e.U16();
        ushort hard = e.U16();
        ushort flags = e.U16();
        ushort importance = e.U16();
        e.Skip(2);
        ulong cookie = e.U64();
        ulong packets = e.U64();
        ulong bytes = e.U64();
        PipelineMatch m = OxmMatchCodec.DecodeOfpMatch(ref e);
        OfInstructionSet ins = OfInstructionCodec.Decode(ref e, e.Remaining, s.Version);
        var rule = new FlowRule
        {
            TableId = table,
            Priority = priority,
            IdleTimeout = idle,
            HardTimeout = hard,
            Flags = (FlowModFlags)flags,
            Cookie = cookie,
            Importance = s.Version >= OpenFlowVersion.OF14 ? importance : (ushort)0,
            Match = m,
            Instructions = ins,
        };
        return new FlowStatsEntry(rule, new FlowStats(packets, bytes, sec, nsec));
    }

    private static FlowStatsEntry DecodeEntry15(ref WireReader e, OfSession s)
    {
        e.Skip(2);
        byte table = e.U8();
        e.Skip(1); // reason
        ushort priority = e.U16();
        ushort idle = e.U16();
        ushort hard = e.U16();
        ushort flags = e.U16();
        ushort importance = e.U16();
        ulong cookie = e.U64();
        PipelineMatch m = OxmMatchCodec.DecodeOfpMatch(ref e);
        OxsStats.Values v = OxsStats.Read(ref e);
        OfInstructionSet ins = OfInstructionCodec.Decode(ref e, e.Remaining, s.Version);
        var rule = new FlowRule
        {
            TableId = table,
            Priority = priority,
            IdleTimeout = idle,
            HardTimeout = hard,
            Flags = (FlowModFlags)flags,
            Cookie = cookie,
            Importance = importance,
            Match = m,
            Instructions = ins,
        };
        return new FlowStatsEntry(rule, v.ToFlowStats());
    }

    private static void EnsureEnd(ref WireReader body)
    {
        if (!body.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"{body.Remaining} bytes after the request");
        }
    }
}
