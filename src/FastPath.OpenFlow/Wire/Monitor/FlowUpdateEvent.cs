namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>
/// What a flow update says (numbered as OpenFlow 1.4's OFPFME_*; NX and ONF number added, deleted, modified and
/// abbreviated 0 to 3 and have no initial, paused or resumed event).
/// </summary>
public enum FlowUpdateEvent : ushort
{
    /// <summary>OFPFME_INITIAL: a flow of the initial dump (NX and ONF send it as added).</summary>
    Initial = 0,

    /// <summary>OFPFME_ADDED / NXFME_ADDED.</summary>
    Added = 1,

    /// <summary>OFPFME_REMOVED / NXFME_DELETED (with a reason).</summary>
    Deleted = 2,

    /// <summary>OFPFME_MODIFIED / NXFME_MODIFIED.</summary>
    Modified = 3,

    /// <summary>OFPFME_ABBREV / NXFME_ABBREV: the receiver's own change, named by its request's xid.</summary>
    Abbrev = 4,

    /// <summary>OFPFME_PAUSED (OpenFlow 1.4; NXT_FLOW_MONITOR_PAUSED elsewhere): updates stop until resumed.</summary>
    Paused = 5,

    /// <summary>OFPFME_RESUMED (OpenFlow 1.4; NXT_FLOW_MONITOR_RESUMED elsewhere).</summary>
    Resumed = 6,
}
