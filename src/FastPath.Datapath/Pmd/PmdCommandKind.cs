namespace FastPath.Datapath.Pmd;

/// <summary>What the slow path asks a PMD to do (the only way it reaches PMD state).</summary>
public enum PmdCommandKind
{
    /// <summary>Install or modify a megaflow.</summary>
    FlowPut,
    /// <summary>Delete a megaflow (by exact match).</summary>
    FlowDel,
    /// <summary>Delete every megaflow and clear the EMC.</summary>
    Flush,
    /// <summary>Run actions on a packet the slow path holds.</summary>
    Execute,
    /// <summary>Make a port's transmit queue known under a port number.</summary>
    PortAdd,
    /// <summary>Forget a port (its rx queues too).</summary>
    PortDel,
    /// <summary>Start polling a receive queue.</summary>
    RxqAdd,
    /// <summary>Stop polling a receive queue.</summary>
    RxqDel,
    /// <summary>Take a consistent snapshot of the PMD's counters.</summary>
    StatsRequest,
    /// <summary>Zero the PMD's counters (pmd-stats-clear).</summary>
    StatsClear,
    /// <summary>List a chunk of the installed megaflows with their stats, from a cursor.</summary>
    FlowDump,
    /// <summary>Change the EMC's insertion probability (emc-insert-inv-prob); 0 disables and empties the EMC.</summary>
    SetEmcInsertInvProb,
}
