using FastPath.Datapath.Flows;

namespace FastPath.Ofproto.Upcalls;

/// <summary>What xlate made of a miss: the megaflow to install and the datapath actions for it and for the packet.</summary>
public struct UpcallTranslation
{
    /// <summary>The megaflow: the packet's key under the widest mask that keeps the decision correct.</summary>
    public FlowMatch Megaflow;

    /// <summary>The datapath action program (empty: drop).</summary>
    public byte[] Actions;

    /// <summary>
    /// Whether to install <see cref="Megaflow"/>; false executes the packet only, so every such packet comes
    /// up again (what OVS calls a slow-pathed flow).
    /// </summary>
    public bool Install;
}
