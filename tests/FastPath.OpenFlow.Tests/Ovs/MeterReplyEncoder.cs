using System.Buffers.Binary;
using FastPath.OpenFlow.Meters;

namespace FastPath.OpenFlow.Tests.Ovs;

/// <summary>
/// Test-only: encodes meters and their statistics as OpenFlow 1.3 meter-config and meter-stats replies
/// (OFPMP_METER_CONFIG, OFPMP_METER), so that <c>ovs-ofctl ofp-print</c> prints them as dump-meters and
/// meter-stats do. The real OpenFlow codec is a later issue.
/// </summary>
internal static class MeterReplyEncoder
{
    /// <summary>A meter-config reply listing <paramref name="meters"/>, as hex.</summary>
    public static string Configs(params OfMeterConfig[] meters)
    {
        var body = new List<byte>();
        foreach (OfMeterConfig m in meters)
        {
            var bands = new List<byte>();
            foreach (OfMeterBand b in m.Bands)
            {
                bands.AddRange(Be16((ushort)b.Type));
                bands.AddRange(Be16(16));
                bands.AddRange(Be32(b.Rate));
                bands.AddRange(Be32(b.BurstSize));
                bands.AddRange(b.Type == OfMeterBandType.DscpRemark ? [b.PrecLevel, 0, 0, 0] : new byte[4]);
            }

            body.AddRange(Be16((ushort)(8 + bands.Count)));
            body.AddRange(Be16((ushort)m.Flags));
            body.AddRange(Be32(m.MeterId));
            body.AddRange(bands);
        }

        return Reply(10, body);
    }

    /// <summary>A meter-stats reply with <paramref name="stats"/>, as hex.</summary>
    public static string Stats(params OfMeterStats[] stats)
    {
        var body = new List<byte>();
        foreach (OfMeterStats s in stats)
        {
            body.AddRange(Be32(s.MeterId));
            body.AddRange(Be16((ushort)(40 + (16 * s.Bands.Count))));
            body.AddRange(new byte[6]);
            body.AddRange(Be32(s.FlowCount));
            body.AddRange(Be64(s.PacketInCount));
            body.AddRange(Be64(s.ByteInCount));
            body.AddRange(Be32(s.DurationSeconds));
            body.AddRange(Be32(s.DurationNanoseconds));
            foreach (OfMeterBandStats b in s.Bands)
            {
                body.AddRange(Be64(b.Packets));
                body.AddRange(Be64(b.Bytes));
            }
        }

        return Reply(9, body);
    }

    private static string Reply(ushort multipartType, List<byte> entries)
    {
        var msg = new List<byte> { 0x04, 19 };
        msg.AddRange(Be16((ushort)(16 + entries.Count)));
        msg.AddRange(Be32(2));
        msg.AddRange(Be16(multipartType));
        msg.AddRange(Be16(0));
        msg.AddRange(new byte[4]);
        msg.AddRange(entries);
        return Convert.ToHexString(msg.ToArray());
    }

    private static byte[] Be16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    private static byte[] Be32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    private static byte[] Be64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, v);
        return b;
    }
}
