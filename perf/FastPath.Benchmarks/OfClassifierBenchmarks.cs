using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using FastPath.Ofproto.Classifier;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// The slow path's OpenFlow classifier: lookups with wildcard tracking (what each upcall pays) on tables of
/// mixed masks. Rules come in twelve shapes (L2 switching, IPv4 and IPv6
/// routes of several prefix lengths, 5-tuple ACL entries, metadata/register matches of later tables), so a
/// table has twelve subtables, both IPv4 address tries are busy and the ACL shapes have ports tries. Half the packets are built to hit a rule
/// (their other fields random), half are random traffic from the same address ranges, which mostly misses.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 5)]
public class OfClassifierBenchmarks
{
    private const int PacketCount = 4096;
    private const int Shapes = 12;

    private PipelineMatch[] matches = null!;
    private int[] priorities = null!;
    private object[] rules = null!;
    private OfClassifier<object> classifier = null!;
    private PipelineKey[] packets = null!;

    /// <summary>Rules in the table looked up.</summary>
    [Params(100, 10_000, 100_000)]
    public int Rules { get; set; }

    /// <summary>Builds the rules, the table and the packets.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        int n = Rules;
        matches = new PipelineMatch[n];
        priorities = new int[n];
        rules = new object[n];
        for (int i = 0; i < n; i++)
        {
            matches[i] = MatchOf(i, rng, out priorities[i]);
            rules[i] = new object();
        }

        classifier = new OfClassifier<object>();
        for (int i = 0; i < Rules; i++)
        {
            classifier.Insert(matches[i], priorities[i], rules[i]);
        }

        packets = new PipelineKey[PacketCount];
        for (int i = 0; i < PacketCount; i++)
        {
            PipelineKey p = RandomPacket(rng);
            if (i % 2 == 0)
            {
                PipelineMatch m = matches[rng.Next(Rules)];
                Span<ulong> w = p.AsWords;
                ReadOnlySpan<ulong> k = m.Key.ReadOnlyWords;
                ReadOnlySpan<ulong> mk = m.Mask.ReadOnlyWords;
                for (int j = 0; j < PipelineKey.Words; j++)
                {
                    w[j] = (w[j] & ~mk[j]) | k[j];
                }
            }

            packets[i] = p;
        }

        int hits = Lookup();
        if (hits < PacketCount / 4)
        {
            throw new InvalidOperationException($"only {hits} of {PacketCount} benchmark packets hit a rule");
        }
    }

    /// <summary>One lookup with wildcard tracking per packet, the wildcards reset each time (as per upcall).</summary>
    [Benchmark(OperationsPerInvoke = PacketCount)]
    public int Lookup()
    {
        int hits = 0;
        PipelineKey[] p = packets;
        PipelineKey wc = default;
        for (int i = 0; i < p.Length; i++)
        {
            wc = default;
            if (classifier.Lookup(p[i], ref wc) is not null)
            {
                hits++;
            }
        }

        return hits + (int)wc.ReadOnlyWords[0];
    }

    /// <summary>Rule <paramref name="i"/> of the mixed-mask rule set (also used by <see cref="OfClassifierInsertBenchmarks"/>).</summary>
    internal static PipelineMatch MatchOf(int i, Random rng, out int priority)
    {
        var m = default(PipelineMatch);
        int v = i / Shapes;
        switch (i % Shapes)
        {
            case 0: // L2 switching: in_port + dl_dst
                Set(ref m, FlowKey.Offsets.InPort, Le32((uint)(v % 8)));
                Set(ref m, FlowKey.Offsets.DlDst, Mac(v));
                priority = 100;
                break;
            case 1: // IPv4 route /24
                Ip(ref m);
                Prefix(ref m, FlowKey.Offsets.NwDst, Be32(0x0a000000u | ((uint)v << 8)), 24, 4);
                priority = 24;
                break;
            case 2: // IPv4 route /16
                Ip(ref m);
                Prefix(ref m, FlowKey.Offsets.NwDst, Be32(0x0b000000u | ((uint)v << 16)), 16, 4);
                priority = 16;
                break;
            case 3: // host pair
                Ip(ref m);
                Prefix(ref m, FlowKey.Offsets.NwSrc, Be32(0x0a000000u | (uint)v), 32, 4);
                Prefix(ref m, FlowKey.Offsets.NwDst, Be32(0x0a010000u | (uint)(v * 3)), 32, 4);
                priority = 1000;
                break;
            case 4: // TCP service ACL
                Ip(ref m);
                Set(ref m, FlowKey.Offsets.NwProto, [6]);
                Prefix(ref m, FlowKey.Offsets.NwDst, Be32(0x0a000000u | ((uint)v << 8)), 24, 4);
                Set(ref m, FlowKey.Offsets.TpDst, Be16((ushort)(v % 1024)));
                priority = 2000;
                break;
            case 5: // UDP service
                Ip(ref m);
                Set(ref m, FlowKey.Offsets.NwProto, [17]);
                Set(ref m, FlowKey.Offsets.TpDst, Be16((ushort)v));
                priority = 1500;
                break;
            case 6: // per-port source subnet
                Set(ref m, FlowKey.Offsets.InPort, Le32((uint)(v % 8)));
                Ip(ref m);
                Prefix(ref m, FlowKey.Offsets.NwSrc, Be32(0x0a000000u | ((uint)v << 8)), 24, 4);
                priority = 500;
                break;
            case 7: // IPv6 route /64
                Set(ref m, FlowKey.Offsets.DlType, Be16(EtherTypes.Ipv6));
                Prefix(ref m, FlowKey.Offsets.NwDst, V6(0x20010db8_00000000UL | (uint)v, 0), 64, 16);
                priority = 64;
                break;
            case 8: // IPv6 source /48 + TCP port
                Set(ref m, FlowKey.Offsets.DlType, Be16(EtherTypes.Ipv6));
                Prefix(ref m, FlowKey.Offsets.NwSrc, V6(0x20010db8_00000000UL | ((ulong)v << 16), 0), 48, 16);
                Set(ref m, FlowKey.Offsets.NwProto, [6]);
                Set(ref m, FlowKey.Offsets.TpDst, Be16(443));
                priority = 800;
                break;
            case 9: // a later table: metadata + register + host
                Set(ref m, PipelineKey.Offsets.Metadata, Le64((ulong)(v % 16)));
                Set(ref m, PipelineKey.Offsets.Reg0, Le32((uint)(v % 4)));
                Ip(ref m);
                Prefix(ref m, FlowKey.Offsets.NwDst, Be32(0x0a000000u | (uint)v), 32, 4);
                priority = 300;
                break;
            case 10: // VLAN
                Set(ref m, FlowKey.Offsets.InPort, Le32((uint)(v % 8)));
                Set(ref m, FlowKey.Offsets.Vlan0 + 2, Be16((ushort)(0x1000 | (v % 4096))));
                priority = 200;
                break;
            default: // coarse /8 pair
                Ip(ref m);
                Prefix(ref m, FlowKey.Offsets.NwSrc, Be32((uint)(v % 256) << 24), 8, 4);
                Prefix(ref m, FlowKey.Offsets.NwDst, Be32((uint)(v / 256 % 256) << 24), 8, 4);
                priority = 8;
                break;
        }

        // Spread priorities a little within a shape so subtables do not all tie.
        priority = (priority * 16) + rng.Next(16);
        return m;
    }

    private static PipelineKey RandomPacket(Random rng)
    {
        PipelineKey k = default;
        rng.NextBytes(k.Bytes);
        Span<byte> b = k.Bytes;
        b[(FlowKey.Offsets.InPort + 1)..(FlowKey.Offsets.InPort + 4)].Clear();
        b[FlowKey.Offsets.InPort] &= 7;
        BinaryPrimitives.WriteUInt16BigEndian(b[FlowKey.Offsets.DlType..], rng.Next(4) == 0 ? EtherTypes.Ipv6 : EtherTypes.Ipv4);
        b[FlowKey.Offsets.NwSrc] = 10;
        b[FlowKey.Offsets.NwDst] = (byte)(10 + rng.Next(2));
        b[FlowKey.Offsets.NwProto] = rng.Next(2) == 0 ? (byte)6 : (byte)17;
        BinaryPrimitives.WriteUInt64LittleEndian(b[PipelineKey.Offsets.Metadata..], (ulong)rng.Next(16));
        return k;
    }

    private static void Ip(ref PipelineMatch m) => Set(ref m, FlowKey.Offsets.DlType, Be16(EtherTypes.Ipv4));

    private static void Set(ref PipelineMatch m, int offset, byte[] value)
    {
        byte[] ones = new byte[value.Length];
        Array.Fill(ones, (byte)0xff);
        m.SetMasked(offset, value, ones);
    }

    private static void Prefix(ref PipelineMatch m, int offset, byte[] value, int bits, int width)
    {
        byte[] mask = new byte[width];
        for (int i = 0; i < bits; i++)
        {
            mask[i / 8] |= (byte)(0x80 >> (i % 8));
        }

        m.SetMasked(offset, value.AsSpan(0, width), mask);
    }

    private static byte[] Mac(int v) => [2, 0, (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];

    private static byte[] Le32(uint v)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    private static byte[] Le64(ulong v)
    {
        byte[] b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }

    private static byte[] Be16(ushort v)
    {
        byte[] b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    private static byte[] Be32(uint v)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    private static byte[] V6(ulong high, ulong low)
    {
        byte[] b = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(b, high);
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(8), low);
        return b;
    }
}

/// <summary>Building a 100,000-rule OpenFlow classifier from empty, with the mixed masks of <see cref="OfClassifierBenchmarks"/>.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 5)]
public class OfClassifierInsertBenchmarks
{
    private const int InsertCount = 100_000;

    private PipelineMatch[] matches = null!;
    private int[] priorities = null!;
    private object[] rules = null!;

    /// <summary>Builds the rules.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        matches = new PipelineMatch[InsertCount];
        priorities = new int[InsertCount];
        rules = new object[InsertCount];
        for (int i = 0; i < InsertCount; i++)
        {
            matches[i] = OfClassifierBenchmarks.MatchOf(i, rng, out priorities[i]);
            rules[i] = new object();
        }
    }

    /// <summary>Inserts 100,000 rules into an empty classifier (time per rule; rules/s = 1e9 / ns).</summary>
    [Benchmark(OperationsPerInvoke = InsertCount)]
    public int Insert()
    {
        var c = new OfClassifier<object>();
        for (int i = 0; i < InsertCount; i++)
        {
            c.Insert(matches[i], priorities[i], rules[i]);
        }

        return c.Count;
    }
}
