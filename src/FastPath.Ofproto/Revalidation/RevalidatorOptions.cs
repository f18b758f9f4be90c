namespace FastPath.Ofproto.Revalidation;

/// <summary>Knobs of the revalidator, with Open vSwitch's defaults.</summary>
public sealed record RevalidatorOptions
{
    /// <summary>A megaflow with no traffic for this long is removed (Open vSwitch's max-idle, 10 s).</summary>
    public TimeSpan MaxIdle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Flows per dump chunk (one PMD command each).</summary>
    public int DumpChunk { get; init; } = 1024;
}
