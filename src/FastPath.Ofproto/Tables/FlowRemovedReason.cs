namespace FastPath.Ofproto.Tables;

/// <summary>Why a rule left its table (OpenFlow's flow-removed reasons).</summary>
public enum FlowRemovedReason
{
    /// <summary>OFPRR_IDLE_TIMEOUT.</summary>
    IdleTimeout,

    /// <summary>OFPRR_HARD_TIMEOUT.</summary>
    HardTimeout,

    /// <summary>OFPRR_DELETE: a flow-mod deleted it.</summary>
    Delete,

    /// <summary>OFPRR_GROUP_DELETE: the group it sends to was deleted.</summary>
    GroupDelete,

    /// <summary>OFPRR_METER_DELETE (OpenFlow 1.4; Open vSwitch's reason in every version): the meter it used was deleted.</summary>
    MeterDelete,
}
