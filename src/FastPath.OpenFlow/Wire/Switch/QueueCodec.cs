using FastPath.OpenFlow.Wire.Messages;
using FastPath.OpenFlow.Wire.Ports;

namespace FastPath.OpenFlow.Wire.Switch;

/// <summary>Queue configuration (queue-get-config 1.0/1.3, OFPMP_QUEUE_DESC 1.4+) and queue statistics, every version.</summary>
public static class QueueCodec
{
    private const ushort MinRateProperty = 1;
    private const ushort MaxRateProperty = 2;

    /// <summary>Reads OFPT_QUEUE_GET_CONFIG_REQUEST: the port and padding.</summary>
    public static QueueGetConfigRequest DecodeGetConfigRequest(ref WireReader body, OfSession session)
    {
        uint port = PortNumbers.Read(ref body, session.Version);
        body.Skip(session.Version == OpenFlowVersion.OF10 ? 2 : 4);
        return new QueueGetConfigRequest(port);
    }

    /// <summary>Writes OFPT_QUEUE_GET_CONFIG_REQUEST.</summary>
    public static void EncodeGetConfigRequest(QueueGetConfigRequest m, WireWriter w, OfSession session)
    {
        PortNumbers.Write(w, m.PortNo, session.Version);
        w.Zeros(session.Version == OpenFlowVersion.OF10 ? 2 : 4);
    }

    /// <summary>Reads OFPT_QUEUE_GET_CONFIG_REPLY: port, padding, ofp_packet_queue list.</summary>
    public static QueueGetConfigReply DecodeGetConfigReply(ref WireReader body, OfSession session)
    {
        bool of10 = session.Version == OpenFlowVersion.OF10;
        uint port = PortNumbers.Read(ref body, session.Version);
        body.Skip(of10 ? 6 : 4);
        var queues = new List<QueueConfig>();
        while (!body.AtEnd)
        {
            uint queue = body.U32();
            uint qport = of10 ? port : body.U32();
            ushort len = body.U16();
            int head = of10 ? 8 : 16;
            if (len < head)
            {
                throw new OfErrorException(OfError.BadRequestBadLen, $"ofp_packet_queue of length {len}");
            }

            body.Skip(of10 ? 2 : 6);
            WireReader props = body.Sub(len - head);
            queues.Add(ReadRates(ref props, new QueueConfig(qport, queue), 16));
        }

        return new QueueGetConfigReply(port, queues);
    }

    /// <summary>Writes OFPT_QUEUE_GET_CONFIG_REPLY.</summary>
    public static void EncodeGetConfigReply(QueueGetConfigReply m, WireWriter w, OfSession session)
    {
        bool of10 = session.Version == OpenFlowVersion.OF10;
        PortNumbers.Write(w, m.PortNo, session.Version);
        w.Zeros(of10 ? 6 : 4);
        foreach (QueueConfig q in m.Queues)
        {
            int start = w.Length;
            w.U32(q.QueueId);
            if (!of10)
            {
                w.U32(q.PortNo);
            }

            int lenAt = w.Length;
            w.U16(0);
            w.Zeros(of10 ? 2 : 6);
            WriteRates(w, q, 16, !of10);
            w.PatchU16(lenAt, (ushort)(w.Length - start));
        }
    }

    /// <summary>Reads an OFPMP_QUEUE_DESC request body: port, queue.</summary>
    public static QueueDescRequest DecodeDescRequest(ref WireReader body, OfSession session) => new(body.U32(), body.U32());

    /// <summary>Writes an OFPMP_QUEUE_DESC request body.</summary>
    public static void EncodeDescRequest(QueueDescRequest m, WireWriter w, OfSession session)
    {
        w.U32(m.PortNo);
        w.U32(m.QueueId);
    }

    /// <summary>Reads one ofp_queue_desc: port, queue, length, 6 pad bytes, properties (8-byte rate properties).</summary>
    public static QueueConfig DecodeDesc(ref WireReader body, OfSession session)
    {
        uint port = body.U32();
        uint queue = body.U32();
        ushort len = body.U16();
        if (len < 16)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"ofp_queue_desc of length {len}");
        }

        body.Skip(6);
        WireReader props = body.Sub(len - 16);
        return ReadRates(ref props, new QueueConfig(port, queue), 8);
    }

    /// <summary>Writes one ofp_queue_desc.</summary>
    public static void EncodeDesc(QueueConfig q, WireWriter w, OfSession session)
    {
        int start = w.Length;
        w.U32(q.PortNo);
        w.U32(q.QueueId);
        w.U16(0);
        w.Zeros(6);
        WriteRates(w, q, 8, true);
        w.PatchU16(start + 8, (ushort)(w.Length - start));
    }

    /// <summary>Reads an OFPMP_QUEUE_STATS request body (1.0: 16-bit port and 2 pad bytes).</summary>
    public static QueueStatsRequest DecodeStatsRequest(ref WireReader body, OfSession session)
    {
        uint port = PortNumbers.Read(ref body, session.Version);
        if (session.Version == OpenFlowVersion.OF10)
        {
            body.Skip(2);
        }

        return new QueueStatsRequest(port, body.U32());
    }

    /// <summary>Writes an OFPMP_QUEUE_STATS request body.</summary>
    public static void EncodeStatsRequest(QueueStatsRequest m, WireWriter w, OfSession session)
    {
        PortNumbers.Write(w, m.PortNo, session.Version);
        if (session.Version == OpenFlowVersion.OF10)
        {
            w.Zeros(2);
        }

        w.U32(m.QueueId);
    }

    /// <summary>Reads one queue's counters (32 bytes in 1.0, 40 in 1.3, length-prefixed 48 and properties in 1.4+).</summary>
    public static QueueStats DecodeStats(ref WireReader body, OfSession session)
    {
        if (session.Version >= OpenFlowVersion.OF14)
        {
            ushort len = body.U16();
            if (len < 48)
            {
                throw new OfErrorException(OfError.BadRequestBadLen, $"ofp_queue_stats of length {len}");
            }

            WireReader e = body.Sub(len - 2);
            e.Skip(6);
            var s = new QueueStats(e.U32(), e.U32(), e.U64(), e.U64(), e.U64(), e.U32(), e.U32());
            return s;
        }

        uint port = PortNumbers.Read(ref body, session.Version);
        if (session.Version == OpenFlowVersion.OF10)
        {
            body.Skip(2);
            return new QueueStats(port, body.U32(), body.U64(), body.U64(), body.U64());
        }

        return new QueueStats(port, body.U32(), body.U64(), body.U64(), body.U64(), body.U32(), body.U32());
    }

    /// <summary>Writes one queue's counters.</summary>
    public static void EncodeStats(QueueStats s, WireWriter w, OfSession session)
    {
        if (session.Version >= OpenFlowVersion.OF14)
        {
            w.U16(48);
            w.Zeros(6);
        }

        PortNumbers.Write(w, s.PortNo, session.Version);
        if (session.Version == OpenFlowVersion.OF10)
        {
            w.Zeros(2);
        }

        w.U32(s.QueueId);
        w.U64(s.TxBytes);
        w.U64(s.TxPackets);
        w.U64(s.TxErrors);
        if (session.Version != OpenFlowVersion.OF10)
        {
            w.U32(s.DurationSec);
            w.U32(s.DurationNsec);
        }
    }

    private static QueueConfig ReadRates(ref WireReader props, QueueConfig q, int width)
    {
        while (!props.AtEnd)
        {
            ushort type = props.U16();
            ushort len = props.U16();
            if (len < 4)
            {
                throw new OfErrorException(OfError.BadRequestBadLen, $"queue property of length {len}");
            }

            WireReader p = props.Sub(len - 4);
            if (width == 16)
            {
                p.Skip(4);
            }

            if (type == MinRateProperty)
            {
                q = q with { MinRate = p.U16() };
            }
            else if (type == MaxRateProperty)
            {
                q = q with { MaxRate = p.U16() };
            }
        }

        return q;
    }

    private static void WriteRates(WireWriter w, QueueConfig q, int width, bool maxRate)
    {
        Write(MinRateProperty, q.MinRate);
        if (maxRate)
        {
            Write(MaxRateProperty, q.MaxRate);
        }

        void Write(ushort type, ushort? rate)
        {
            if (rate is not ushort r)
            {
                return;
            }

            w.U16(type);
            w.U16((ushort)width);
            if (width == 16)
            {
                w.Zeros(4);
            }

            w.U16(r);
            w.Zeros(width == 16 ? 6 : 2);
        }
    }
}
