namespace FastPath.Ofproto.Bridge;

/// <summary>Where flow-removed notices go: the OpenFlow connection manager (its own issue), or a test.</summary>
public interface IFlowRemovedSink
{
    /// <summary>Delivers <paramref name="removed"/>; called on the ofproto thread.</summary>
    void Deliver(FlowRemoved removed);
}
