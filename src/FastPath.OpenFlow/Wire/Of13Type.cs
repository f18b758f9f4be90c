namespace FastPath.OpenFlow.Wire;

/// <summary>OpenFlow 1.3's message types (ofp_type), which 1.4 and 1.5 extend.</summary>
public enum Of13Type : byte
{
    /// <summary>OFPT_HELLO.</summary>
    Hello = 0,
    /// <summary>OFPT_ERROR.</summary>
    Error = 1,
    /// <summary>OFPT_ECHO_REQUEST.</summary>
    EchoRequest = 2,
    /// <summary>OFPT_ECHO_REPLY.</summary>
    EchoReply = 3,
    /// <summary>OFPT_EXPERIMENTER (Open vSwitch's Nicira extensions travel here).</summary>
    Experimenter = 4,
    /// <summary>OFPT_FEATURES_REQUEST.</summary>
    FeaturesRequest = 5,
    /// <summary>OFPT_FEATURES_REPLY.</summary>
    FeaturesReply = 6,
    /// <summary>OFPT_GET_CONFIG_REQUEST.</summary>
    GetConfigRequest = 7,
    /// <summary>OFPT_GET_CONFIG_REPLY.</summary>
    GetConfigReply = 8,
    /// <summary>OFPT_SET_CONFIG.</summary>
    SetConfig = 9,
    /// <summary>OFPT_PACKET_IN.</summary>
    PacketIn = 10,
    /// <summary>OFPT_FLOW_REMOVED.</summary>
    FlowRemoved = 11,
    /// <summary>OFPT_PORT_STATUS.</summary>
    PortStatus = 12,
    /// <summary>OFPT_PACKET_OUT.</summary>
    PacketOut = 13,
    /// <summary>OFPT_FLOW_MOD.</summary>
    FlowMod = 14,
    /// <summary>OFPT_GROUP_MOD.</summary>
    GroupMod = 15,
    /// <summary>OFPT_PORT_MOD.</summary>
    PortMod = 16,
    /// <summary>OFPT_TABLE_MOD.</summary>
    TableMod = 17,
    /// <summary>OFPT_MULTIPART_REQUEST.</summary>
    MultipartRequest = 18,
    /// <summary>OFPT_MULTIPART_REPLY.</summary>
    MultipartReply = 19,
    /// <summary>OFPT_BARRIER_REQUEST.</summary>
    BarrierRequest = 20,
    /// <summary>OFPT_BARRIER_REPLY.</summary>
    BarrierReply = 21,
    /// <summary>OFPT_QUEUE_GET_CONFIG_REQUEST (removed in 1.4).</summary>
    QueueGetConfigRequest = 22,
    /// <summary>OFPT_QUEUE_GET_CONFIG_REPLY (removed in 1.4).</summary>
    QueueGetConfigReply = 23,
    /// <summary>OFPT_ROLE_REQUEST.</summary>
    RoleRequest = 24,
    /// <summary>OFPT_ROLE_REPLY.</summary>
    RoleReply = 25,
    /// <summary>OFPT_GET_ASYNC_REQUEST.</summary>
    GetAsyncRequest = 26,
    /// <summary>OFPT_GET_ASYNC_REPLY.</summary>
    GetAsyncReply = 27,
    /// <summary>OFPT_SET_ASYNC.</summary>
    SetAsync = 28,
    /// <summary>OFPT_METER_MOD.</summary>
    MeterMod = 29,
    /// <summary>OFPT_ROLE_STATUS (1.4).</summary>
    RoleStatus = 30,
    /// <summary>OFPT_TABLE_STATUS (1.4).</summary>
    TableStatus = 31,
    /// <summary>OFPT_REQUESTFORWARD (1.4).</summary>
    RequestForward = 32,
    /// <summary>OFPT_BUNDLE_CONTROL (1.4).</summary>
    BundleControl = 33,
    /// <summary>OFPT_BUNDLE_ADD_MESSAGE (1.4).</summary>
    BundleAddMessage = 34,
    /// <summary>OFPT_CONTROLLER_STATUS (1.5).</summary>
    ControllerStatus = 35,
}
