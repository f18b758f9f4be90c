namespace FastPath.Connmgr;

/// <summary>The asynchronous messages an OpenFlow 1.3 async configuration (OFPT_SET_ASYNC) filters.</summary>
public enum OfAsyncKind
{
    /// <summary>OFPT_PACKET_IN; reasons OFPR_NO_MATCH 0, OFPR_ACTION 1, OFPR_INVALID_TTL 2, and 1.4's ACTION_SET 3, GROUP 4, PACKET_OUT 5.</summary>
    PacketIn,

    /// <summary>OFPT_PORT_STATUS; reasons OFPPR_ADD 0, OFPPR_DELETE 1, OFPPR_MODIFY 2.</summary>
    PortStatus,

    /// <summary>OFPT_FLOW_REMOVED; reasons IDLE_TIMEOUT 0, HARD_TIMEOUT 1, DELETE 2, GROUP_DELETE 3, and 1.4's METER_DELETE 4, EVICTION 5.</summary>
    FlowRemoved,
}
