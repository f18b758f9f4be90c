using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;

namespace FastPath.OpenFlow.Rules;

/// <summary>An OpenFlow rule as <c>ovs-ofctl add-flow</c> describes it: where it goes, how it ages, what it matches and what it does.</summary>
public sealed record FlowRule
{
    /// <summary>OFP_DEFAULT_PRIORITY.</summary>
    public const ushort DefaultPriority = 0x8000;

    /// <summary>Flow table (0-254).</summary>
    public byte TableId { get; init; }

    /// <summary>Priority; higher wins among overlapping matches.</summary>
    public ushort Priority { get; init; } = DefaultPriority;

    /// <summary>Opaque controller-chosen cookie.</summary>
    public ulong Cookie { get; init; }

    /// <summary>Which cookie bits a filter (dump/delete) compares; 0 in a rule being added.</summary>
    public ulong CookieMask { get; init; }

    /// <summary>Seconds without a packet before the rule expires (0: never).</summary>
    public ushort IdleTimeout { get; init; }

    /// <summary>Seconds after which the rule expires regardless (0: never).</summary>
    public ushort HardTimeout { get; init; }

    /// <summary>flow_mod flags.</summary>
    public FlowModFlags Flags { get; init; }

    /// <summary>Eviction importance (OpenFlow 1.4; 0 by default).</summary>
    public ushort Importance { get; init; }

    /// <summary>What the rule matches.</summary>
    public PipelineMatch Match { get; init; }

    /// <summary>What the rule does.</summary>
    public OfInstructionSet Instructions { get; init; } = OfInstructionSet.Drop;

    /// <summary>The rule as <c>ovs-ofctl dump-flows --no-stats</c> prints it (OpenFlow 1.3 spellings).</summary>
    public override string ToString() => FlowText.FormatDumpFlow(this, stats: null);
}
