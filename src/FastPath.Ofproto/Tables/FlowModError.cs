namespace FastPath.Ofproto.Tables;

/// <summary>Why a flow-mod was refused, as the OpenFlow 1.3 error type and code that says it.</summary>
public enum FlowModError
{
    /// <summary>OFPET_FLOW_MOD_FAILED / OFPFMFC_OVERLAP: check_overlap found an overlapping rule.</summary>
    Overlap,

    /// <summary>OFPET_FLOW_MOD_FAILED / OFPFMFC_BAD_TABLE_ID.</summary>
    BadTableId,

    /// <summary>OFPET_BAD_INSTRUCTION / OFPBIC_BAD_TABLE_ID: goto_table not to a later table.</summary>
    BadGotoTable,

    /// <summary>OFPET_BAD_ACTION / OFPBAC_BAD_OUT_PORT.</summary>
    BadOutPort,

    /// <summary>OFPET_BAD_ACTION / OFPBAC_BAD_OUT_GROUP: no such group.</summary>
    BadOutGroup,

    /// <summary>OFPET_METER_MOD_FAILED / OFPMMFC_INVALID_METER: no such meter (what Open vSwitch answers to a meter instruction naming none).</summary>
    InvalidMeter,

    /// <summary>OFPET_BAD_ACTION / OFPBAC_MATCH_INCONSISTENT and other action errors (a prerequisite missing).</summary>
    BadAction,
}
