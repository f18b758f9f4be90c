using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Wire.Match;

/// <summary>How an <see cref="OxmEntry"/>'s payload maps onto its <see cref="OfField"/>.</summary>
public enum OxmEntryKind
{
    /// <summary>The payload is the field's value (and mask), as wide as <see cref="OxmEntry.Width"/>.</summary>
    Plain,

    /// <summary>NXM_OF_IN_PORT: a 16-bit OpenFlow 1.0 port, mapped to the 32-bit in_port (0xff00+ are the reserved ports).</summary>
    InPort16,

    /// <summary>OXM_OF_PKT_REGn (class 0x8001): 64 bits holding reg(2n) (high half) and reg(2n+1).</summary>
    PacketRegister,

    /// <summary>NXM_NX_COOKIE: not a field but the rule cookie a flow-mod or stats request filters on.</summary>
    Cookie,
}

/// <summary>
/// One TLV header a match may carry (OXM basic, Open vSwitch's NXM classes 0 and 1, the packet-register class
/// 0x8001, or an experimenter header) and the field it sets. Several headers may name the same field
/// (tcp_dst is NXM_OF_TCP_DST and OXM_OF_TCP_DST); a header's prerequisite may be narrower than the field's
/// (OXM_OF_ICMPV4_TYPE needs ICMPv4 while the icmp_type view also serves ICMPv6).
/// </summary>
public sealed class OxmEntry
{
    internal OxmEntry(ushort oxmClass, byte number, uint experimenter, int width, OfField? field, FieldPrerequisite prerequisite, OxmEntryKind kind)
    {
        Class = oxmClass;
        Number = number;
        Experimenter = experimenter;
        Width = width;
        Field = field;
        Prerequisite = prerequisite;
        Kind = kind;
    }

    /// <summary>OXM class (0x0000/0x0001 NXM, 0x8000 basic, 0x8001 packet registers, 0xffff experimenter).</summary>
    public ushort Class { get; }

    /// <summary>Field number within the class.</summary>
    public byte Number { get; }

    /// <summary>Experimenter id after the header (class 0xffff), else 0.</summary>
    public uint Experimenter { get; }

    /// <summary>Bytes of the value on the wire (the mask, when present, is as wide).</summary>
    public int Width { get; }

    /// <summary>The field set (null for <see cref="OxmEntryKind.Cookie"/>; for <see cref="OxmEntryKind.PacketRegister"/> the high register).</summary>
    public OfField? Field { get; }

    /// <summary>What must already be matched when this header appears.</summary>
    public FieldPrerequisite Prerequisite { get; }

    /// <summary>How the payload maps onto the field.</summary>
    public OxmEntryKind Kind { get; }

    /// <summary>Whether the field takes arbitrary masks (an unmaskable one still accepts an all-ones or all-zeros mask).</summary>
    public bool Maskable => Kind is OxmEntryKind.PacketRegister or OxmEntryKind.Cookie || (Kind == OxmEntryKind.Plain && Field!.Maskable);

    /// <summary>Payload bytes after the 4-byte header.</summary>
    public int PayloadLength(bool masked) => (Class == OxmEntries.ExperimenterClass ? 4 : 0) + (masked ? 2 * Width : Width);

    /// <summary>The 32-bit header (class, field, has-mask bit, payload length).</summary>
    public uint Header(bool masked) => ((uint)Class << 16) | ((uint)Number << 9) | (masked ? 0x100u : 0u) | (uint)PayloadLength(masked);

    /// <inheritdoc/>
    public override string ToString() => $"{Class:x4}:{Number}{(Experimenter != 0 ? $"@{Experimenter:x8}" : "")} ({Field?.Name ?? Kind.ToString()})";
}
