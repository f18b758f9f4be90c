namespace FastPath.OpenFlow.Wire;

/// <summary>OpenFlow 1.0's message types (ofp_type).</summary>
public enum Of10Type : byte
{
    /// <summary>OFPT_HELLO.</summary>
    Hello = 0,
    /// <summary>OFPT_ERROR.</summary>
    Error = 1,
    /// <summary>OFPT_ECHO_REQUEST.</summary>
    EchoRequest = 2,
    /// <summary>OFPT_ECHO_REPLY.</summary>
    EchoReply = 3,
    /// <summary>OFPT_VENDOR (Open vSwitch's Nicira extensions travel here).</summary>
    Vendor = 4,
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
    /// <summary>OFPT_PORT_MOD.</summary>
    PortMod = 15,
    /// <summary>OFPT_STATS_REQUEST.</summary>
    StatsRequest = 16,
    /// <summary>OFPT_STATS_REPLY.</summary>
    StatsReply = 17,
    /// <summary>OFPT_BARRIER_REQUEST.</summary>
    BarrierRequest = 18,
    /// <summary>OFPT_BARRIER_REPLY.</summary>
    BarrierReply = 19,
    /// <summary>OFPT_QUEUE_GET_CONFIG_REQUEST.</summary>
    QueueGetConfigRequest = 20,
    /// <summary>OFPT_QUEUE_GET_CONFIG_REPLY.</summary>
    QueueGetConfigReply = 21,
}
