using System.Buffers.Binary;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Tests.Ovs;

/// <summary>
/// Test-only: encodes a rule and its counters as an OpenFlow 1.3 flow-stats reply (OFPMP_FLOW), so that
/// <c>ovs-ofctl ofp-print</c> can print it the way dump-flows does. Covers only what the dump tests use; the
/// real OpenFlow codec is a later issue and lives elsewhere.
/// </summary>
internal static class FlowStatsReplyEncoder
{
    /// <summary>The reply message as hex, one entry per rule.</summary>
    public static string Encode(params (FlowRule Rule, FlowStats Stats, OfField[] Fields)[] entries)
    {
        var body = new List<byte>();
        body.AddRange(Be16(1));
        body.AddRange(Be16(0));
        body.AddRange(new byte[4]);
        foreach (var (rule, stats, fields) in entries)
        {
            body.AddRange(Entry(rule, stats, fields));
        }

        var msg = new List<byte> { 0x04, 19 };
        msg.AddRange(Be16(8 + body.Count));
        msg.AddRange(Be32(0));
        msg.AddRange(body);
        return Convert.ToHexString(msg.ToArray());
    }

    private static byte[] Entry(FlowRule rule, FlowStats stats, OfField[] fields)
    {
        var e = new List<byte> { rule.TableId, 0 };
        e.AddRange(Be32(stats.DurationSeconds));
        e.AddRange(Be32(stats.DurationNanoseconds));
        e.AddRange(Be16(rule.Priority));
        e.AddRange(Be16(rule.IdleTimeout));
        e.AddRange(Be16(rule.HardTimeout));
        e.AddRange(Be16((ushort)rule.Flags));
        e.AddRange(new byte[4]);
        e.AddRange(Be64(rule.Cookie));
        e.AddRange(Be64(stats.Packets));
        e.AddRange(Be64(stats.Bytes));

        var oxms = new List<byte>();
        foreach (OfField f in fields)
        {
            var (value, mask) = f.Get(rule.Match);
            bool masked = mask != f.FullMask;
            oxms.AddRange(Be32(f.OxmHeader(masked)));
            oxms.AddRange(Bytes(value, f.OxmLength));
            if (masked)
            {
                oxms.AddRange(Bytes(mask, f.OxmLength));
            }
        }

        e.AddRange(Be16(1));
        e.AddRange(Be16(4 + oxms.Count));
        e.AddRange(oxms);
        Pad(e, 2);

        var ins = rule.Instructions;
        if (ins.Meter is uint meter)
        {
            e.AddRange(Instruction(6, Be32(meter)));
        }

        if (ins.ApplyActions.Count > 0)
        {
            e.AddRange(Instruction(4, [0, 0, 0, 0, .. ins.ApplyActions.SelectMany(Action)]));
        }

        if (ins.ClearActions)
        {
            e.AddRange(Instruction(5, new byte[4]));
        }

        if (ins.WriteActions is { } write)
        {
            e.AddRange(Instruction(3, [0, 0, 0, 0, .. write.SelectMany(Action)]));
        }

        if (ins.WriteMetadata is var (v, m))
        {
            e.AddRange(Instruction(2, [0, 0, 0, 0, .. Be64(v), .. Be64(m)]));
        }

        if (ins.GotoTable is byte table)
        {
            e.AddRange(Instruction(1, [table, 0, 0, 0]));
        }

        return [.. Be16(e.Count + 2), .. e];
    }

    private static byte[] Instruction(ushort type, byte[] rest) => [.. Be16(type), .. Be16(4 + rest.Length), .. rest];

    private static byte[] Action(OfAction a) => a switch
    {
        OutputAction o => [0, 0, 0, 16, .. Be32(o.Port), .. Be16(o.MaxLen), 0, 0, 0, 0, 0, 0],
        GroupAction g => [0, 22, 0, 8, .. Be32(g.GroupId)],
        SetQueueAction q => [0, 21, 0, 8, .. Be32(q.QueueId)],
        DecTtlAction => [0, 24, 0, 8, 0, 0, 0, 0],
        PopVlanAction => [0, 18, 0, 8, 0, 0, 0, 0],
        PushVlanAction p => [0, 17, 0, 8, .. Be16(p.EtherType), 0, 0],
        SetFieldAction s => SetField(s),
        _ => throw new NotSupportedException(a.ToString()),
    };

    private static byte[] SetField(SetFieldAction s)
    {
        var b = new List<byte>();
        b.AddRange(Be16(25));
        b.AddRange(Be16(0));
        b.AddRange(Be32(s.Field.OxmHeader(false)));
        b.AddRange(Bytes(s.Value, s.Field.OxmLength));
        Pad(b, 0);
        BinaryPrimitives.WriteUInt16BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(b)[2..], (ushort)b.Count);
        return b.ToArray();
    }

    private static void Pad(List<byte> b, int offset)
    {
        while ((b.Count + offset) % 8 != 0)
        {
            b.Add(0);
        }
    }

    private static byte[] Bytes(UInt128 v, int n)
    {
        var b = new byte[n];
        for (int i = n - 1; i >= 0; i--)
        {
            b[i] = (byte)v;
            v >>= 8;
        }

        return b;
    }

    private static byte[] Be16(int v) => [(byte)(v >> 8), (byte)v];

    private static byte[] Be32(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];

    private static byte[] Be64(ulong v) => [.. Be32((uint)(v >> 32)), .. Be32((uint)v)];
}
