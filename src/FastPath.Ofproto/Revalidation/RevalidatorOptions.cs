namespace FastPath.Ofproto.Revalidation;

/// <summary>Knobs of the revalidator, with Open vSwitch's defaults.</summary>
public sealed record RevalidatorOptions
{
    /// <summary>A megaflow with no traffic for this long is removed (Open vSwitch's max-idle, 10 s).</summary>
    public TimeSpan MaxIdle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Flows per dump chunk (one PMD command each).</summary>
    public int DumpChunk { get; init; } = 1024;

    /// <summary>How long a PMD may take to answer one dump chunk before its walk is abandoned for this pass.</summary>
    public TimeSpan PmdTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
