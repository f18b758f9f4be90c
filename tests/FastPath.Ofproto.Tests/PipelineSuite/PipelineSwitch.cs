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
        var sw = Stopwatch.StartNew();
        Reset();
        var run = new PipelineRun();
        run.Timings.Add(("reset", sw.Elapsed));
        var rules = new List<(string Text, FlowRule Rule)>();
        foreach (string text in c.Rules)
        {
            try
            {
                rules.Add((text, FlowText.Parse(text)));
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OpenFlow.Text.FlowSyntaxException)
            {
                run.Problems.Add($"FastPath cannot parse `{text}`: {e.Message}");
                return run;
            }
        }

        // The flow-mods, then the counters the run is judged by, in one visit to the ofproto thread.
        (string? refused, long failures, long misses) = ofproto.Invoke(() =>
        {
            foreach ((string text, FlowRule rule) in rules)
            {
                try
                {
                    pipeline.Apply(new FlowMod(FlowModCommand.Add, rule), Stopwatch.GetTimestamp());
                }
                catch (FlowModException e)
                {
                    return ($"FastPath refuses `{text}`: {e.Message}", 0L, 0L);
                }
            }

            return ((string?)null, xlate.Failures, ofproto.Upcalls.Misses);
        });
        if (refused != null)
        {
            run.Problems.Add(refused);
            return run;
        }

        MemoryNetdev inDev = ports.Values.Single(p => p.Number == c.InPort).Dev;
        run.Timings.Add(("setup", sw.Elapsed));
        run.First = InjectAndCollect(inDev, c.Packet);
        run.Timings.Add(("first", sw.Elapsed));
        (long missesNow, long failuresNow, string? lastFailure) = ofproto.Invoke(() => (ofproto.Upcalls.Misses, xlate.Failures, xlate.LastFailure));
        long firstMisses = missesNow - misses;
        if (firstMisses != 1)
        {
            run.Problems.Add($"the first packet went up to the slow path {firstMisses} times");
        }

        if (failuresNow != failures)
        {
            run.Problems.Add($"xlate refused the translation: {lastFailure}");
        }

        List<DatapathFlow> installed = Pmd.DumpFlows();
        run.Megaflows = installed.Count;
        run.Second = InjectAndCollect(inDev, c.Packet);
        run.Timings.Add(("second", sw.Elapsed));
        List<DatapathFlow> after = Pmd.DumpFlows();
        long hits = after.Sum(f => f.Packets) - installed.Sum(f => f.Packets);
        long secondMisses = ofproto.Invoke(() => ofproto.Upcalls.Misses) - misses - firstMisses;
        if (hits != 1 || secondMisses != 0)
        {
            run.Problems.Add($"the second packet hit {hits} megaflows (of {installed.Count} installed) and went up to the slow path {secondMisses} times");
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

    // Injects one packet and returns every packet the ports sent for it, in the suite's port order, once all
    // of it is done: the PMD has received the packet and finished the iteration that processed it (a command
    // round trip later), the slow path has emptied the upcall ring and run the loop that handled any miss (an
    // Invoke later), and the PMD has run the execute and put that the miss sent it (another round trip).
    private List<(string Port, byte[] Bytes)> InjectAndCollect(MemoryNetdev inDev, byte[] packet)
    {
        foreach ((uint _, MemoryNetdev dev) in ports.Values)
        {
            dev.Sent.Clear();
        }

        long received = inDev.GetStats().RxPackets;
        inDev.Inject(packet);
        if (!Until(() => inDev.GetStats().RxPackets > received))
        {
            throw new TimeoutException("the PMD never received the packet");
        }

        Pmd.DumpFlows();
        if (!Until(() => ofproto.Invoke(() => Pmd.Upcalls.Count == 0)))
        {
            throw new TimeoutException("the slow path never took the upcall");
        }

        Pmd.DumpFlows();
        var sent = new List<(string Port, byte[] Bytes)>();
        foreach (string name in PipelineCaseReader.Ports)
        {
            sent.AddRange(ports[name].Dev.Sent.Select(b => (name, b)));
        }

        return sent;
    }

    private void Reset()
    {
        ofproto.Invoke(() =>
        {
            pipeline.Apply(new FlowMod(FlowModCommand.Delete, new FlowRule { TableId = 0xff }, AllTables: true), Stopwatch.GetTimestamp());
            var handler = ofproto.Upcalls;
            foreach (Datapath.Flows.FlowMatch m in handler.Ukeys.Of(0).Select(u => u.Megaflow).ToList())
            {
                handler.Ukeys.Remove(0, m);
            }

            return 0;
        });

        // Every megaflow, the exact-match cache and the PMD's memory of recent upcalls go (the last would
        // otherwise drop the first packet of a case that sends the packet the case before it sent, within 10 ms).
        dp.FlushFlows();
        if (Pmd.DumpFlows().Count != 0)
        {
            throw new InvalidOperationException("the datapath kept megaflows after a flush");
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
