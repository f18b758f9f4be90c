using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Flows;

/// <summary>
/// OpenFlow 1.5's <c>ofp_stats</c>: OXS TLVs (class OFPXSC_OPENFLOW_BASIC) for duration, idle time, flow count,
/// packet count and byte count, padded to 8 bytes, as flow-removed, flow stats and aggregate replies carry them.
/// </summary>
public static class OxsStats
{
    /// <summary>OFPXSC_OPENFLOW_BASIC.</summary>
    public const ushort BasicClass = 0x8002;

    private const byte Duration = 0, IdleTime = 1, FlowCount = 3, PacketCount = 4, ByteCount = 5;

    /// <summary>What an ofp_stats carried (absent fields are null).</summary>
    /// <param name="DurationSeconds">OXS_OF_DURATION seconds.</param>
    /// <param name="DurationNanoseconds">OXS_OF_DURATION nanoseconds.</param>
    /// <param name="IdleSeconds">OXS_OF_IDLE_TIME, whole seconds.</param>
    /// <param name="Flows">OXS_OF_FLOW_COUNT.</param>
    /// <param name="Packets">OXS_OF_PACKET_COUNT.</param>
    /// <param name="Bytes">OXS_OF_BYTE_COUNT.</param>
    public readonly record struct Values(uint? DurationSeconds, uint? DurationNanoseconds, uint? IdleSeconds, uint? Flows, ulong? Packets, ulong? Bytes)
    {
        /// <summary>The counters as a rule's <see cref="FlowStats"/> (missing ones zero).</summary>
        public FlowStats ToFlowStats() => new(Packets ?? 0, Bytes ?? 0, DurationSeconds ?? 0, DurationNanoseconds ?? 0, IdleSeconds is { } i ? (int)Math.Min(i, int.MaxValue) : null);
    }

    /// <summary>Writes a rule's duration, idle time (when known), packet and byte counts.</summary>
    public static void Write(WireWriter w, FlowStats stats)
    {
        int start = Begin(w);
        w.U32(Header(Duration, 8));
        w.U32(stats.DurationSeconds);
        w.U32(stats.DurationNanoseconds);
        if (stats.IdleAge is int idle)
        {
            w.U32(Header(IdleTime, 8));
            w.U32((uint)Math.Max(idle, 0));
            w.U32(0);
        }

        w.U32(Header(PacketCount, 8));
        w.U64(stats.Packets);
        w.U32(Header(ByteCount, 8));
        w.U64(stats.Bytes);
        End(w, start);
    }

    /// <summary>Writes an aggregate's flow, packet and byte counts.</summary>
    public static void WriteAggregate(WireWriter w, uint flows, ulong packets, ulong bytes)
    {
        int start = Begin(w);
        w.U32(Header(FlowCount, 4));
        w.U32(flows);
        w.U32(Header(PacketCount, 8));
        w.U64(packets);
        w.U32(Header(ByteCount, 8));
        w.U64(bytes);
        End(w, start);
    }

    /// <summary>Reads an ofp_stats and its padding; a bad length is OFPBRC_BAD_LEN, an unknown or repeated field OFPBMC_BAD_FIELD / DUP_FIELD (as Open vSwitch).</summary>
    public static Values Read(ref WireReader r)
    {
        r.Skip(2); // reserved
        ushort length = r.U16();
        int padded = (length + 7) / 8 * 8;
        if (length < 4 || padded - 4 > r.Remaining)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"ofp_stats length {length}");
        }

        WireReader f = r.Sub(length - 4);
        r.Skip(padded - length);
        uint? dSec = null, dNsec = null, idle = null, flows = null;
        ulong? packets = null, bytes = null;
        while (!f.AtEnd)
        {
            uint header = f.U32();
            if (header >> 16 != BasicClass || (header & 0x100) != 0)
            {
                throw new OfErrorException(OfError.BadMatchBadField, $"unknown OXS header 0x{header:x8}");
            }

            byte field = (byte)((header >> 9) & 0x7f);
            int len = (int)(header & 0xff);
            WireReader v = f.Sub(len);
            bool dup;
            switch (field)
            {
                case Duration when len == 8:
                    dup = dSec is not null;
                    dSec = v.U32();
                    dNsec = v.U32();
                    break;
                case IdleTime when len == 8:
                    dup = idle is not null;
                    idle = v.U32();
                    break;
                case FlowCount when len == 4:
                    dup = flows is not null;
                    flows = v.U32();
                    break;
                case PacketCount when len == 8:
                    dup = packets is not null;
                    packets = v.U64();
                    break;
                case ByteCount when len == 8:
                    dup = bytes is not null;
                    bytes = v.U64();
                    break;
                default:
                    throw new OfErrorException(OfError.BadMatchBadField, $"unknown OXS header 0x{header:x8}");
            }

            if (dup)
            {
                throw new OfErrorException(OfError.BadMatchDupField, $"OXS field {field} twice");
            }
        }

        return new Values(dSec, dNsec, idle, flows, packets, bytes);
    }

    private static uint Header(byte field, int length) => ((uint)BasicClass << 16) | ((uint)field << 9) | (uint)length;

    private static int Begin(WireWriter w)
    {
        int start = w.Length;
        w.U16(0);
        w.U16(0);
        return start;
    }

    private static void End(WireWriter w, int start)
    {
        w.PatchU16(start + 2, (ushort)(w.Length - start));
        w.PadTo(start, 8);
    }
}
