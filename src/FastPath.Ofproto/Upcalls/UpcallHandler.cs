using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Revalidation;

namespace FastPath.Ofproto.Upcalls;

/// <summary>
/// The slow path's side of the PMDs' upcall rings: takes each miss, has it translated, puts the megaflow on
/// the PMD that missed (recording its <see cref="Ukey"/>) and has that PMD execute the packet, in that order
/// on its command ring.
/// </summary>
/// <remarks>
/// One thread (the ofproto thread) calls <see cref="Poll"/>; it is the single consumer of every PMD's upcall
/// and reply rings. Flow puts come from a <see cref="PmdCommandPool"/> that recycles answered commands.
/// </remarks>
public sealed class UpcallHandler
{
    private readonly PmdCommandPool commands;
    private readonly UkeyTable ukeys;
    private readonly IFlowTranslator translator;
    private UpcallHandlerOptions options;
    private PortRateLimiter? limiter;

    /// <summary>Serves the upcalls of the PMDs of <paramref name="commands"/> with <paramref name="translator"/>, recording megaflows in <paramref name="ukeys"/>.</summary>
    public UpcallHandler(PmdCommandPool commands, UkeyTable ukeys, IFlowTranslator translator, UpcallHandlerOptions? options = null)
    {
        this.commands = commands;
        this.ukeys = ukeys;
        this.translator = translator;
        this.options = options ?? new UpcallHandlerOptions();
        limiter = LimiterOf(this.options);
    }

    /// <summary>Serves the upcalls of <paramref name="pmds"/> with <paramref name="translator"/>, with a pool and ukey table of its own.</summary>
    public UpcallHandler(IReadOnlyList<PmdThread> pmds, IFlowTranslator translator, UpcallHandlerOptions? options = null)
        : this(new PmdCommandPool(pmds), new UkeyTable(pmds.Count), translator, options)
    {
    }

    /// <summary>The commands this handler puts megaflows with.</summary>
    public PmdCommandPool Commands => commands;

    /// <summary>The installed megaflows' records.</summary>
    public UkeyTable Ukeys => ukeys;

    /// <summary>
    /// Serves <paramref name="pmds"/> from now on, in place of the PMDs the datapath stopped (a new pmd-cpu-mask):
    /// their rings are no longer read, and the ukeys of their megaflows are forgotten with them. Call it on the
    /// ofproto thread, before the old PMDs are disposed.
    /// </summary>
    public void ReplacePmds(IReadOnlyList<PmdThread> pmds)
    {
        commands.Replace(pmds);
        ukeys.Reset(pmds.Count);
    }

    /// <summary>
    /// The bounds in force; setting them (on the ofproto thread, as other_config changes) takes effect with the
    /// next upcall, a changed rate limit starting with full buckets.
    /// </summary>
    public UpcallHandlerOptions Options
    {
        get => options;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value != options)
            {
                limiter = LimiterOf(value);
                options = value;
            }
        }
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

    /// <summary>Executes a PMD's full command ring refused (the packet was dropped).</summary>
    public long ExecuteRingFull { get; private set; }

    /// <summary>Misses whose megaflow was already installed or on its way: executed, not installed again.</summary>
    public long AlreadyInstalled { get; private set; }

    /// <summary>Packets that userspace actions sent up.</summary>
    public long ActionUpcalls { get; private set; }

    /// <summary>
    /// Whether the last <see cref="Poll"/> left upcalls waiting because a PMD had <see cref="UpcallHandlerOptions.MaxCommandsInFlightPerPmd"/>
    /// commands unanswered (the PMD is behind, not idle).
    /// </summary>
    public bool Backlogged { get; private set; }

    /// <summary>One pass over every PMD: its replies, then up to <see cref="UpcallHandlerOptions.MaxUpcallsPerPmd"/> upcalls. Returns the upcalls taken.</summary>
    public int Poll(long nowTicks)
    {
        int taken = 0;
        Backlogged = false;
        for (int i = 0; i < commands.Pmds.Count; i++)
        {
            commands.DrainReplies(i);
            taken += DrainUpcalls(i, nowTicks);
        }

        return taken;
    }

    private int DrainUpcalls(int index, long nowTicks)
    {
        PmdThread pmd = commands.Pmds[index];
        int n = 0;
        while (n < options.MaxUpcallsPerPmd)
        {
            ref Upcall upcall = ref pmd.Upcalls.TryPeek(out bool available);
            if (!available)
            {
                break;
            }

            if (commands.InFlight(index) >= options.MaxCommandsInFlightPerPmd)
            {
                Backlogged = true;
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
        if (limiter is not null && !limiter.TryTake(upcall.InPort, nowTicks))
        {
            RateLimited++;
            return;
        }

        long version = translator.Version;
        OfprotoCoverage.XlateActions.Add(1);
        if (!translator.Translate(upcall.Key, upcall.Truncated ? default : upcall.Packet, out FlowTranslation t))
        {
            TranslationDrops++;
            return;
        }

        Ukey? present = null;
        if (t.Install && ukeys.TryGet(index, t.Megaflow, out present) && present!.Actions.AsSpan().SequenceEqual(t.Actions))
        {
            // Packets of a flow that missed before its megaflow was in place: the megaflow is already on its
            // way, so this one is only executed (Open vSwitch's "ukey exists" case).
            AlreadyInstalled++;
            OfprotoCoverage.HandlerDuplicateUpcall.Add(1);
        }
        else if (t.Install)
        {
            if (!commands.TryPut(index, t.Megaflow, t.Actions))
            {
                return;
            }

            if (present is not null)
            {
                OfprotoCoverage.UpcallUkeyReplace.Add(1);
            }

            MegaflowsPut++;
            OfprotoCoverage.DpifFlowPut.Add(1);
            Ukey u = ukeys.Rent();
            u.Megaflow = t.Megaflow;
            u.Key = upcall.Key;
            u.Actions = t.Actions;
            u.Credited = t.Credited;
            u.Version = version;
            u.LastActiveTicks = nowTicks;
            u.InstalledTicks = nowTicks;
            ukeys.Set(index, u);
        }

        // After the put, so the packet's successors find the megaflow; a truncated copy is not sent on.
        if (t.Actions.Length == 0)
        {
            // Dropped: nothing to execute, but the rules and tables that decided so still saw the packet, as in
            // Open vSwitch, which credits the upcall's packet in xlate whatever the actions.
            FlowStatsCredit.CreditAll(t.Credited, 1, upcall.Length, nowTicks);
        }
        else if (!upcall.Truncated)
        {
            if (commands.TryExecute(index, upcall.Packet, upcall.InPort, t.Actions))
            {
                Executed++;
                OfprotoCoverage.DpifExecute.Add(1);

                // The megaflow's counters never see this packet: the rules are credited with it here.
                FlowStatsCredit.CreditAll(t.Credited, 1, upcall.Length, nowTicks);
            }
            else
            {
                ExecuteRingFull++;
            }
        }
    }

    private static PortRateLimiter? LimiterOf(UpcallHandlerOptions o) =>
        o.RateLimit ? new PortRateLimiter(o.UpcallsPerSecondPerPort, o.UpcallBurstPerPort) : null;
}
