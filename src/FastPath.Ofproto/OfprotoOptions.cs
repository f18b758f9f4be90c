using FastPath.Ofproto.Revalidation;
using FastPath.Ofproto.Upcalls;

namespace FastPath.Ofproto;

/// <summary>Knobs of the ofproto thread.</summary>
public sealed record OfprotoOptions
{
    /// <summary>How often megaflows are revalidated when nothing changed (stats and idle expiry); Open vSwitch does it about twice a second.</summary>
    public TimeSpan RevalidateInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Requests (from OpenFlow connections, unixctl, the daemon) waiting for the thread at most; beyond it OpenFlow connections stop reading until there is room (OfprotoThread.EnqueueAsync), other posters are refused.</summary>
    public int InboxCapacity { get; init; } = 4096;

    /// <summary>
    /// The CPU the ofproto thread is pinned to, or -1 to leave it to the scheduler. Keep it off the PMDs' cores,
    /// as Open vSwitch keeps its non-PMD threads off pmd-cpu-mask: on a PMD's core it would preempt the PMD.
    /// </summary>
    public int Core { get; init; } = -1;

    /// <summary>The upcall handler's bounds.</summary>
    public UpcallHandlerOptions Upcalls { get; init; } = new();

    /// <summary>The revalidator's knobs.</summary>
    public RevalidatorOptions Revalidator { get; init; } = new();
}
