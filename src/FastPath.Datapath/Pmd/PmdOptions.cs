namespace FastPath.Datapath.Pmd;

/// <summary>Sizes and knobs of a PMD (OVS's other_config equivalents).</summary>
public sealed record PmdOptions
{
    /// <summary>Megaflows the classifier holds at most.</summary>
    public int MaxMegaflows { get; init; } = 1 << 20;

    /// <summary>
    /// Keep megaflow records on 2 MiB huge pages while the kernel's hugetlb pool (<c>vm.nr_hugepages</c>) has
    /// them, as DPDK does: installing flows then costs the PMD one page fault per 8192 flows instead of one per 16.
    /// Without free huge pages the records go on small pages.
    /// </summary>
    public bool HugePages { get; init; } = true;

    /// <summary>EMC entries (a power of two).</summary>
    public int EmcEntries { get; init; } = 8192;

    /// <summary>
    /// EMC associativity: 2 (the default) two-way set-associative as Open vSwitch's EMC (a key may sit in either of
    /// two entries; lookups probe both), 1 direct-mapped. With more flows than entries two ways keep more of them
    /// cached (rules-s2's 10,000 flows in 8192 entries: about 72% EMC hits instead of 58%).
    /// </summary>
    public int EmcWays { get; init; } = 2;

    /// <summary>Insert into the EMC with probability 1/N (OVS emc-insert-inv-prob); 0 disables the EMC.</summary>
    public int EmcInsertInvProb { get; init; } = 100;

    /// <summary>Slots of the command and reply rings.</summary>
    public int CommandRingSize { get; init; } = 1024;

    /// <summary>Slots of the upcall ring.</summary>
    public int UpcallRingSize { get; init; } = 1024;

    /// <summary>How often (in TSC cycles) subtables are re-sorted by hits; about a second at 2 GHz.</summary>
    public ulong ResortIntervalCycles { get; init; } = 2_000_000_000;

    /// <summary>
    /// How long a miss's key stays marked as upcalled: further misses of the same key within the window are
    /// counted (<see cref="PmdStatsSnapshot.UpcallsSuppressed"/>) and dropped instead of queued again, beyond the first
    /// <see cref="UpcallSuppressBurst"/>.
    /// <see cref="TimeSpan.Zero"/> upcalls every miss.
    /// </summary>
    public TimeSpan UpcallSuppressWindow { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Misses of one key upcalled per <see cref="UpcallSuppressWindow"/> before the rest are suppressed: enough for the
    /// first packets of a flow that arrive together (Open vSwitch's userspace datapath loses none of them), few
    /// enough that one flow cannot fill the upcall ring.
    /// </summary>
    public int UpcallSuppressBurst { get; init; } = 32;

    /// <summary>Entries of the table of recently upcalled keys (a power of two).</summary>
    public int UpcallSuppressSlots { get; init; } = 1024;

    /// <summary>
    /// Where a PMD reports a fault (an unexpected exception in a command or the packet path), once per kind;
    /// standard error when null.
    /// </summary>
    public Action<string>? FaultLog { get; init; }
}
