using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire.Match;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>OFPT_FLOW_REMOVED of every version (1.5 with its OXS stats) and NXT_FLOW_REMOVED (body after vendor and subtype).</summary>
public static class FlowRemovedCodec
{
    /// <summary>Decodes an OFPT_FLOW_REMOVED body (after the 8-byte header).</summary>
    public static FlowRemovedMessage Decode(ref WireReader body, OfSession s)
    {
        FlowRemovedMessage m;
        if (s.Version == OpenFlowVersion.OF10)
        {
            PipelineMatch match = Of10MatchCodec.Decode(ref body);
            ulong cookie = body.U64();
            ushort priority = body.U16();
            byte reason = body.U8();
            body.Skip(1);
            uint sec = body.U32();
            uint nsec = body.U32();
            ushort idle = body.U16();
            body.Skip(2);
            ulong packets = body.U64();
            ulong bytes = body.U64();
            var rule = new FlowRule { Match = match, Cookie = cookie, Priority = priority, IdleTimeout = idle };
            m = new FlowRemovedMessage(rule, (OfFlowRemovedReason)reason, new FlowStats(packets, bytes, sec, nsec));
        }
        else if (s.Version >= OpenFlowVersion.OF15)
        {
            byte table = body.U8();
            byte reason = body.U8();
            ushort priority = body.U16();
            ushort idle = body.U16();
            ushort hard = body.U16();
            ulong cookie = body.U64();
            PipelineMatch match = OxmMatchCodec.DecodeOfpMatch(ref body);
            OxsStats.Values v = OxsStats.Read(ref body);
            var rule = new FlowRule { TableId = table, Match = match, Cookie = cookie, Priority = priority, IdleTimeout = idle, HardTimeout = hard };
            m = new FlowRemovedMessage(rule, (OfFlowRemovedReason)reason, v.ToFlowStats());
        }
        else
        {
            ulong cookie = body.U64();
            ushort priority = body.U16();
            byte reason = body.U8();
            byte table = body.U8();
            uint sec = body.U32();
            uint nsec = body.U32();
            ushort idle = body.U16();
            ushort hard = body.U16();
            ulong packets = body.U64();
            ulong bytes = body.U64();
            PipelineMatch match = OxmMatchCodec.DecodeOfpMatch(ref body);
            var rule = new FlowRule { TableId = table, Match = match, Cookie = cookie, Priority = priority, IdleTimeout = idle, HardTimeout = hard };
            m = new FlowRemovedMessage(rule, (OfFlowRemovedReason)reason, new FlowStats(packets, bytes, sec, nsec));
        }

        EnsureEnd(ref body);
        return m;
    }

    /// <summary>Encodes an OFPT_FLOW_REMOVED body; before 1.4 a meter delete is sent as OFPRR_DELETE, as Open vSwitch does.</summary>
    public static void Encode(FlowRemovedMessage m, WireWriter w, OfSession s)
    {
        FlowRule r = m.Rule;
        FlowStats st = m.Stats;
        byte reason = WireReason(m.Reason, s.Version);
        if (s.Version == OpenFlowVersion.OF10)
        {
            Of10MatchCodec.Encode(w, r.Match);
            w.U64(r.Cookie);
            w.U16(r.Priority);
            w.U8(reason);
            w.U8(0);
            w.U32(st.DurationSeconds);
            w.U32(st.DurationNanoseconds);
            w.U16(r.IdleTimeout);
            w.U16(0);
            w.U64(st.Packets);
            w.U64(st.Bytes);
        }
        else if (s.Version >= OpenFlowVersion.OF15)
        {
            w.U8(r.TableId);
            w.U8(reason);
            w.U16(r.Priority);
            w.U16(r.IdleTimeout);
            w.U16(r.HardTimeout);
            w.U64(r.Cookie);
            OxmMatchCodec.EncodeOfpMatch(w, r.Match, s.Version);
            OxsStats.Write(w, st);
        }
        else
        {
            w.U64(r.Cookie);
            w.U16(r.Priority);
            w.U8(reason);
            w.U8(r.TableId);
            w.U32(st.DurationSeconds);
            w.U32(st.DurationNanoseconds);
            w.U16(r.IdleTimeout);
            w.U16(r.HardTimeout);
            w.U64(st.Packets);
            w.U64(st.Bytes);
            OxmMatchCodec.EncodeOfpMatch(w, r.Match, s.Version);
        }
    }

    /// <summary>Decodes an NXT_FLOW_REMOVED body (after vendor and subtype).</summary>
    public static FlowRemovedMessage DecodeNx(ref WireReader body, OfSession s)
    {
        _ = s;
        ulong cookie = body.U64();
        ushort priority = body.U16();
        byte reason = body.U8();
        byte table = body.U8();
        uint sec = body.U32();
        uint nsec = body.U32();
        ushort idle = body.U16();
        ushort matchLength = body.U16();
        ulong packets = body.U64();
        ulong bytes = body.U64();
        PipelineMatch match = NxMatchField.Read(ref body, matchLength, out _, out _, allowCookie: false);
        EnsureEnd(ref body);

        // Open vSwitch writes table_id plus one here, zero meaning "not known".
        var rule = new FlowRule { TableId = table == 0 ? (byte)0 : (byte)(table - 1), Match = match, Cookie = cookie, Priority = priority, IdleTimeout = idle };
        return new FlowRemovedMessage(rule, (OfFlowRemovedReason)reason, new FlowStats(packets, bytes, sec, nsec));
    }

    /// <summary>Encodes an NXT_FLOW_REMOVED body (after vendor and subtype).</summary>
    public static void EncodeNx(FlowRemovedMessage m, WireWriter w, OfSession s)
    {
        FlowRule r = m.Rule;
        w.U64(r.Cookie);
        w.U16(r.Priority);
        w.U8(WireReason(m.Reason, s.Version));
        w.U8((byte)(r.TableId + 1));
        w.U32(m.Stats.DurationSeconds);
        w.U32(m.Stats.DurationNanoseconds);
        w.U16(r.IdleTimeout);
        int lengthAt = w.Length;
        w.U16(0);
        w.U64(m.Stats.Packets);
        w.U64(m.Stats.Bytes);
        NxMatchField.Write(w, lengthAt, r.Match);
    }

    // As Open vSwitch's ofputil_encode_flow_removed: only OFPRR_METER_DELETE goes as OFPRR_DELETE before 1.4; group
    // delete and eviction go as they are on every version (a received reason is read as it is).
    private static byte WireReason(OfFlowRemovedReason reason, OpenFlowVersion version) =>
        reason == OfFlowRemovedReason.MeterDelete && version < OpenFlowVersion.OF14 ? (byte)OfFlowRemovedReason.Delete : (byte)reason;

    private static void EnsureEnd(ref WireReader body)
    {
        if (!body.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"{body.Remaining} bytes after the flow-removed message");
        }
    }
}
