using System.Globalization;
using FastPath.Datapath.Actions;
using FastPath.Datapath.CaptureFiles;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Meters;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Replay;
using FastPath.Ofproto.Bridge;
using FastPath.Traffic;

namespace FastPath.Benchmarks;

/// <summary>
/// One PMD forwarding a replayed capture (port 1, looped forever, each packet copied into a fresh frame)
/// to a null port (port 2): the end-to-end setup of the Open vSwitch reference, in process. The reference
/// rule set is loaded as OpenFlow rules into a bridge whose slow path installs the megaflows from the first
/// packets' upcalls, as Open vSwitch's does; or, for measurements of the PMD alone, megaflows computed
/// beforehand are installed by hand.
/// </summary>
public sealed class ForwardingWorkload : IDisposable
{
    private readonly ReplayNetdev replay;
    private readonly NullNetdev sink;
    private readonly OfBridge? bridge;

    /// <summary>
    /// Builds the workload: <paramref name="flows"/> distinct UDP flows of <paramref name="frameLength"/> bytes without FCS (60: the
    /// 64-byte frames of the reference; 1514: its 1518-byte frames) through <paramref name="ruleSet"/> ("s1", "s2", or "s5", the
    /// action-heavy set whose megaflow only the slow path computes);
    /// with <paramref name="sharedTx"/> the null port's tx queue is used as a shared one, under its lock; with
    /// <paramref name="meter"/> every megaflow first runs the packet through that meter (datapath meter 0), as xlate
    /// puts a rule's meter instruction.
    /// </summary>
    /// <remarks>The slow path's thread runs on <paramref name="slowPathCore"/> (-1: wherever the scheduler puts it).</remarks>
    public ForwardingWorkload(int flows, string ruleSet, PmdOptions? options = null, bool sharedTx = false, MegaflowSource source = MegaflowSource.SlowPath, MeterConfig? meter = null, int slowPathCore = -1, int frameLength = 60)
    {
        if (ruleSet is not ("s1" or "s2" or "s5"))
        {
            throw new ArgumentException($"unknown rule set '{ruleSet}' (s1, s2 or s5)", nameof(ruleSet));
        }

        if (ruleSet == "s5" && source != MegaflowSource.SlowPath)
        {
            throw new ArgumentException("rule set s5 has no precomputed megaflows: its actions come from the slow path", nameof(source));
        }

        if (meter is not null && source != MegaflowSource.Precomputed)
        {
            throw new ArgumentException("a meter goes with precomputed megaflows (the slow path meters by OpenFlow meters)", nameof(meter));
        }

        List<byte[]> packets = TrafficGenerator.UdpFlows(flows, frameLength);
        Source = source;
        var meters = new MeterTable();
        Pmd = new PmdThread(-1, options ?? new PmdOptions(), meters);
        replay = new ReplayNetdev("replay", PcapFile.FromPackets(packets), loops: 0, frameCount: 4096);
        sink = new NullNetdev("null");
        Submit(PmdCommand.PortAdd(2, sink.GetTxQueue(0), sharedTx ? new Lock() : null));
        if (source == MegaflowSource.Precomputed)
        {
            Megaflows = ReferenceRuleSets.Megaflows(ruleSet == "s1" ? ReferenceRuleSets.S1() : ReferenceRuleSets.S2(), packets);
            if (meter is not null)
            {
                meters.Set(0, meter);
                byte[] meterAction = new ActionProgramBuilder().Meter(0).ToArray();
                Megaflows = Megaflows.ConvertAll(m => (m.Match, (byte[])[.. meterAction, .. m.Actions]));
            }

            foreach (var (match, actions) in Megaflows)
            {
                Submit(PmdCommand.FlowPut(match, actions));
            }
        }

        Submit(PmdCommand.RxqAdd(1, replay.GetRxQueue(0)));
        if (source == MegaflowSource.SlowPath)
        {
            // From here on the ofproto thread owns the PMD's upcall and reply rings.
            bridge = new OfBridge("br0", [Pmd], new OfBridgeOptions { Ofproto = new Ofproto.OfprotoOptions { Core = slowPathCore } });
            bridge.Ports.Set(1);
            bridge.Ports.Set(2);
            bridge.AddFlows(RuleLines(ruleSet));
            bridge.Start();
        }
    }

    /// <summary>Where the megaflows come from.</summary>
    public MegaflowSource Source { get; }

    /// <summary>The megaflows installed by hand (empty when the slow path installs them).</summary>
    public List<(FlowMatch Match, byte[] Actions)> Megaflows { get; } = [];

    /// <summary>Megaflows in the PMD now: those the slow path installed and keeps, or those installed by hand.</summary>
    public int MegaflowCount => bridge?.Invoke(() => bridge.Thread.Upcalls.Ukeys.Count) ?? Megaflows.Count;

    /// <summary>The slow path's counters, one line (empty when megaflows were installed by hand).</summary>
    public string SlowPathSummary => bridge?.Invoke(() =>
    {
        var u = bridge.Thread.Upcalls;
        return string.Create(CultureInfo.InvariantCulture, $"misses={u.Misses} megaflows_put={u.MegaflowsPut} already_installed={u.AlreadyInstalled} executed={u.Executed} rate_limited={u.RateLimited}");
    }) ?? string.Empty;

    /// <summary>The reference rule set <paramref name="ruleSet"/> ("s1", "s2", "s5") as ovs-ofctl add-flows lines.</summary>
    public static IReadOnlyList<string> RuleLines(string ruleSet)
    {
        using Stream s = typeof(ForwardingWorkload).Assembly.GetManifestResourceStream($"rules-{ruleSet}.txt")
            ?? throw new ArgumentException($"no rule set '{ruleSet}'", nameof(ruleSet));
        using var reader = new StreamReader(s);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('#'))];
    }

    /// <summary>The PMD under test (run inline on the caller's thread).</summary>
    public PmdThread Pmd { get; }

    /// <summary>Packets the null port has counted.</summary>
    public long Sent => sink.GetStats().TxPackets;

    /// <summary>Runs the PMD loop on this thread until <paramref name="packets"/> more packets were received.</summary>
    public void RunPackets(long packets)
    {
        long target = Pmd.PeekStats().Packets + packets;
        Pmd.RunInline(() => Pmd.PeekStats().Packets >= target);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        bridge?.Dispose();
        Pmd.Dispose();
        replay.Dispose();
        sink.Dispose();
    }

    // Commands go in before the loop runs, so apply them with a short inline run and check every reply.
    private void Submit(PmdCommand command)
    {
        while (!Pmd.TrySubmit(command))
        {
            DrainReplies();
        }

        DrainReplies();
    }

    private void DrainReplies()
    {
        int spins = 0;
        Pmd.RunInline(() => ++spins > 1);
        while (Pmd.Replies.TryDequeue(out PmdCommand reply))
        {
            if (!reply.Ok)
            {
                throw new InvalidOperationException($"{reply.Kind} refused: {reply.Error}");
            }
        }
    }
}
