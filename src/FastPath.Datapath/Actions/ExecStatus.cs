namespace FastPath.Datapath.Actions;

/// <summary>How executing an action program on a packet ended.</summary>
public enum ExecStatus : byte
{
    /// <summary>Every action ran (some may have been skipped, see <see cref="ExecResult.Skipped"/>).</summary>
    Completed = 0,

    /// <summary>
    /// dec_ttl found a TTL or hop limit of 1 or 0, or dec_mpls_ttl an MPLS TTL of 1 or 0: the packet must
    /// not be forwarded; the caller counts it (Open vSwitch sends it to the controller as invalid-ttl).
    /// </summary>
    TtlExpired = 1,

    /// <summary>The program is truncated or holds an unknown action or field; execution stopped there.</summary>
    InvalidProgram = 2,

    /// <summary>push_vlan or push_mpls found no headroom left in the frame; execution stopped rather than forward the packet without the header.</summary>
    NoHeadroom = 3,

    /// <summary>A meter action found the packet over the rate of one of its drop bands; the packet must be dropped.</summary>
    MeterDropped = 4,
}
