namespace FastPath.Ofproto.Upcalls;

/// <summary>Bounds of the upcall handler.</summary>
public sealed record UpcallHandlerOptions
{
    /// <summary>Upcalls taken from one PMD per <see cref="UpcallHandler.Poll"/>, so one busy PMD cannot starve the others.</summary>
    public int MaxUpcallsPerPmd { get; init; } = 64;

    /// <summary>
    /// Misses a port may send up per second, sustained; the rest are counted and dropped, so a flood of new
    /// flows on one port cannot starve established flows' setup on the others.
    /// </summary>
    public double UpcallsPerSecondPerPort { get; init; } = 20_000;

    /// <summary>How many misses a port may send up at once above the sustained rate.</summary>
    public double UpcallBurstPerPort { get; init; } = 2_000;
}
