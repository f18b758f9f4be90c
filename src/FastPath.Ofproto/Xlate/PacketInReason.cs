namespace FastPath.Ofproto.Xlate;

/// <summary>Why a packet goes to the controller (OpenFlow's packet-in reasons).</summary>
public enum PacketInReason : byte
{
    /// <summary>OFPR_NO_MATCH (OFPR_TABLE_MISS in 1.4+): a table miss sends to the controller.</summary>
    NoMatch = 0,

    /// <summary>OFPR_ACTION (OFPR_APPLY_ACTION in 1.4+): an output:CONTROLLER action.</summary>
    Action = 1,

    /// <summary>OFPR_INVALID_TTL: dec_ttl met a TTL of 0 or 1.</summary>
    InvalidTtl = 2,

    /// <summary>OFPR_PACKET_OUT (OpenFlow 1.4+): an output:CONTROLLER in a packet-out's actions (OFPR_ACTION to older versions).</summary>
    PacketOut = 5,
}
