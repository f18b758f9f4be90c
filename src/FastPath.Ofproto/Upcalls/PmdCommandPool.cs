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

    /// <summary>A pool for <paramref name="pmds"/>.</summary>
    public PmdCommandPool(IReadOnlyList<PmdThread> pmds)
    {
        this.pmds = pmds;
        spare = [.. pmds.Select(_ => new Stack<PmdCommand>())];
    }

    /// <summary>
    /// Serves <paramref name="replacement"/> from now on (the datapath re-created its PMDs): commands still out on
    /// the old PMDs are left to the collector, their answers never read.
    /// </summary>
    public void Replace(IReadOnlyList<PmdThread> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        pmds = replacement;
        spare = [.. replacement.Select(_ => new Stack<PmdCommand>())];
    }

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
            if (reply.Kind is PmdCommandKind.FlowPut or PmdCommandKind.FlowDel)
            {
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
            return true;
        }

        // Not answered, so not reusable: it is left to the collector.
        RingFull++;
        return false;
    }
}
