using System.Diagnostics;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Meters;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Rules;
using FastPath.Packets;

namespace FastPath.Ofproto.Bridge;

/// <summary>
/// One OpenFlow bridge's slow path, assembled: its tables, its ports, the translator over them, and the
/// ofproto thread that owns them, serves the PMDs' upcalls, revalidates megaflows, expires timed-out rules and
/// reports packet-ins and flow-removed notices. Other threads change it only through the methods here, which
/// run their work on the ofproto thread.
/// </summary>
public sealed class OfBridge : IDisposable
{
    private readonly IFlowRemovedSink? flowRemoved;
    private long nextExpiry;

    /// <summary>
    /// A bridge named <paramref name="name"/> over <paramref name="pmds"/>, reporting to <paramref name="packetIns"/>
    /// and <paramref name="flowRemoved"/> (either may be null: nobody listens), its OpenFlow meters enforced by
    /// <paramref name="meters"/> (null: the meter table the PMDs run their meter actions through, which a
    /// datapath's PMDs share). Add ports, then <see cref="Start"/>.
    /// </summary>
    public OfBridge(
        string name,
        IReadOnlyList<PmdThread> pmds,
        OfBridgeOptions? options = null,
        IPacketInSink? packetIns = null,
        IFlowRemovedSink? flowRemoved = null,
        IDatapathMeters? meters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(pmds);
        Name = name;
        Options = options ?? new OfBridgeOptions();
        this.flowRemoved = flowRemoved;
        Meters = new OfMeterTable(Pipeline, meters ?? PmdMeters(pmds));
        Xlate = new OfXlate(Pipeline, Ports, packetIns, Options.Xlate) { Meters = Meters };
        Thread = new OfprotoThread(pmds, Xlate, Options.Ofproto);
        long interval = (long)(Options.ExpiryInterval.TotalSeconds * Stopwatch.Frequency);
        // NORMAL's MAC table ages on the same thread that learns into it.
        Thread.AddTimer(Xlate.RunPeriodic);
        Thread.AddTimer(now =>
        {
            if (now >= nextExpiry)
            {
                nextExpiry = now + interval;
                Report(Pipeline.Expire(now), now);
            }
        });
    }

    /// <summary>The bridge's name (as ofproto/trace and the tools call it).</summary>
    public string Name { get; }

    /// <summary>The options it runs with.</summary>
    public OfBridgeOptions Options { get; }

    /// <summary>The OpenFlow tables. Owned by the ofproto thread: touch them only inside <see cref="Invoke{T}"/>.</summary>
    public OfPipeline Pipeline { get; } = new();

    /// <summary>The bridge's ports as xlate sees them. Owned by the ofproto thread, like the tables.</summary>
    public BridgePorts Ports { get; } = new();

    /// <summary>The OpenFlow meters the rules use. Owned by the ofproto thread, like the tables.</summary>
    public OfMeterTable Meters { get; }

    /// <summary>The translator over the tables and ports.</summary>
    public OfXlate Xlate { get; }

    /// <summary>The slow-path thread.</summary>
    public OfprotoThread Thread { get; }

    /// <summary>Starts the slow-path thread.</summary>
    public void Start() => Thread.Start();

    /// <summary>Runs <paramref name="work"/> on the ofproto thread and waits for its result.</summary>
    public T Invoke<T>(Func<T> work) => Thread.Invoke(work);

    /// <summary>
    /// Applies <paramref name="mod"/> on the ofproto thread and returns the rules it removed; those that asked
    /// for it are reported as removed by deletion, as OpenFlow says.
    /// </summary>
    /// <exception cref="FlowModException">The flow-mod was refused; nothing changed.</exception>
    public IReadOnlyList<RemovedRule> Apply(FlowMod mod) => Thread.Invoke(() =>
    {
        long now = Stopwatch.GetTimestamp();
        List<RemovedRule> removed = Pipeline.Apply(mod, now);
        Report(removed, now);
        return removed;
    });

    /// <summary>
    /// Applies a group-mod on the ofproto thread; the rules a deleted group takes with it are reported as
    /// removed by group delete, as OpenFlow says.
    /// </summary>
    /// <exception cref="Groups.GroupModException">The group-mod was refused; nothing changed.</exception>
    public IReadOnlyList<RemovedRule> ApplyGroupMod(Groups.GroupMod mod) => Thread.Invoke(() =>
    {
        long now = Stopwatch.GetTimestamp();
        List<RemovedRule> removed = Pipeline.ApplyGroupMod(mod, now);
        Report(removed, now);
        return removed;
    });

    /// <summary>
    /// Applies a meter-mod on the ofproto thread; the rules a deleted meter takes with it are reported as removed by
    /// meter delete, as Open vSwitch does.
    /// </summary>
    /// <exception cref="MeterModException">The meter-mod was refused; nothing changed.</exception>
    public IReadOnlyList<RemovedRule> ApplyMeterMod(MeterMod mod) => Thread.Invoke(() =>
    {
        long now = Stopwatch.GetTimestamp();
        List<RemovedRule> removed = Meters.Apply(mod, now);
        Report(removed, now);
        return removed;
    });

    /// <summary>Adds rules written as <c>ovs-ofctl add-flow</c> takes them, in order, each replacing an identical one.</summary>
    /// <exception cref="OpenFlow.Text.FlowSyntaxException">A line does not parse; the lines before it were added.</exception>
    /// <exception cref="FlowModException">A rule was refused; the lines before it were added.</exception>
    public void AddFlows(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(line)));
        }
    }

    /// <summary>
    /// Executes a packet-out on the ofproto thread (call it there, e.g. inside <see cref="Invoke{T}"/>): the
    /// packet, received on <paramref name="inPort"/> (a port, or <see cref="OfPorts.Controller"/> for none),
    /// goes through <paramref name="actions"/> and leaves through a PMD. False, with the reason, when the
    /// translation is refused or the PMD's command ring is full (the packet is dropped).
    /// </summary>
    public bool ExecutePacketOut(byte[] packet, uint inPort, IReadOnlyList<OfAction> actions, out string? error)
    {
        // The bridge's own port is LOCAL to OpenFlow and a small number to the datapath.
        if (inPort == OfPorts.Local)
        {
            inPort = Ports.LocalPort ?? OfPorts.Controller;
        }

        Packet parsed = default;
        parsed.InPort = inPort;
        FlowExtractor.Extract(packet, ref parsed, out FlowKey key);
        key.InPort = inPort;
        if (!Xlate.TranslatePacketOut(key, actions, out byte[] datapathActions, out error, packet.Length))
        {
            return false;
        }

        PacketOuts++;
        OfprotoCoverage.OfprotoPacketOut.Add(1);
        if (datapathActions.Length == 0)
        {
            return true;
        }

        // Any PMD can send on any port (each has its own transmit queues); the first is as good as another.
        var command = PmdCommand.Execute(packet, inPort, datapathActions);
        if (!Thread.Upcalls.Commands.Pmds[0].TrySubmit(command))
        {
            error = "the datapath's command ring is full";
            return false;
        }

        lastPacketOut = command;
        OfprotoCoverage.DpifExecute.Add(1);
        return true;
    }

    /// <summary>
    /// On the ofproto thread: waits (at most <paramref name="limit"/>) until the datapath has executed every
    /// packet-out so far, then handles what they sent up (a controller action's packet-in), so that a barrier
    /// answered after this follows their packet-ins, as in Open vSwitch, which executes packet-outs synchronously.
    /// Returns false if the datapath did not finish in time.
    /// </summary>
    public bool SettlePacketOuts(TimeSpan limit)
    {
        PmdCommand? last = lastPacketOut;
        if (last is null)
        {
            return true;
        }

        // One PMD executes them in order: the last one done means all are.
        long deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var spin = default(SpinWait);
        while (!last.IsCompleted)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            spin.SpinOnce();
        }

        lastPacketOut = null;
        for (int i = 0; i < 64 && Thread.Upcalls.Poll(Stopwatch.GetTimestamp()) > 0; i++)
        {
            // Bounded: a flood of misses arriving meanwhile must not hold the barrier forever.
        }

        return true;
    }

    private PmdCommand? lastPacketOut;

    /// <summary>Packet-outs executed.</summary>
    public long PacketOuts { get; private set; }

    /// <summary>
    /// Traces <paramref name="flow"/> through the tables as they are now (ofproto/trace), changing nothing unless
    /// <paramref name="generate"/> (ofproto/trace's -generate: learn actions add their rules and NORMAL learns, as for
    /// a real packet).
    /// </summary>
    public XlateTrace Trace(FlowKey flow, bool generate = false) => Thread.Invoke(() => Xlate.Trace(flow, generate));

    /// <summary>Stops the slow-path thread.</summary>
    public void Dispose() => Thread.Dispose();

    // A datapath's PMDs share one meter table; PMDs made apart each have their own, and the first one's is used.
    private static IDatapathMeters PmdMeters(IReadOnlyList<PmdThread> pmds) =>
        new MeterTableMeters(pmds.Count > 0 ? pmds[0].Meters : new Datapath.Meters.MeterTable());

    private void Report(IReadOnlyList<RemovedRule> removed, long now)
    {
        if (flowRemoved is null)
        {
            return;
        }

        for (int i = 0; i < removed.Count; i++)
        {
            RemovedRule r = removed[i];
            if ((r.Rule.Spec.Flags & FlowModFlags.SendFlowRem) != 0)
            {
                flowRemoved.Deliver(new FlowRemoved(r.Rule, r.Reason, Stopwatch.GetElapsedTime(r.Rule.CreatedTicks, now)));
            }
        }
    }
}
