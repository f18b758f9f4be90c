using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;

namespace FastPath.Ofproto.Upcalls;

/// <summary>
/// Flow put and delete commands for each PMD, recycled once answered, shared by the upcall handler and the
/// revalidator (both on the ofproto thread, the single consumer of every PMD's reply ring).
/// </summary>
/// <remarks>A steady stream of flow changes then allocates no command, and so starts no collection that would stop the PMDs.</remarks>
public sealed class PmdCommandPool
{
    private IReadOnlyList<PmdThread> pmds;
    private Stack<PmdCommand>[] spare;

    // The executes this pool made: only those come back to it. Others on the same reply ring (a packet-out's)
    // are still watched by whoever sent them, and must not be rearmed under them.
    private readonly HashSet<PmdCommand> executes = new(ReferenceEqualityComparer.Instance);

    // Commands of this pool each PMD has not answered yet (the replies drained so far say which).
    private int[] inFlight;

    /// <summary>A pool for <paramref name="pmds"/>.</summary>
    public PmdCommandPool(IReadOnlyList<PmdThread> pmds)
    {
        this.pmds = pmds;
        spare = [.. pmds.Select(_ => new Stack<PmdCommand>())];
        inFlight = new int[pmds.Count];
    }

    /// <summary>
    /// Serves <paramref name="replacement"/> from now on (the datapath re-created its PMDs): commands still out on
    /// the old PMDs are left to the collector, their answers never read, and nothing counts as in flight any more.
    /// </summary>
    public void Replace(IReadOnlyList<PmdThread> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        pmds = replacement;
        spare = [.. replacement.Select(_ => new Stack<PmdCommand>())];
        inFlight = new int[replacement.Count];
        executes.Clear();
    }

    /// <summary>
    /// Flow puts, deletes and executes sent to PMD <paramref name="pmd"/> whose answers have not been drained yet:
    /// what the slow path has queued ahead of anyone else's command to that PMD.
    /// </summary>
    public int InFlight(int pmd) => inFlight[pmd];

    /// <summary>Commands made new rather than recycled.</summary>
    public long Allocated { get; private set; }

    /// <summary>Flow puts a PMD refused (its table full, an invalid program).</summary>
    public long PutsRefused { get; private set; }

    /// <summary>Commands a full command ring refused.</summary>
    public long RingFull { get; private set; }

    /// <summary>The PMDs served.</summary>
    public IReadOnlyList<PmdThread> Pmds => pmds;

    /// <summary>Queues a flow put (install or modify) on PMD <paramref name="pmd"/>; false when its command ring is full.</summary>
    public bool TryPut(int pmd, in FlowMatch match, byte[] actions)
    {
        PmdCommand cmd;
        if (spare[pmd].TryPop(out PmdCommand? reused))
        {
            reused.ReuseAsFlowPut(match, actions);
            cmd = reused;
        }
        else
        {
            cmd = PmdCommand.FlowPut(match, actions);
            Allocated++;
        }

        return Submit(pmd, cmd);
    }

    /// <summary>
    /// Queues an execute of a copy of <paramref name="packet"/> on PMD <paramref name="pmd"/>, with a recycled
    /// command and buffer once the pool has them; false when its command ring is full.
    /// </summary>
    public bool TryExecute(int pmd, ReadOnlySpan<byte> packet, uint inPort, byte[] actions)
    {
        PmdCommand cmd;
        if (spare[pmd].TryPop(out PmdCommand? reused))
        {
            reused.ReuseAsExecute(packet, inPort, actions);
            cmd = reused;
        }
        else
        {
            cmd = PmdCommand.Execute(packet.ToArray(), inPort, actions);
            Allocated++;
        }

        executes.Add(cmd);
        if (Submit(pmd, cmd))
        {
            return true;
        }

        executes.Remove(cmd);
        return false;
    }

    /// <summary>Queues a flow delete on PMD <paramref name="pmd"/>; false when its command ring is full.</summary>
    public bool TryDelete(int pmd, in FlowMatch match)
    {
        PmdCommand cmd;
        if (spare[pmd].TryPop(out PmdCommand? reused))
        {
            reused.ReuseAsFlowDel(match);
            cmd = reused;
        }
        else
        {
            cmd = PmdCommand.FlowDel(match);
            Allocated++;
        }

        return Submit(pmd, cmd);
    }

    /// <summary>Takes PMD <paramref name="pmd"/>'s answers back into the pool.</summary>
    public void DrainReplies(int pmd)
    {
        while (pmds[pmd].Replies.TryDequeue(out PmdCommand reply))
        {
            if (reply.Kind == PmdCommandKind.Execute && executes.Remove(reply))
            {
                inFlight[pmd] = Math.Max(0, inFlight[pmd] - 1);
                spare[pmd].Push(reply);
            }
            else if (reply.Kind is PmdCommandKind.FlowPut or PmdCommandKind.FlowDel)
            {
                inFlight[pmd] = Math.Max(0, inFlight[pmd] - 1);
                if (reply.Kind == PmdCommandKind.FlowPut && !reply.Ok)
                {
                    PutsRefused++;
                }

                spare[pmd].Push(reply);
            }
        }
    }

    private bool Submit(int pmd, PmdCommand cmd)
    {
        if (pmds[pmd].TrySubmit(cmd))
        {
            inFlight[pmd]++;
            return true;
        }

        // Not answered, so not reusable: it is left to the collector.
        RingFull++;
        return false;
    }
}
