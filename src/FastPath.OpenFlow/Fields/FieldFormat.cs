namespace FastPath.OpenFlow.Fields;

/// <summary>How a field's value is written in Open vSwitch's flow syntax.</summary>
public enum FieldFormat
{
    /// <summary>An integer, printed in decimal.</summary>
    Decimal,
    /// <summary>An integer, printed in hexadecimal with 0x.</summary>
    Hex,
    /// <summary>An Ethernet address (xx:xx:xx:xx:xx:xx).</summary>
    Ethernet,
    /// <summary>An IPv4 address (dotted quad; a mask as a prefix length or a dotted quad).</summary>
    Ipv4,
    /// <summary>An IPv6 address (a mask as a prefix length or an address).</summary>
    Ipv6,
    /// <summary>An OpenFlow port: a number or a reserved port name (LOCAL, CONTROLLER...).</summary>
    Port,
    /// <summary>The fragment field: no, yes, first, later, not_later.</summary>
    Frag,
    /// <summary>TCP flags: names joined by '|', or +name/-name under a mask.</summary>
    TcpFlags,
    /// <summary>IPv6 extension header flags (OFPIEH_*): +name/-name.</summary>
    Ipv6ExtHdr,
}
