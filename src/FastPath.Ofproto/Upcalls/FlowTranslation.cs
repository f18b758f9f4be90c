using FastPath.Datapath.Flows;

namespace FastPath.Ofproto.Upcalls;

/// <summary>What xlate made of a flow: the megaflow to install, the datapath actions, and the rules it passed through.</summary>
public struct FlowTranslation
{
    /// <summary>The megaflow: the flow's key under the widest mask that keeps the decision correct.</summary>
    public FlowMatch Megaflow;

    /// <summary>The datapath action program (empty: drop).</summary>
    public byte[] Actions;

    /// <summary>
    /// Whether to install <see cref="Megaflow"/>; false executes the packet only, so every such packet comes
    /// up again (what OVS calls a slow-pathed flow).
    /// </summary>
    public bool Install;

    /// <summary>The OpenFlow rules (or other counters) to credit with the megaflow's packets and bytes; null for none.</summary>
    public IReadOnlyList<IFlowStatsSink>? Credited;
}
