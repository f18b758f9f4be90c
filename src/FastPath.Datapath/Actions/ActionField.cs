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
}
