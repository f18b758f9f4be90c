namespace FastPath.Benchmarks;

/// <summary>Where a forwarding workload's megaflows come from.</summary>
public enum MegaflowSource
{
    /// <summary>The OpenFlow rules are loaded into a bridge, and its slow path installs megaflows from upcalls.</summary>
    SlowPath,

    /// <summary>Megaflows computed from the rules beforehand are installed by hand (the PMD alone, no slow path).</summary>
    Precomputed,
}
