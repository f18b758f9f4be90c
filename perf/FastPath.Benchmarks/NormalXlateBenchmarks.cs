using BenchmarkDotNet.Attributes;
using FastPath.Ofproto.Normal;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Upcalls;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;
using FastPath.Packets;

namespace FastPath.Benchmarks;

/// <summary>
/// What an upcall costs the slow path when the rule is actions=NORMAL: a miss to a learned host (learning
/// refreshes the source), a miss to an unknown host (a flood over every other port, half of them access ports
/// needing a pop or push), and the same unicast re-translated by the revalidator (no packet, no learning);
/// beside a plain <c>output:2</c> rule for scale. 1024 hosts are learned, spread over the access ports.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 5)]
public class NormalXlateBenchmarks
{
    private const int Hosts = 1024;
    private static readonly byte[] Packet = new byte[64];

    private OfXlate normal = null!;
    private OfXlate output = null!;
    private FlowKey[] unicast = null!;
    private FlowKey[] flood = null!;
    private int next;

    /// <summary>Ports on the bridge.</summary>
    [Params(4, 32)]
    public int Ports { get; set; }

    /// <summary>Builds both bridges and learns the hosts.</summary>
    [GlobalSetup]
    public void Setup()
    {
        normal = Bridge("actions=NORMAL", out BridgePorts ports);
        output = Bridge("actions=output:2", out _);

        // Odd ports are access ports of VLAN 10, even ones trunks: untagged frames from access ports are in VLAN 10.
        for (uint p = 1; p <= Ports; p += 2)
        {
            ports.Normal.SetVlan(p, PortVlanConfig.AccessPort(10));
        }

        unicast = new FlowKey[Hosts];
        flood = new FlowKey[Hosts];
        for (int h = 0; h < Hosts; h++)
        {
            Assert(normal.Translate(Key(PortOf(h), Mac(h), 0xffff_ffff_ffffUL), Packet, out _));
        }

        for (int h = 0; h < Hosts; h++)
        {
            unicast[h] = Key(PortOf(h), Mac(h), Mac((h + 1) % Hosts));
            flood[h] = Key(PortOf(h), Mac(h), 0x0600_0000_0000UL + (ulong)h);
        }
    }

    /// <summary>A plain output rule, for scale.</summary>
    [Benchmark(Baseline = true)]
    public int OutputRule() => Run(output, unicast, Packet);

    /// <summary>NORMAL, destination learned: one output, the source refreshed.</summary>
    [Benchmark]
    public int NormalUnicast() => Run(normal, unicast, Packet);

    /// <summary>NORMAL, destination unknown: flooded to the VLAN's other ports.</summary>
    [Benchmark]
    public int NormalFlood() => Run(normal, flood, Packet);

    /// <summary>NORMAL re-translated on revalidation: no packet, no learning.</summary>
    [Benchmark]
    public int NormalRevalidate() => Run(normal, unicast, default);

    private int Run(OfXlate xlate, FlowKey[] keys, ReadOnlySpan<byte> packet)
    {
        int i = next++ & (Hosts - 1);
        xlate.Translate(keys[i], packet, out FlowTranslation t);
        return t.Actions.Length;
    }

    private OfXlate Bridge(string rule, out BridgePorts ports)
    {
        var pipeline = new OfPipeline();
        pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(rule)), 0);
        ports = new BridgePorts();
        for (uint p = 1; p <= Ports; p++)
        {
            ports.Set(p);
        }

        return new OfXlate(pipeline, ports);
    }

    // Hosts sit on the access ports, neighbours on different ones.
    private uint PortOf(int host) => (uint)(1 + (2 * (host % (Ports / 2))));

    private static ulong Mac(int host) => 0x0200_0000_0000UL + (ulong)host;

    private static FlowKey Key(uint inPort, ulong src, ulong dst)
    {
        FlowKey k = default;
        k.InPort = inPort;
        EthernetAddress.Write(src, k.DlSrc);
        EthernetAddress.Write(dst, k.DlDst);
        k.EthType = EtherTypes.Ipv4;
        return k;
    }

    private static void Assert(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("setup translation failed");
        }
    }
}
