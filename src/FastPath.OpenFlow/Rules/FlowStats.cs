namespace FastPath.OpenFlow.Rules;

/// <summary>A rule's counters and ages as a flow-stats reply carries them (what dump-flows prints before the match).</summary>
/// <param name="Packets">Packets that matched.</param>
/// <param name="Bytes">Bytes of those packets.</param>
/// <param name="DurationSeconds">Whole seconds since the rule was added.</param>
/// <param name="DurationNanoseconds">The rest of the duration.</param>
/// <param name="IdleAge">Seconds since the last packet, when the switch reports it (Open vSwitch's NXM stats), else null.</param>
/// <param name="HardAge">Seconds since the rule was added or modified, when reported, else null.</param>
public sealed record FlowStats(ulong Packets, ulong Bytes, uint DurationSeconds, uint DurationNanoseconds, int? IdleAge = null, int? HardAge = null);
