using System.Diagnostics;
using FastPath.Datapath.Classifier;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Upcalls;

namespace FastPath.Ofproto.Revalidation;

/// <summary>
/// Keeps the PMDs' megaflows true to the OpenFlow tables: each pass dumps every PMD's megaflows, credits their
/// new traffic to the rules they were made from, removes those idle longer than <see cref="RevalidatorOptions.MaxIdle"/>,
/// and re-translates those made under an older <see cref="IFlowTranslator.Version"/>: unchanged ones stay,
/// ones with new actions but the same match are modified in place, and the rest are deleted (their next
/// packet makes them anew). Megaflows it has no <see cref="Ukey"/> for are deleted too, as Open vSwitch does.
/// </summary>
/// <remarks>
/// Runs on the ofproto thread, beside the <see cref="UpcallHandler"/> whose command pool and ukeys it shares, and
/// serves that handler's waiting misses between the chunks of its dumps.
/// </remarks>
public sealed class Revalidator
{
    // Rounds of UpcallHandler.Poll between two chunks: with its 64 upcalls per PMD per round, 16 rounds drain a
    // full 1024-slot upcall ring.
    private const int ServeRoundsPerChunk = 16;

    private readonly UpcallHandler handler;
    private readonly PmdCommandPool commands;
    private readonly UkeyTable ukeys;
    private readonly IFlowTranslator translator;
    private readonly RevalidatorOptions options;
    private readonly FlowDumpBuffer buffer;
    private readonly Action<FlowDumpBuffer> visitChunk;
    private long pass;
    private long passVersion = -1;
    private int walkPmd;
    private long walkNow;
    private long walkMaxIdle;
    private long walkChunkStart;

    /// <summary>Revalidates the megaflows of <paramref name="handler"/>'s PMDs.</summary>
    public Revalidator(UpcallHandler handler, IFlowTranslator translator, RevalidatorOptions? options = null)
    {
        this.handler = handler;
        commands = handler.Commands;
        ukeys = handler.Ukeys;
        this.translator = translator;
        this.options = options ?? new RevalidatorOptions();
        buffer = new FlowDumpBuffer(this.options.DumpChunk);
        visitChunk = VisitChunk;
    }

    /// <summary>How long the last pass took (Open vSwitch's "dump duration"), in milliseconds.</summary>
    public long LastDumpMilliseconds { get; private set; }

    /// <summary>Megaflows with a ukey after the last pass.</summary>
    public int Flows { get; private set; }

    /// <summary>The running average of <see cref="Flows"/> over passes, as Open vSwitch keeps it (the mean of the last average and the new count).</summary>
    public int FlowsAverage { get; private set; }

    /// <summary>The most megaflows any pass has seen.</summary>
    public int FlowsMax { get; private set; }

    /// <summary>Passes run.</summary>
    public long Passes => pass;

    /// <summary>Megaflows removed for idleness.</summary>
    public long IdleDeleted { get; private set; }

    /// <summary>Megaflows re-translated because the tables changed.</summary>
    public long Revalidated { get; private set; }

    /// <summary>Megaflows deleted because their translation changed its match or no longer installs one.</summary>
    public long ChangedDeleted { get; private set; }

    /// <summary>Megaflows whose actions were replaced in place.</summary>
    public long Modified { get; private set; }

    /// <summary>Megaflows found in a PMD with no ukey, deleted.</summary>
    public long UnknownDeleted { get; private set; }

    /// <summary>Ukeys forgotten because their megaflow was gone from the PMD.</summary>
    public long Vanished { get; private set; }

    /// <summary>PMD walks abandoned because the PMD did not answer.</summary>
    public long UnansweredWalks { get; private set; }

    /// <summary>Misses the upcall handler served between dump chunks, inside passes.</summary>
    public long UpcallsServedInPass { get; private set; }

    /// <summary>One pass over every PMD at <paramref name="nowTicks"/> (Stopwatch ticks).</summary>
    public void Run(long nowTicks)
    {
        pass++;
        long started = Stopwatch.GetTimestamp();
        if (translator.Version != passVersion)
        {
            if (passVersion >= 0)
            {
                OfprotoCoverage.RevFlowTable.Add(1);
            }

            passVersion = translator.Version;
        }

        long maxIdleTicks = (long)(options.MaxIdle.TotalSeconds * Stopwatch.Frequency);
        for (int i = 0; i < commands.Pmds.Count; i++)
        {
            long passStart = nowTicks;
            commands.DrainReplies(i);
            try
            {
                RunPmd(i, nowTicks, maxIdleTicks);
            }
            catch (TimeoutException)
            {
                // A PMD that does not answer (stopped, or run inline by a caller that is not polling it now)
                // is skipped this pass: its dump is incomplete, so nothing is forgotten, and the other PMDs
                // and the upcalls carry on.
                UnansweredWalks++;
                continue;
            }

            Vanished += ukeys.RemoveUnseen(i, pass, passStart);
        }

        Flows = ukeys.Count;
        FlowsAverage = (FlowsAverage + Flows) / 2;
        FlowsMax = Math.Max(FlowsMax, Flows);
        LastDumpMilliseconds = (Stopwatch.GetTimestamp() - started) * 1000 / Stopwatch.Frequency;
    }

    private void RunPmd(int index, long nowTicks, long maxIdleTicks)
    {
        // The walk's state lives in fields and the chunk callback is one delegate made once: a pass every half
        // second allocates nothing (a closure per PMD per pass was a steady trickle of garbage on an idle switch).
        walkPmd = index;
        walkNow = nowTicks;
        walkMaxIdle = maxIdleTicks;
        walkChunkStart = Stopwatch.GetTimestamp();
        commands.Pmds[index].ForEachChunk(buffer, visitChunk, options.PmdTimeout);
    }

    private void VisitChunk(FlowDumpBuffer chunk)
    {
        for (int j = 0; j < chunk.Count; j++)
        {
            Visit(walkPmd, in chunk.MatchAt(j), chunk.StatsAt(j), walkNow, walkMaxIdle);
        }

        long now = Stopwatch.GetTimestamp();
        ServeUpcalls(walkNow, now + (now - walkChunkStart));
        walkChunkStart = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// A pass over tens of thousands of megaflows takes tens of chunks, each a round trip to the PMD; misses
    /// that wait meanwhile are served between chunks, as Open vSwitch's upcalls go on while its revalidators dump.
    /// Without it a pass held every new flow's setup for its whole length, and with many megaflows (a flood of new
    /// flows) the slow path spent most of its time revalidating. Serving stops at <paramref name="deadlineTicks"/>
    /// (as long again as the chunk took) after one round at least, so a pass takes at most about twice its dump:
    /// requests to the ofproto thread (adding a port, a flow-mod) wait for passes, and must not wait for a flood.
    /// </summary>
    private void ServeUpcalls(long passTicks, long deadlineTicks)
    {
        for (int round = 0; round < ServeRoundsPerChunk; round++)
        {
            // Never before the pass's own time: a ukey put now counts as put after the pass began, so RemoveUnseen
            // keeps it even if the dump's cursor had passed its place.
            long now = Stopwatch.GetTimestamp();
            int served = handler.Poll(Math.Max(now, passTicks));
            UpcallsServedInPass += served;
            if (served == 0 || now >= deadlineTicks)
            {
                break;
            }
        }
    }

    private void Visit(int index, in FlowMatch match, MegaflowStats stats, long nowTicks, long maxIdleTicks)
    {
        if (!ukeys.TryGet(index, match, out Ukey? u))
        {
            UnknownDeleted++;
            OfprotoCoverage.RevalidateMissedDpFlow.Add(1);
            OfprotoCoverage.DpifFlowDel.Add(1);
            commands.TryDelete(index, match);
            return;
        }

        u!.SeenPass = pass;

        // Traffic first, so the rules the megaflow was made from get what it forwarded under them.
        long packets = stats.Packets - u.Packets;
        long bytes = stats.Bytes - u.Bytes;
        if (packets > 0)
        {
            FlowStatsCredit.CreditAll(u.Credited, packets, bytes, nowTicks);
            u.LastActiveTicks = nowTicks;
        }

        u.Packets = stats.Packets;
        u.Bytes = stats.Bytes;

        if (nowTicks - u.LastActiveTicks > maxIdleTicks)
        {
            IdleDeleted++;
            Delete(index, u);
            return;
        }

        long version = translator.Version;
        if (u.Version == version)
        {
            return;
        }

        Revalidated++;
        OfprotoCoverage.XlateActions.Add(1);
        if (!translator.Translate(u.Key, default, out FlowTranslation t) || !t.Install
            || !FlowMatchComparer.Instance.Equals(t.Megaflow, u.Megaflow))
        {
            ChangedDeleted++;
            Delete(index, u);
            return;
        }

        if (!t.Actions.AsSpan().SequenceEqual(u.Actions))
        {
            if (!commands.TryPut(index, t.Megaflow, t.Actions))
            {
                // No room to modify it: it must not forward by the old actions, so delete it instead.
                ChangedDeleted++;
                Delete(index, u);
                return;
            }

            Modified++;
            OfprotoCoverage.DpifFlowPut.Add(1);
            u.Actions = t.Actions;
        }

        u.Credited = t.Credited;
        u.Version = version;
    }

    private void Delete(int index, Ukey u)
    {
        // Even when the ring is full the ukey goes: the next pass finds the megaflow unknown and deletes it then.
        commands.TryDelete(index, u.Megaflow);
        OfprotoCoverage.DpifFlowDel.Add(1);
        ukeys.Remove(index, u.Megaflow);
    }
}
