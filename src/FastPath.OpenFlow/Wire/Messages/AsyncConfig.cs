namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_GET_ASYNC_REQUEST.</summary>
public sealed record GetAsyncRequest : OfMessage;

/// <summary>
/// Which asynchronous messages a connection receives, per reason bit, for the master/equal role and for the slave
/// role: OFPT_GET_ASYNC_REPLY and OFPT_SET_ASYNC (1.3 struct; 1.4+ properties, where an absent property leaves its
/// mask unchanged: null here), and Open vSwitch's NXT_SET_ASYNC_CONFIG on 1.0.
/// </summary>
/// <param name="IsSet">OFPT_SET_ASYNC rather than a get-async reply.</param>
/// <param name="PacketInMaster">OFPR_* reasons sent to a master or equal controller.</param>
/// <param name="PacketInSlave">OFPR_* reasons sent to a slave.</param>
/// <param name="PortStatusMaster">OFPPR_* reasons.</param>
/// <param name="PortStatusSlave">OFPPR_* reasons for a slave.</param>
/// <param name="FlowRemovedMaster">OFPRR_* reasons.</param>
/// <param name="FlowRemovedSlave">OFPRR_* reasons for a slave.</param>
/// <param name="RoleStatusMaster">1.4+: OFPCRR_* reasons.</param>
/// <param name="RoleStatusSlave">1.4+: for a slave.</param>
/// <param name="TableStatusMaster">1.4+: OFPTR_* reasons.</param>
/// <param name="TableStatusSlave">1.4+: for a slave.</param>
/// <param name="RequestForwardMaster">1.4+: OFPRFR_* reasons.</param>
/// <param name="RequestForwardSlave">1.4+: for a slave.</param>
public sealed record AsyncConfig(
    bool IsSet,
    uint? PacketInMaster,
    uint? PacketInSlave,
    uint? PortStatusMaster,
    uint? PortStatusSlave,
    uint? FlowRemovedMaster,
    uint? FlowRemovedSlave,
    uint? RoleStatusMaster = null,
    uint? RoleStatusSlave = null,
    uint? TableStatusMaster = null,
    uint? TableStatusSlave = null,
    uint? RequestForwardMaster = null,
    uint? RequestForwardSlave = null) : OfMessage;
