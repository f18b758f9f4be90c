namespace FastPath.Datapath.Actions;

/// <summary>A packet header field that a <see cref="ActionType.SetMasked"/> action rewrites.</summary>
/// <remarks>Values and masks are encoded in network byte order with the size <see cref="ActionProgram.FieldSize"/> gives.</remarks>
public enum ActionField : byte
{
    /// <summary>Ethernet destination (6 bytes).</summary>
    EthDst = 1,
    /// <summary>Ethernet source (6 bytes).</summary>
    EthSrc = 2,
    /// <summary>TCI of the outermost VLAN tag (2 bytes): VID in the low 12 bits, PCP in the top 3.</summary>
    VlanTci = 3,
    /// <summary>IPv4 source (4 bytes).</summary>
    Ipv4Src = 4,
    /// <summary>IPv4 destination (4 bytes).</summary>
    Ipv4Dst = 5,
    /// <summary>IPv4 TOS byte, DSCP and ECN (1 byte).</summary>
    Ipv4Tos = 6,
    /// <summary>IPv4 TTL (1 byte).</summary>
    Ipv4Ttl = 7,
    /// <summary>IPv6 source (16 bytes).</summary>
    Ipv6Src = 8,
    /// <summary>IPv6 destination (16 bytes).</summary>
    Ipv6Dst = 9,
    /// <summary>IPv6 traffic class (1 byte).</summary>
    Ipv6Tc = 10,
    /// <summary>IPv6 flow label (4 bytes, low 20 bits).</summary>
    Ipv6Label = 11,
    /// <summary>IPv6 hop limit (1 byte).</summary>
    Ipv6HopLimit = 12,
    /// <summary>TCP source port (2 bytes).</summary>
    TcpSrc = 13,
    /// <summary>TCP destination port (2 bytes).</summary>
    TcpDst = 14,
    /// <summary>UDP source port (2 bytes).</summary>
    UdpSrc = 15,
    /// <summary>UDP destination port (2 bytes).</summary>
    UdpDst = 16,
    /// <summary>SCTP source port (2 bytes).</summary>
    SctpSrc = 17,
    /// <summary>SCTP destination port (2 bytes).</summary>
    SctpDst = 18,
    /// <summary>
    /// The outermost MPLS label stack entry (4 bytes): label in the top 20 bits, then TC (3), BOS (1)
    /// and TTL (8), so one masked set rewrites the label, TC or TTL alone, as Open vSwitch's set(mpls()) does.
    /// </summary>
    MplsLse = 19,
    /// <summary>ARP (or RARP) opcode (2 bytes); Ethernet/IPv4 ARP only, as the parser reads it.</summary>
    ArpOp = 20,
    /// <summary>ARP sender protocol (IPv4) address (4 bytes).</summary>
    ArpSpa = 21,
    /// <summary>ARP target protocol (IPv4) address (4 bytes).</summary>
    ArpTpa = 22,
    /// <summary>ARP sender hardware (Ethernet) address (6 bytes).</summary>
    ArpSha = 23,
    /// <summary>ARP target hardware (Ethernet) address (6 bytes).</summary>
    ArpTha = 24,
    /// <summary>ICMPv4 type (1 byte); the ICMP checksum is patched.</summary>
    IcmpType = 25,
    /// <summary>ICMPv4 code (1 byte); the ICMP checksum is patched.</summary>
    IcmpCode = 26,
    /// <summary>ICMPv6 type (1 byte); the ICMPv6 checksum is patched.</summary>
    Icmpv6Type = 27,
    /// <summary>ICMPv6 code (1 byte); the ICMPv6 checksum is patched.</summary>
    Icmpv6Code = 28,
    /// <summary>
    /// Target address of an IPv6 neighbor solicitation or advertisement (16 bytes; ICMPv6 type 135 or 136,
    /// code 0); other packets are left alone. The ICMPv6 checksum is patched.
    /// </summary>
    NdTarget = 29,
    /// <summary>
    /// Source link-layer address option of a neighbor solicitation or advertisement (6 bytes). As in Open
    /// vSwitch, only the first link-layer address option is looked at, and it is rewritten only when it
    /// is a source one: an option is never added.
    /// </summary>
    NdSll = 30,
    /// <summary>Target link-layer address option of a neighbor solicitation or advertisement (6 bytes); as <see cref="NdSll"/>.</summary>
    NdTll = 31,
}
