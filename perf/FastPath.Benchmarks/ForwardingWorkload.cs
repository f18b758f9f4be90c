using FastPath.Datapath.Actions;
using FastPath.Datapath.CaptureFiles;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Meters;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Replay;
using FastPath.Traffic;

namespace FastPath.Benchmarks;

/// <summary>
/// One PMD forwarding a replayed capture (port 1, looped forever, each packet copied into a fresh frame)
/// to a null port (port 2) through hand-installed megaflows: the end-to-end setup of the Open vSwitch
/// reference, in process.
/// </summary>
public sealed class ForwardingWorkload : IDisposable
{
    private readonly ReplayNetdev replay;
    private readonly NullNetdev sink;

    /// <summary>
    /// Builds the workload: <paramref name="flows"/> distinct 64-byte UDP flows through <paramref name="ruleSet"/> ("s1" or "s2");
    /// with <paramref name="sharedTx"/> the null port's tx queue is used as a shared one, under its lock; with
    /// <paramref name="meter"/> every megaflow first runs the packet through that meter (datapath meter 0), as xlate
    /// puts a rule's meter instruction.
    /// </summary>
    public ForwardingWorkload(int flows, string ruleSet, PmdOptions? options = null, bool sharedTx = false, MeterConfig? meter = null)
    {
        List<byte[]> packets = TrafficGenerator.UdpFlows(flows);
        List<ReferenceRuleSets.Rule> rules = ruleSet switch
        {
            "s1" => ReferenceRuleSets.S1(),
            "s2" => ReferenceRuleSets.S2(),
            _ => throw new ArgumentException($"unknown rule set '{ruleSet}' (s1 or s2)", nameof(ruleSet)),
        };
        Megaflows = ReferenceRuleSets.Megaflows(rules, packets);
        var meters = new MeterTable();
        if (meter is not null)
        {
            meters.Set(0, meter);
            byte[] meterAction = new ActionProgramBuilder().Meter(0).ToArray();
            Megaflows = Megaflows.ConvertAll(m => (m.Match, (byte[])[.. meterAction, .. m.Actions]));
        }

        Pmd = new PmdThread(-1, options ?? new PmdOptions(), meters);
        replay = new ReplayNetdev("replay", PcapFile.FromPackets(packets), loops: 0, frameCount: 4096);
        sink = new NullNetdev("null");
        Submit(PmdCommand.PortAdd(2, sink.GetTxQueue(0), sharedTx ? new Lock() : null));
        foreach (var (match, actions) in Megaflows)
        {
            Submit(PmdCommand.FlowPut(match, actions));
        }

        Submit(PmdCommand.RxqAdd(1, replay.GetRxQueue(0)));
    }

    /// <summary>The PMD under test (run inline on the caller's thread).</summary>
    public PmdThread Pmd { get; }

    /// <summary>The megaflows installed.</summary>
    public List<(FlowMatch Match, byte[] Actions)> Megaflows { get; }

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
