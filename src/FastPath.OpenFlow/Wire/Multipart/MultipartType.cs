namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// Multipart (statistics) types, OFPMP_* in OpenFlow 1.3+ numbering. OpenFlow 1.0's OFPST_* share numbers 0-5 and
/// 0xffff, and Open vSwitch also accepts OFPMP_PORT_DESC (13) over 1.0.
/// </summary>
public enum MultipartType : ushort
{
    /// <summary>OFPMP_DESC: switch description.</summary>
    Desc = 0,
    /// <summary>OFPMP_FLOW (OpenFlow 1.5 calls it OFPMP_FLOW_DESC).</summary>
    Flow = 1,
    /// <summary>OFPMP_AGGREGATE.</summary>
    Aggregate = 2,
    /// <summary>OFPMP_TABLE.</summary>
    Table = 3,
    /// <summary>OFPMP_PORT_STATS.</summary>
    PortStats = 4,
    /// <summary>OFPMP_QUEUE (OpenFlow 1.4: OFPMP_QUEUE_STATS).</summary>
    QueueStats = 5,
    /// <summary>OFPMP_GROUP.</summary>
    Group = 6,
    /// <summary>OFPMP_GROUP_DESC.</summary>
    GroupDesc = 7,
    /// <summary>OFPMP_GROUP_FEATURES.</summary>
    GroupFeatures = 8,
    /// <summary>OFPMP_METER.</summary>
    Meter = 9,
    /// <summary>OFPMP_METER_CONFIG.</summary>
    MeterConfig = 10,
    /// <summary>OFPMP_METER_FEATURES.</summary>
    MeterFeatures = 11,
    /// <summary>OFPMP_TABLE_FEATURES.</summary>
    TableFeatures = 12,
    /// <summary>OFPMP_PORT_DESC.</summary>
    PortDesc = 13,
    /// <summary>OFPMP_TABLE_DESC (OpenFlow 1.4).</summary>
    TableDesc = 14,
    /// <summary>OFPMP_QUEUE_DESC (OpenFlow 1.4).</summary>
    QueueDesc = 15,
    /// <summary>OFPMP_FLOW_MONITOR (OpenFlow 1.4).</summary>
    FlowMonitor = 16,
    /// <summary>OFPMP_FLOW_STATS (OpenFlow 1.5).</summary>
    FlowStats15 = 17,
    /// <summary>OFPMP_CONTROLLER_STATUS (OpenFlow 1.5).</summary>
    ControllerStatus = 18,
    /// <summary>OFPMP_BUNDLE_FEATURES (OpenFlow 1.5).</summary>
    BundleFeatures = 19,
    /// <summary>OFPMP_EXPERIMENTER (OFPST_VENDOR in 1.0): the kind is named by vendor id and subtype.</summary>
    Experimenter = 0xffff,
}
