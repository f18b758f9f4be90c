namespace FastPath.Ofproto.Tables;

/// <summary>A flow-mod the pipeline refuses, with the OpenFlow error it answers with.</summary>
public sealed class FlowModException(FlowModError error, string message) : Exception(message)
{
    /// <summary>The OpenFlow error.</summary>
    public FlowModError Error { get; } = error;
}
