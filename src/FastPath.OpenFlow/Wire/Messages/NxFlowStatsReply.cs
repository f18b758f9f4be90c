using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>Open vSwitch's NXST_FLOW reply: every rule asked for with its counters and ages.</summary>
/// <param name="Flows">The rules, in the order sent (the multipart layer splits a long list).</param>
public sealed record NxFlowStatsReply(IReadOnlyList<FlowStatsEntry> Flows) : MultipartReply, IMultipartListReply<NxFlowStatsReply, FlowStatsEntry>
{
    /// <inheritdoc/>
    public IReadOnlyList<FlowStatsEntry> Items => Flows;

    /// <inheritdoc/>
    public static NxFlowStatsReply Create(IReadOnlyList<FlowStatsEntry> items) => new(items);

    /// <inheritdoc/>
    public bool Equals(NxFlowStatsReply? other) => other is not null && More == other.More && Flows.SequenceEqual(other.Flows);

    /// <inheritdoc/>
    public override int GetHashCode() => Flows.Count;
}
