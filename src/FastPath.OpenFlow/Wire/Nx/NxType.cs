namespace FastPath.OpenFlow.Wire.Nx;

/// <summary>Open vSwitch's Nicira vendor message subtypes (NXT_*), carried in OFPT_VENDOR / OFPT_EXPERIMENTER.</summary>
public enum NxType : uint
{
    /// <summary>NXT_ROLE_REQUEST.</summary>
    RoleRequest = 10,
    /// <summary>NXT_ROLE_REPLY.</summary>
    RoleReply = 11,
    /// <summary>NXT_SET_FLOW_FORMAT.</summary>
    SetFlowFormat = 12,
    /// <summary>NXT_FLOW_MOD.</summary>
    FlowMod = 13,
    /// <summary>NXT_FLOW_REMOVED.</summary>
    FlowRemoved = 14,
    /// <summary>NXT_FLOW_MOD_TABLE_ID.</summary>
    FlowModTableId = 15,
    /// <summary>NXT_SET_PACKET_IN_FORMAT.</summary>
    SetPacketInFormat = 16,
    /// <summary>NXT_PACKET_IN.</summary>
    PacketIn = 17,
    /// <summary>NXT_FLOW_AGE.</summary>
    FlowAge = 18,
    /// <summary>NXT_SET_ASYNC_CONFIG.</summary>
    SetAsyncConfig = 19,
    /// <summary>NXT_SET_CONTROLLER_ID.</summary>
    SetControllerId = 20,
    /// <summary>NXT_FLOW_MONITOR_CANCEL.</summary>
    FlowMonitorCancel = 21,
    /// <summary>NXT_FLOW_MONITOR_PAUSED.</summary>
    FlowMonitorPaused = 22,
    /// <summary>NXT_FLOW_MONITOR_RESUMED.</summary>
    FlowMonitorResumed = 23,
    /// <summary>NXT_TLV_TABLE_MOD.</summary>
    TlvTableMod = 24,
    /// <summary>NXT_TLV_TABLE_REQUEST.</summary>
    TlvTableRequest = 25,
    /// <summary>NXT_TLV_TABLE_REPLY.</summary>
    TlvTableReply = 26,
    /// <summary>NXT_RESUME.</summary>
    Resume = 28,
    /// <summary>NXT_CT_FLUSH_ZONE.</summary>
    CtFlushZone = 29,
    /// <summary>NXT_PACKET_IN2.</summary>
    PacketIn2 = 30,
    /// <summary>NXT_GROUP_MOD: Open vSwitch's group-mod on OpenFlow 1.0 (OpenFlow 1.5's layout with 1.0 actions).</summary>
    GroupMod = 31,
    /// <summary>NXT_SET_ASYNC_CONFIG2 (property-based, OpenFlow 1.4 style).</summary>
    SetAsyncConfig2 = 27,
}

/// <summary>Open vSwitch's Nicira statistics subtypes (NXST_*), carried in OFPST_VENDOR / OFPMP_EXPERIMENTER.</summary>
public enum NxStatsType : uint
{
    /// <summary>NXST_FLOW.</summary>
    Flow = 0,
    /// <summary>NXST_AGGREGATE.</summary>
    Aggregate = 1,
    /// <summary>NXST_FLOW_MONITOR.</summary>
    FlowMonitor = 2,
    /// <summary>NXST_IPFIX_BRIDGE.</summary>
    IpfixBridge = 3,
    /// <summary>NXST_IPFIX_FLOW.</summary>
    IpfixFlow = 4,
    /// <summary>NXST_GROUP: OpenFlow 1.3's group statistics on OpenFlow 1.0.</summary>
    Group = 7,
    /// <summary>NXST_GROUP_DESC: OpenFlow 1.5's group descriptions (with bucket ids) on OpenFlow 1.0.</summary>
    GroupDesc = 8,
    /// <summary>NXST_GROUP_FEATURES: OpenFlow 1.3's group features on OpenFlow 1.0.</summary>
    GroupFeatures = 9,
}
