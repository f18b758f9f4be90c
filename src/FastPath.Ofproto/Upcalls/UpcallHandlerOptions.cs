namespace FastPath.Ofproto.Upcalls;

/// <summary>Bounds of the upcall handler.</summary>
/// <remarks>
/// Open vSwitch 3.1's userspace datapath has no upcall rate limit: its PMDs translate their own misses, so a
/// flood of new flows slows only the PMD it arrives on, and what bounds memory is the flow limit and the
/// ukeys. FastPath's bounds without a rate limit are the same: each PMD's upcall ring is fixed in size (a full
/// ring drops the miss and counts it), the PMD suppresses repeated misses of one key, and the megaflow table
/// and ukeys are bounded by the PMD's capacity. The per-port token bucket is therefore off by default, and
/// on with <c>other_config:upcall-rl=true</c> (the name the proposed, unmerged Open vSwitch upcall rate
/// limiter gave it), at <c>upcall-rate</c> per second and <c>upcall-burst</c> at once.
/// </remarks>
public sealed record UpcallHandlerOptions
{
    /// <summary>Upcalls taken from one PMD per <see cref="UpcallHandler.Poll"/>, so one busy PMD cannot starve the others.</summary>
    public int MaxUpcallsPerPmd { get; init; } = 64;

    /// <summary>
    /// Commands (flow puts and executes) the handler leaves unanswered on one PMD at most: beyond it the PMD's
    /// misses wait in its upcall ring (which drops and counts them when full) until the PMD catches up. Without
    /// it a flood of new flows kept the PMD's command ring full, and every other request to that PMD (a flow
    /// dump for the revalidator or dpctl, a statistics read) waited behind a thousand commands each time.
    /// </summary>
    public int MaxCommandsInFlightPerPmd { get; init; } = 512;

    /// <summary>
    /// Whether misses are rate-limited per port (other_config:upcall-rl, off by default as in Open vSwitch):
    /// then a flood of new flows on one port cannot starve established flows' setup on the others, at the
    /// price of capping every port's flow setup rate.
    /// </summary>
    public bool RateLimit { get; init; }

    /// <summary>With <see cref="RateLimit"/>, misses a port may send up per second, sustained (other_config:upcall-rate); the rest are counted and dropped.</summary>
    public double UpcallsPerSecondPerPort { get; init; } = 20_000;

    /// <summary>With <see cref="RateLimit"/>, how many misses a port may send up at once above the sustained rate (other_config:upcall-burst).</summary>
    public double UpcallBurstPerPort { get; init; } = 2_000;
}
