using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>A flow stats reply (OFPST_FLOW, OFPMP_FLOW): every rule asked for with its counters.</summary>
/// <param name="Flows">The rules, in the order sent (the multipart layer splits a long list).</param>
public sealed record FlowStatsReply(IReadOnlyList<FlowStatsEntry> Flows) : MultipartReply, IMultipartListReply<FlowStatsReply, FlowStatsEntry>
{
    /// <inheritdoc/>
    public IReadOnlyList<FlowStatsEntry> Items => Flows;

    /// <inheritdoc/>
    public static FlowStatsReply Create(IReadOnlyList<FlowStatsEntry> items) => new(items);

    /// <inheritdoc/>
    public bool Equals(FlowStatsReply? other) => other is not null && More == other.More && Flows.SequenceEqual(other.Flows);

    /// <inheritdoc/>
    public override int GetHashCode() => Flows.Count;
}
