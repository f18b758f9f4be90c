namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// One field of a megaflow as Open vSwitch prints it: the value, and the mask when the match is not exact.
/// Both are kept as printed (<c>192.168.1.0</c> with mask <c>24</c> or <c>255.255.0.255</c>; <c>0x40</c> with
/// mask <c>0xffc0</c>; <c>01:00:00:00:00:00</c> with mask <c>01:00:00:00:00:00</c>).
/// </summary>
/// <param name="Value">The value as printed.</param>
/// <param name="Mask">The mask as printed after the <c>/</c> (a prefix length or a full mask); null for an exact match.</param>
public readonly record struct OvsFieldMatch(string Value, string? Mask)
{
    /// <summary>Whether every bit of the field is matched.</summary>
    public bool IsExact => Mask is null;

    /// <inheritdoc/>
    public override string ToString() => Mask is null ? Value : Value + "/" + Mask;
}
