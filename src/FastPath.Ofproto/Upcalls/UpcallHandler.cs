using FastPath.Datapath.Pmd;

namespace FastPath.Ofproto.Upcalls;

/// <summary>
/// The slow path's side of the PMDs' upcall rings: takes each miss, has it translated, puts the megaflow on
/// the PMD that missed and has that PMD execute the packet, in that order on its command ring.
/// </summary>
/// <remarks>
/// One thread (the ofproto thread) calls <see cref="Poll"/>; it is the single consumer of every PMD's upcall
/// and reply rings. Flow puts recycle answered commands, so a steady stream of new flows allocates a command
/// only while the in-flight window grows; each collection would stop the PMDs as well.
/// </remarks>
public sealed class UpcallHandler
{
    private readonly IReadOnlyList<PmdThread> pmds;
    private readonly IUpcallTranslator translator;
    private readonly UpcallHandlerOptions options;
    private readonly PortRateLimiter limiter;
    private readonly Stack<PmdCommand>[] spare;

    /// <summary>Serves the upcalls of <paramref name="pmds"/> with <paramref name="translator"/>.</summary>
    public UpcallHandler(IReadOnlyList<PmdThread> pmds, IUpcallTranslator translator, UpcallHandlerOptions? options = null)
    {
        this.pmds = pmds;
        this.translator = translator;
        this.options = options ?? new UpcallHandlerOptions();
        limiter = new PortRateLimiter(this.options.UpcallsPerSecondPerPort, this.options.UpcallBurstPerPort);
        spare = [.. pmds.Select(_ => new Stack<PmdCommand>())];
    }

    /// <summary>Misses taken from the rings.</summary>
    public long Misses { get; private set; }

    /// <summary>Megaflows sent to a PMD.</summary>
    public long MegaflowsPut { get; private set; }

    /// <summary>Packets sent back to be executed.</summary>
    public long Executed { get; private set; }

    /// <summary>Misses dropped by the per-port rate limit.</summary>
    public long RateLimited { get; private set; }

    /// <summary>Misses the translator dropped.</summary>
    public long TranslationDrops { get; private set; }

    /// <summary>Flow puts and executes a PMD's full command ring refused (the packet was dropped).</summary>
    public long CommandRingFull { get; private set; }

    /// <summary>Flow puts a PMD refused (its table full, an invalid program).</summary>
    public long PutsRefused { get; private set; }

    /// <summary>Flow put commands made new rather than recycled.</summary>
    public long PutCommandsAllocated { get; private set; }

    /// <summary>Packets that userspace actions sent up.</summary>
    public long ActionUpcalls { get; private set; }

    /// <summary>One pass over every PMD: its replies, then up to <see cref="UpcallHandlerOptions.MaxUpcallsPerPmd"/> upcalls. Returns the upcalls taken.</summary>
    public int Poll(long nowTicks)
    {
        int taken = 0;
        for (int i = 0; i < pmds.Count; i++)
        {
            DrainReplies(i);
            taken += DrainUpcalls(i, nowTicks);
        }

        return taken;
    }

    private void DrainReplies(int index)
    {
        PmdThread pmd = pmds[index];
        while (pmd.Replies.TryDequeue(out PmdCommand reply))
        {
            if (reply.Kind == PmdCommandKind.FlowPut)
            {
                if (!reply.Ok)
                {
                    PutsRefused++;
                }

                spare[index].Push(reply);
            }
        }
    }

    private int DrainUpcalls(int index, long nowTicks)
    {
        PmdThread pmd = pmds[index];
        int n = 0;
        while (n < options.MaxUpcallsPerPmd)
        {
            ref Upcall upcall = ref pmd.Upcalls.TryPeek(out bool available);
            if (!available)
            {
                break;
            }

            n++;
            try
            {
                Handle(index, ref upcall, nowTicks);
            }
            finally
            {
                pmd.Upcalls.Release();
            }
        }

        return n;
    }

    private void Handle(int index, ref Upcall upcall, long nowTicks)
    {
        if (upcall.Reason == UpcallReason.Action)
        {
            ActionUpcalls++;
            translator.OnActionUpcall(upcall);
            return;
        }

        Misses++;
        if (!limiter.TryTake(upcall.InPort, nowTicks))
        {
            RateLimited++;
            return;
        }

        if (!translator.Translate(upcall, out UpcallTranslation t))
        {
            TranslationDrops++;
            return;
        }

        PmdThread pmd = pmds[index];
        if (t.Install)
        {
            PmdCommand put;
            if (spare[index].TryPop(out PmdCommand? reused))
            {
                reused.ReuseAsFlowPut(t.Megaflow, t.Actions);
                put = reused;
            }
            else
            {
                put = PmdCommand.FlowPut(t.Megaflow, t.Actions);
                PutCommandsAllocated++;
            }

            if (!pmd.TrySubmit(put))
            {
                // Not answered, so not reusable: it is left to the collector.
                CommandRingFull++;
                return;
            }

            MegaflowsPut++;
        }

        // After the put, so the packet's successors find the megaflow; a truncated copy is not sent on.
        if (!upcall.Truncated && t.Actions.Length > 0)
        {
            if (pmd.TrySubmit(PmdCommand.Execute(upcall.Packet.ToArray(), upcall.InPort, t.Actions)))
            {
                Executed++;
            }
            else
            {
                CommandRingFull++;
            }
        }
    }
}
