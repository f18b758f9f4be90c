namespace FastPath.OpenFlow.Wire;

/// <summary>OpenFlow 1.3's error types (ofp_error_type); OpenFlow 1.0's numbering is mapped when the error is encoded.</summary>
public enum OfErrorType : ushort
{
    /// <summary>OFPET_HELLO_FAILED.</summary>
    HelloFailed = 0,

    /// <summary>OFPET_BAD_REQUEST.</summary>
    BadRequest = 1,

    /// <summary>OFPET_BAD_ACTION.</summary>
    BadAction = 2,

    /// <summary>OFPET_BAD_INSTRUCTION.</summary>
    BadInstruction = 3,

    /// <summary>OFPET_BAD_MATCH.</summary>
    BadMatch = 4,

    /// <summary>OFPET_FLOW_MOD_FAILED.</summary>
    FlowModFailed = 5,

    /// <summary>OFPET_GROUP_MOD_FAILED.</summary>
    GroupModFailed = 6,

    /// <summary>OFPET_PORT_MOD_FAILED.</summary>
    PortModFailed = 7,

    /// <summary>OFPET_TABLE_MOD_FAILED.</summary>
    TableModFailed = 8,

    /// <summary>OFPET_QUEUE_OP_FAILED.</summary>
    QueueOpFailed = 9,

    /// <summary>OFPET_SWITCH_CONFIG_FAILED.</summary>
    SwitchConfigFailed = 10,

    /// <summary>OFPET_ROLE_REQUEST_FAILED.</summary>
    RoleRequestFailed = 11,

    /// <summary>OFPET_METER_MOD_FAILED.</summary>
    MeterModFailed = 12,

    /// <summary>OFPET_TABLE_FEATURES_FAILED.</summary>
    TableFeaturesFailed = 13,

    /// <summary>OFPET_BAD_PROPERTY (OpenFlow 1.4).</summary>
    BadProperty = 14,

    /// <summary>OFPET_ASYNC_CONFIG_FAILED (OpenFlow 1.4).</summary>
    AsyncConfigFailed = 15,

    /// <summary>OFPET_FLOW_MONITOR_FAILED (OpenFlow 1.4).</summary>
    FlowMonitorFailed = 16,

    /// <summary>OFPET_BUNDLE_FAILED (OpenFlow 1.4).</summary>
    BundleFailed = 17,

    /// <summary>OFPET_EXPERIMENTER.</summary>
    Experimenter = 0xffff,
}
