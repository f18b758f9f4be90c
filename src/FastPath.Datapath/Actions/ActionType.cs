namespace FastPath.Datapath.Actions;

/// <summary>The kind of one action in an encoded action program (the u16 type of its header).</summary>
public enum ActionType : ushort
{
    /// <summary>Send the packet to a datapath port: payload u32 port (little-endian).</summary>
    Output = 1,

    /// <summary>Hand the packet to the slow path: 4 pad bytes, then a u64 cookie (little-endian).</summary>
    Userspace = 2,

    /// <summary>Masked rewrite of one header field: see <see cref="ActionField"/> and <see cref="ActionProgram"/>.</summary>
    SetMasked = 3,

    /// <summary>Push an outermost VLAN tag: TPID then TCI, both in network order as on the wire.</summary>
    PushVlan = 4,

    /// <summary>Remove the outermost VLAN tag.</summary>
    PopVlan = 5,

    /// <summary>Decrement the IPv4 TTL or IPv6 hop limit; stop the packet when it would reach 0.</summary>
    DecTtl = 6,

    /// <summary>
    /// Push an MPLS label stack entry after the VLAN tags: the entry (network order), the MPLS Ethernet
    /// type (0x8847 or 0x8848, network order), and flags; see <see cref="ActionProgram"/>.
    /// </summary>
    PushMpls = 7,

    /// <summary>Remove the outermost MPLS label stack entry and set the Ethernet type to the one given (network order).</summary>
    PopMpls = 8,

    /// <summary>Decrement the TTL of the outermost MPLS label; stop the packet when it would reach 0.</summary>
    DecMplsTtl = 9,

    /// <summary>
    /// Run the packet through a meter of the datapath's meter table: payload u32 meter id (little-endian).
    /// A packet over the rate of a drop band is dropped there (execution stops with
    /// <see cref="ExecStatus.MeterDropped"/>); a packet within the rate, or sent to a meter that does not
    /// exist, goes on with the next action, as in Open vSwitch's userspace datapath.
    /// </summary>
    Meter = 10,
}
