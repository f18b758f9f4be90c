using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire.Actions;
using FastPath.OpenFlow.Wire.Match;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>
/// Bodies of flow and aggregate stats requests and replies. The standard forms (OFPST_FLOW/AGGREGATE in
/// OpenFlow 1.0, OFPMP_FLOW/AGGREGATE in 1.3-1.5) start after the stats/multipart header (type, flags and, from
/// 1.3, 4 bytes of padding); the Nicira forms (NXST_FLOW/AGGREGATE) after the Nicira stats header (vendor,
/// subtype and 4 bytes of padding). A reply body holds the whole list: splitting is the multipart layer's.
/// </summary>
public static class FlowStatsCodec
{
    private const int Of10FlowStatsLength = 88;
    private const int NxFlowStatsLength = 48;
    private const int Of13FlowStatsLength = 48;
    private const int Of15FlowStatsLength = 24;

    /// <summary>Decodes an OFPST_/OFPMP_FLOW (or AGGREGATE, <paramref name="aggregate"/>) request body.</summary>
    public static FlowStatsRequest DecodeRequest(ref WireReader body, OfSession s, bool aggregate)
    {
        if (s.Version == OpenFlowVersion.OF10)
        {
            PipelineMatch m10 = Of10MatchCodec.Decode(ref body);
            byte table10 = body.U8();
            body.Skip(1);
            uint port10 = Of10Ports.ToOf11(body.U16());
            EnsureEnd(ref body);
            return new FlowStatsRequest(aggregate, table10, m10, port10);
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
        return new FlowStatsRequest(aggregate, table, m, outPort, outGroup, cookie & cookieMask, cookieMask);
    }

    /// <summary>Encodes an OFPST_/OFPMP_FLOW or AGGREGATE request body.</summary>
    public static void EncodeRequest(FlowStatsRequest m, WireWriter w, OfSession s)
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

    /// <summary>Decodes an NXST_FLOW or NXST_AGGREGATE request body.</summary>
    public static FlowStatsRequest DecodeNxRequest(ref WireReader body, OfSession s, bool aggregate)
    {
        _ = s;
        uint outPort = Of10Ports.ToOf11(body.U16());
        ushort matchLength = body.U16();
        byte table = body.U8();
        body.Skip(3);
        PipelineMatch m = NxMatchField.Read(ref body, matchLength, out ulong cookie, out ulong cookieMask, allowCookie: true);
        EnsureEnd(ref body);
        return new FlowStatsRequest(aggregate, table, m, outPort, FlowMod.AnyGroup, cookie, cookieMask);
    }

    /// <summary>Encodes an NXST_FLOW or NXST_AGGREGATE request body.</summary>
    public static void EncodeNxRequest(FlowStatsRequest m, WireWriter w, OfSession s)
    {
        _ = s;
        w.U16(Of10Ports.ToOf10(m.OutPort));
        int lengthAt = w.Length;
        w.U16(0);
        w.U8(m.TableId);
        w.Zeros(3);
        NxMatchField.Write(w, lengthAt, m.Match, m.Cookie, m.CookieMask);
    }

    /// <summary>Decodes an aggregate reply body (OpenFlow 1.0, NXST and 1.3/1.4: three counters; 1.5: ofp_stats).</summary>
    public static AggregateStatsReply DecodeAggregateReply(ref WireReader body, OfSession s)
    {
        if (s.Version >= OpenFlowVersion.OF15)
        {
            OxsStats.Values v = OxsStats.Read(ref body);
            EnsureEnd(ref body);
            return new AggregateStatsReply(v.Packets ?? 0, v.Bytes ?? 0, v.Flows ?? 0);
        }

        ulong packets = body.U64();
        ulong bytes = body.U64();
        uint flows = body.U32();
        body.Skip(4);
        EnsureEnd(ref body);
        return new AggregateStatsReply(packets, bytes, flows);
    }

    /// <summary>Encodes an aggregate reply body (the same for NXST_AGGREGATE).</summary>
    public static void EncodeAggregateReply(AggregateStatsReply m, WireWriter w, OfSession s)
    {
        if (s.Version >= OpenFlowVersion.OF15)
        {
            OxsStats.WriteAggregate(w, m.Flows, m.Packets, m.Bytes);
            return;
        }

        w.U64(m.Packets);
        w.U64(m.Bytes);
        w.U32(m.Flows);
        w.Zeros(4);
    }

    /// <summary>Decodes an OFPST_/OFPMP_FLOW reply body: every entry.</summary>
    public static FlowStatsReply DecodeReply(ref WireReader body, OfSession s)
    {
        var flows = new List<FlowStatsEntry>();
        while (!body.AtEnd)
        {
            ushort length = body.U16();
            int min = s.Version == OpenFlowVersion.OF10 ? Of10FlowStatsLength : s.Version >= OpenFlowVersion.OF15 ? Of15FlowStatsLength : Of13FlowStatsLength;
            if (length < min)
            {
                throw new OfErrorException(OfError.BadRequestBadLen, $"flow stats entry of {length} bytes");
            }

            WireReader e = body.Sub(length - 2);
            flows.Add(s.Version == OpenFlowVersion.OF10 ? DecodeEntry10(ref e) : s.Version >= OpenFlowVersion.OF15 ? DecodeEntry15(ref e, s) : DecodeEntry13(ref e, s));
        }

        return new FlowStatsReply(flows);
    }

    /// <summary>Encodes an OFPST_/OFPMP_FLOW reply body.</summary>
    public static void EncodeReply(FlowStatsReply m, WireWriter w, OfSession s)
    {
        foreach (FlowStatsEntry f in m.Flows)
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
                OfInstructionCodec.EncodeActionList10(w, r.Instructions);
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
                OfInstructionCodec.Encode(w, r.Instructions, s.Version);
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
                OfInstructionCodec.Encode(w, r.Instructions, s.Version);
            }

            w.PatchU16(start, (ushort)(w.Length - start));
        }
    }

    /// <summary>Decodes an NXST_FLOW reply body.</summary>
    public static FlowStatsReply DecodeNxReply(ref WireReader body, OfSession s)
    {
        _ = s;
        var flows = new List<FlowStatsEntry>();
        while (!body.AtEnd)
        {
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
            flows.Add(new FlowStatsEntry(rule, new FlowStats(packets, bytes, sec, nsec, idleAge == 0 ? null : idleAge - 1, hardAge == 0 ? null : hardAge - 1)));
        }

        return new FlowStatsReply(flows);
    }

    /// <summary>Encodes an NXST_FLOW reply body.</summary>
    public static void EncodeNxReply(FlowStatsReply m, WireWriter w, OfSession s)
    {
        _ = s;
        foreach (FlowStatsEntry f in m.Flows)
        {
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
            OfInstructionCodec.EncodeActionList10(w, r.Instructions);
            w.PatchU16(start, (ushort)(w.Length - start));
        }
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
            TableId = table, Priority = priority, IdleTimeout = idle, HardTimeout = hard, Flags = (FlowModFlags)flags, Cookie = cookie,
            Importance = s.Version >= OpenFlowVersion.OF14 ? importance : (ushort)0, Match = m, Instructions = ins,
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
            TableId = table, Priority = priority, IdleTimeout = idle, HardTimeout = hard, Flags = (FlowModFlags)flags, Cookie = cookie,
            Importance = importance, Match = m, Instructions = ins,
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
