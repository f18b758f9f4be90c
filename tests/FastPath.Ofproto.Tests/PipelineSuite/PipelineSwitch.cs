using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;

namespace FastPath.Ofproto.Tests.PipelineSuite;

/// <summary>
/// FastPath as the pipeline suite runs it: a real <see cref="NetdevDatapath"/> with one PMD, in-memory ports
/// p1..p4 (datapath and OpenFlow ports 1..4) and LOCAL (datapath port 100), and the slow path
/// (<see cref="OfprotoThread"/> with <see cref="OfXlate"/> over an <see cref="OfPipeline"/>). One instance
/// serves every case: <see cref="Run"/> empties the tables and the datapath before each.
/// </summary>
public sealed class PipelineSwitch : IDisposable
{
    /// <summary>The datapath port behind OpenFlow's LOCAL (Open vSwitch's dummy datapath uses the same).</summary>
    public const uint LocalPort = 100;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly NetdevDatapath dp = new([-1]);
    private readonly Dictionary<string, (uint Number, MemoryNetdev Dev)> ports = [];
    private readonly OfPipeline pipeline = new();
    private readonly BridgePorts bridgePorts = new();
    private readonly OfXlate xlate;
    private readonly OfprotoThread ofproto;

    /// <summary>Starts the datapath, its ports and the slow path.</summary>
    public PipelineSwitch()
    {
        dp.Start();
        foreach (string name in PipelineCaseReader.Ports)
        {
            uint number = name == "LOCAL" ? LocalPort : uint.Parse(name[1..], System.Globalization.CultureInfo.InvariantCulture);
            var dev = new MemoryNetdev(name);
            dp.AddPort(dev, number);
            bridgePorts.Set(number, isLocal: name == "LOCAL");
            ports[name] = (number, dev);
        }

        xlate = new OfXlate(pipeline, bridgePorts);
        ofproto = new OfprotoThread(dp.Pmds, xlate);
        ofproto.Start();
    }

    private PmdThread Pmd => dp.Pmds[0];

    /// <summary>
    /// Runs <paramref name="c"/>: empties the tables and the datapath, adds the rules as flow-mods, injects the
    /// packet twice (the first misses and goes through the upcall, the translation and the execute; the second
    /// should hit the megaflow the first installed) and returns what left each port each time.
    /// </summary>
    internal PipelineRun Run(PipelineCase c)
    {
        Reset();
        var run = new PipelineRun();
        foreach (string text in c.Rules)
        {
            FlowRule rule;
            try
            {
                rule = FlowText.Parse(text);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OpenFlow.Text.FlowSyntaxException)
            {
                run.Problems.Add($"FastPath cannot parse `{text}`: {e.Message}");
                return run;
            }

            try
            {
                ofproto.Invoke(() => pipeline.Apply(new FlowMod(FlowModCommand.Add, rule), Stopwatch.GetTimestamp()));
            }
            catch (AggregateException e) when (e.InnerException is FlowModException f)
            {
                run.Problems.Add($"FastPath refuses `{text}`: {f.Message}");
                return run;
            }
        }

        MemoryNetdev inDev = ports.Values.Single(p => p.Number == c.InPort).Dev;
        long failures = ofproto.Invoke(() => xlate.Failures);
        long misses = ofproto.Invoke(() => ofproto.Upcalls.Misses);
        run.First = InjectAndCollect(inDev, c.Packet, c.Expected.Count);
        if (!Until(() => ofproto.Invoke(() => ofproto.Upcalls.Misses) > misses))
        {
            run.Problems.Add("the first packet never went up to the slow path");
        }

        if (ofproto.Invoke(() => xlate.Failures) != failures)
        {
            run.Problems.Add($"xlate refused the translation: {ofproto.Invoke(() => xlate.LastFailure)}");
        }

        List<DatapathFlow> installed = Pmd.DumpFlows();
        run.Megaflows = installed.Count;
        run.Second = InjectAndCollect(inDev, c.Packet, c.Expected.Count);
        List<DatapathFlow> after = Pmd.DumpFlows();
        long hits = after.Sum(f => f.Packets) - installed.Sum(f => f.Packets);
        if (hits != 1)
        {
            run.Problems.Add($"the second packet hit {hits} megaflows (installed: {installed.Count}; slow-path misses so far {ofproto.Invoke(() => ofproto.Upcalls.Misses) - misses})");
        }

        return run;
    }

    /// <summary>Stops the slow path and the datapath.</summary>
    public void Dispose()
    {
        ofproto.Dispose();
        dp.Dispose();
        foreach ((uint _, MemoryNetdev dev) in ports.Values)
        {
            dev.Dispose();
        }
    }

    // Injects one packet and returns every packet the ports sent for it, in the suite's port order. Waits for the
    // PMD to receive it, then for the expected number of outputs (a case that sends fewer times out, bounded), then
    // for two PMD command round trips, after which anything the packet (or an execute of it) sent has been sent.
    private List<(string Port, byte[] Bytes)> InjectAndCollect(MemoryNetdev inDev, byte[] packet, int expected)
    {
        foreach ((uint _, MemoryNetdev dev) in ports.Values)
        {
            dev.Sent.Clear();
        }

        long received = inDev.GetStats().RxPackets;
        inDev.Inject(packet);
        Until(() => inDev.GetStats().RxPackets > received);
        Until(() => ports.Values.Sum(p => p.Dev.Sent.Count) >= expected && SlowPathIdle());
        Pmd.DumpFlows();
        Pmd.DumpFlows();
        var sent = new List<(string Port, byte[] Bytes)>();
        foreach (string name in PipelineCaseReader.Ports)
        {
            sent.AddRange(ports[name].Dev.Sent.Select(b => (name, b)));
        }

        return sent;
    }

    // Whether the ofproto thread has no upcall waiting (its next loop has run since the PMD last pushed one).
    private bool SlowPathIdle()
    {
        Pmd.DumpFlows();
        return ofproto.Invoke(() => Pmd.Upcalls.Count == 0);
    }

    private void Reset()
    {
        ofproto.Invoke(() =>
        {
            pipeline.Apply(new FlowMod(FlowModCommand.Delete, new FlowRule { TableId = 0xff }, AllTables: true), Stopwatch.GetTimestamp());

            // Every megaflow goes with its ukey, so no case starts on another's megaflows.
            var handler = ofproto.Upcalls;
            foreach (Datapath.Flows.FlowMatch m in handler.Ukeys.Of(0).Keys.ToList())
            {
                handler.Commands.TryDelete(0, m);
                handler.Ukeys.Remove(0, m);
            }

            return 0;
        });
        if (!Until(() => Pmd.DumpFlows().Count == 0))
        {
            throw new TimeoutException("the datapath kept megaflows after every rule and ukey was deleted");
        }
    }

    private static bool Until(Func<bool> done)
    {
        var sw = Stopwatch.StartNew();
        while (!done())
        {
            if (sw.Elapsed > Wait)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }
}
