using System.Globalization;
using BenchmarkDotNet.Attributes;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Upcalls;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;
using FastPath.Packets;
using FastPath.Traffic;

namespace FastPath.Benchmarks;

/// <summary>
/// What one upcall costs the slow path: xlate of a missed flow through an OpenFlow table to its datapath
/// actions and megaflow (classifier lookups with wildcard tracking, action translation, masked-set commit).
/// Tables: the reference rules-s2 (51 rules), and 10,000 rules (rules-s2 plus 9,949 more of four shapes:
/// /24 source routes with rewrites, exact destination hosts, UDP port ACLs, /16 drops). Flows: the forwarding
/// benchmark's 10,000 UDP flows. ns per upcall = Mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class XlateBenchmarks
{
    private const int FlowsPerInvoke = 1024;

    private OfXlate xlate = null!;
    private FlowKey[] keys = null!;
    private byte[][] frames = null!;
    private int next;

    /// <summary>The table: "s2" (51 rules) or "10k".</summary>
    [Params("s2", "10k")]
    public string Table { get; set; } = "s2";

    /// <summary>Builds the table and the flows.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var pipeline = new OfPipeline();
        var ports = new BridgePorts();
        ports.Set(1);
        ports.Set(2);
        xlate = new OfXlate(pipeline, ports);
        foreach (string line in Rules(Table))
        {
            pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(line)), 0);
        }

        List<byte[]> packets = TrafficGenerator.UdpFlows(10_000);
        frames = [.. packets];
        keys = new FlowKey[packets.Count];
        for (int i = 0; i < packets.Count; i++)
        {
            Packet p = default;
            FlowExtractor.Extract(packets[i], ref p, out keys[i]);
            keys[i].InPort = 1;
        }
    }

    /// <summary>Translates 1,024 missed flows, one after another, as the upcall handler does.</summary>
    [Benchmark(OperationsPerInvoke = FlowsPerInvoke)]
    public int Translate()
    {
        int installed = 0;
        for (int i = 0; i < FlowsPerInvoke; i++)
        {
            int k = next++ % keys.Length;
            if (xlate.Translate(keys[k], frames[k], out FlowTranslation t) && t.Install)
            {
                installed++;
            }
        }

        return installed;
    }

    /// <summary>The rule lines of table <paramref name="table"/>.</summary>
    public static List<string> Rules(string table)
    {
        var lines = new List<string>(ForwardingWorkload.RuleLines("s2"));
        if (table == "10k")
        {
            for (int i = 0; lines.Count < 10_000; i++)
            {
                int a = i % 250, b = (i / 250) % 250;
                lines.Add((i % 4) switch
                {
                    0 => string.Create(CultureInfo.InvariantCulture, $"priority=140,ip,nw_src=172.{a}.{b}.0/24,actions=mod_nw_src:172.{b}.{a}.1,output:2"),
                    1 => string.Create(CultureInfo.InvariantCulture, $"priority=130,ip,nw_dst=192.{a}.{b}.7,actions=output:2"),
                    2 => string.Create(CultureInfo.InvariantCulture, $"priority=125,udp,nw_dst=10.{a}.{b}.0/24,tp_dst={7000 + (i % 1000)},actions=output:2"),
                    _ => string.Create(CultureInfo.InvariantCulture, $"priority=105,ip,nw_src=11.{a}.0.0/16,nw_dst=12.{b}.0.0/16,actions=drop"),
                });
            }
        }

        return lines;
    }
}
