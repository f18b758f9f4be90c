using System.Diagnostics;
using System.Diagnostics.Tracing;
using FastPath.Datapath;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Upcalls;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Rules;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Upcalls;

/// <summary>
/// What the slow path allocates per flow setup, through the real xlate and a real datapath, with the rules of the
/// flow-setup benchmark (S4): every packet its own Ethernet source, so every upcall installs a megaflow.
/// </summary>
public sealed class UpcallAllocationTests(ITestOutputHelper output) : IDisposable
{
    private readonly NetdevDatapath dp = new([-1]);
    private readonly MemoryNetdev p1 = new("p1");
    private readonly MemoryNetdev p2 = new("p2");
    private readonly OfPipeline pipeline = new();
    private readonly BridgePorts ports = new();
    private int nextSource;

    public void Dispose() => dp.Dispose();

    [Fact]
    public void AFlowSetupAllocatesNothingOnceTheSlowPathHasHeldAsManyFlows()
    {
        (UpcallHandler h, OfXlate xlate) = Start();
        var revalidator = new FastPath.Ofproto.Revalidation.Revalidator(h, xlate);

        // As the flow-setup benchmark does: a warm-up sets flows up (JIT, the ukey table and the pools grow),
        // dpctl/del-flows empties the datapath, and the revalidator's next pass forgets their ukeys.
        SetUp(h, 3000);
        dp.FlushFlows();
        revalidator.Run(Stopwatch.GetTimestamp());
        Assert.Equal(0, h.Ukeys.Count);
        Assert.Equal(3000, h.Ukeys.Spare);

        // New flows, fewer than before: xlate's context, action programs and rule lists, the ukeys, the flow puts
        // and the executes are all reused (a setup took 3.7 KB before). What may be left is the command pool
        // growing when a loaded machine leaves more commands in flight than the warm-up did (a command and its
        // packet buffer, some 300 bytes each, at most a command ring's worth).
        using var ticks = new AllocationTicks();
        long bytes = SetUp(h, 2000);
        output.WriteLine($"{bytes} bytes for 2000 flow setups; sampled allocations on every thread: {ticks.Summary()}");
        Assert.True(bytes < 2000 * 32, $"{bytes} bytes allocated for 2000 flow setups");
        Assert.Equal(2000, h.Ukeys.Count);
    }

    [Fact]
    public void TheFirstFlowSetupsAllocateOnlyTheirUkeys()
    {
        (UpcallHandler h, _) = Start();
        SetUp(h, 1000);

        // Before the interning, the reused context and the pooled executes, a setup took about 3.7 KB; what is left
        // is the ukey (about 450 bytes: a 256-byte megaflow and a 128-byte key) and its share of the growing ukey
        // table. That share was about 550 bytes more while the table was a dictionary holding a copy of each
        // megaflow (1022 bytes per setup); as a set of references it is a few dozen (504 bytes per setup).
        long perSetup = SetUp(h, 2000) / 2000;
        output.WriteLine($"{perSetup} bytes per flow setup");
        Assert.True(perSetup < 640, $"{perSetup} bytes allocated per flow setup");
    }

    private (UpcallHandler Handler, OfXlate Xlate) Start()
    {
        dp.Start();
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        ports.Set(1);
        ports.Set(2);
        foreach (string rule in new[] { "priority=100,dl_src=00:00:00:00:00:01,actions=drop", "priority=10,in_port=1,actions=output:2", "priority=0,actions=drop" })
        {
            pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(rule)), Stopwatch.GetTimestamp());
        }

        var xlate = new OfXlate(pipeline, ports);
        return (new UpcallHandler(dp.Pmds, xlate), xlate);
    }

    // Sends n new flows through the slow path, in steps the upcall ring holds; returns what Poll allocated.
    private long SetUp(UpcallHandler h, int n)
    {
        long allocated = 0;
        long target = h.MegaflowsPut;
        for (int done = 0; done < n; done += 250)
        {
            for (int i = 0; i < 250; i++)
            {
                p1.Inject(Frame(nextSource++));
            }

            target += 250;
            var sw = Stopwatch.StartNew();
            while (h.MegaflowsPut < target)
            {
                if (sw.Elapsed > TimeSpan.FromSeconds(20))
                {
                    Assert.Fail($"{h.MegaflowsPut} of {target} megaflows");
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                h.Poll(Stopwatch.GetTimestamp());
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        Eventually.Until(() => p2.Sent.Count >= n, "the executed packets");
        p2.Sent.Clear();
        return allocated;
    }

    private static readonly byte[] Template = UpcallTestPackets.Udp4("10.0.0.1", "10.200.0.1", 1000, 5000);

    private static byte[] Frame(int source)
    {
        byte[] f = (byte[])Template.Clone();
        f[8] = (byte)(source >> 24);
        f[9] = (byte)(source >> 16);
        f[10] = (byte)(source >> 8);
        f[11] = (byte)source;
        return f;
    }

    // The runtime's allocation samples (one per ~100 KB allocated), by type: where the bytes go.
    private sealed class AllocationTicks : EventListener
    {
        private readonly Dictionary<string, int> types = [];

        public string Summary()
        {
            lock (types)
            {
                return string.Join(", ", types.OrderByDescending(t => t.Value).Select(t => $"{t.Key} x{t.Value}"));
            }
        }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && e.Payload is { } p && e.PayloadNames is { } names)
            {
                int i = names.IndexOf("TypeName");
                string type = i >= 0 ? p[i]?.ToString() ?? "?" : "?";
                lock (types)
                {
                    types[type] = types.GetValueOrDefault(type) + 1;
                }
            }
        }
    }
}
