namespace FastPath.OpenFlow.Rules;

/// <summary>OpenFlow 1.3 flow_mod flags (OFPFF_*), with the flow-syntax keywords of the same names.</summary>
[Flags]
public enum FlowModFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>send_flow_rem: tell the controller when the flow is removed.</summary>
    SendFlowRem = 1 << 0,
    /// <summary>check_overlap: refuse the add if an overlapping flow of the same priority exists.</summary>
    CheckOverlap = 1 << 1,
    /// <summary>reset_counts: a modify zeroes the counters.</summary>
    ResetCounts = 1 << 2,
    /// <summary>no_packet_counts: the switch need not count packets.</summary>
    NoPacketCounts = 1 << 3,
    /// <summary>no_byte_counts: the switch need not count bytes.</summary>
    NoByteCounts = 1 << 4,
}
