using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>
/// A flow monitor reply: the initial dump (on the request's xid) or later updates (xid 0), as the request's kind.
/// </summary>
/// <param name="Updates">The updates, in order (the multipart layer splits a long list).</param>
public sealed record FlowMonitorReply(IReadOnlyList<FlowUpdate> Updates) : MultipartReply, IMultipartListReply<FlowMonitorReply, FlowUpdate>
{
    /// <inheritdoc/>
    public IReadOnlyList<FlowUpdate> Items => Updates;

    /// <inheritdoc/>
    public static FlowMonitorReply Create(IReadOnlyList<FlowUpdate> items) => new(items);

    /// <inheritdoc/>
    public bool Equals(FlowMonitorReply? other) => other is not null && More == other.More && Updates.SequenceEqual(other.Updates);

    /// <inheritdoc/>
    public override int GetHashCode() => Updates.Count;
}
