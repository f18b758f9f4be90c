using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;

namespace FastPath.OpenFlow.Actions;

/// <summary>One OpenFlow action, as the rule model holds it (no wire format: the codec maps these to OFPAT_*/NXAST_*).</summary>
public abstract record OfAction;

/// <summary>output:PORT, or one of the reserved ports (IN_PORT, FLOOD, ALL, LOCAL, NORMAL, CONTROLLER with <see cref="MaxLen"/>).</summary>
/// <param name="Port">An <see cref="OfPorts"/> port number.</param>
/// <param name="MaxLen">Bytes of the packet sent to the controller (CONTROLLER only; 65535 sends it whole).</param>
public sealed record OutputAction(uint Port, ushort MaxLen = OutputAction.NoBuffer) : OfAction
{
    /// <summary>OFPCML_NO_BUFFER: the whole packet.</summary>
    public const ushort NoBuffer = 0xffff;
}

/// <summary>set_field (and the OpenFlow 1.0 mod_* actions, and load): writes <see cref="Value"/> under <see cref="Mask"/> into <see cref="Field"/>.</summary>
/// <param name="Field">The field written.</param>
/// <param name="Value">The value, already masked.</param>
/// <param name="Mask">Bits written; the field's full mask for a plain set_field.</param>
/// <param name="IsLoad">Written as Open vSwitch's <c>load:</c> (kept so the text round-trips as the user wrote it).</param>
public sealed record SetFieldAction(OfField Field, UInt128 Value, UInt128 Mask, bool IsLoad = false) : OfAction
{
    /// <summary>Whether every bit of the field is written.</summary>
    public bool IsFullWidth => (Mask & Field.FullMask) == Field.FullMask;

    /// <summary>Writes the value into a packet's pipeline key.</summary>
    public void Apply(ref PipelineKey key) => Field.WriteMasked(ref key, Value, Mask);
}

/// <summary>Open vSwitch's move: copies <see cref="Bits"/> bits of one field into another.</summary>
/// <param name="Source">Field read.</param>
/// <param name="SourceOffset">First bit read.</param>
/// <param name="Destination">Field written.</param>
/// <param name="DestinationOffset">First bit written.</param>
/// <param name="Bits">Number of bits.</param>
public sealed record MoveAction(OfField Source, int SourceOffset, OfField Destination, int DestinationOffset, int Bits) : OfAction
{
    /// <summary>Copies the bits within a packet's pipeline key.</summary>
    public void Apply(ref PipelineKey key)
    {
        UInt128 ones = Bits == 128 ? UInt128.MaxValue : (UInt128.One << Bits) - 1;
        UInt128 bits = (Source.Read(key) >> SourceOffset) & ones;
        Destination.WriteMasked(ref key, bits << DestinationOffset, ones << DestinationOffset);
    }
}

/// <summary>OpenFlow 1.0 mod_vlan_vid: sets the VID, pushing an 802.1Q tag first if the packet has none.</summary>
/// <param name="Vid">The 12-bit VLAN id.</param>
public sealed record SetVlanVidAction(ushort Vid) : OfAction;

/// <summary>OpenFlow 1.0 mod_vlan_pcp: sets the priority, pushing an 802.1Q tag first if the packet has none.</summary>
/// <param name="Pcp">The 3-bit priority.</param>
public sealed record SetVlanPcpAction(byte Pcp) : OfAction;

/// <summary>pop_vlan (OpenFlow 1.0's strip_vlan): removes the outer VLAN tag.</summary>
public sealed record PopVlanAction : OfAction;

/// <summary>push_vlan:ETHERTYPE: pushes a VLAN tag with TPID 0x8100 or 0x88a8.</summary>
/// <param name="EtherType">The new tag's TPID.</param>
public sealed record PushVlanAction(ushort EtherType) : OfAction;

/// <summary>push_mpls:ETHERTYPE: pushes an MPLS label stack entry (0x8847 or 0x8848).</summary>
/// <param name="EtherType">The MPLS Ethernet type.</param>
public sealed record PushMplsAction(ushort EtherType) : OfAction;

/// <summary>pop_mpls:ETHERTYPE: pops the outer MPLS entry; the frame's Ethernet type becomes <see cref="EtherType"/>.</summary>
/// <param name="EtherType">The payload's Ethernet type.</param>
public sealed record PopMplsAction(ushort EtherType) : OfAction;

/// <summary>set_mpls_ttl: sets the outer MPLS TTL.</summary>
/// <param name="Ttl">The TTL.</param>
public sealed record SetMplsTtlAction(byte Ttl) : OfAction;

/// <summary>OpenFlow 1.1's set_mpls_label (the same effect as set_field on mpls_label; kept apart for its OpenFlow 1.0 spelling).</summary>
/// <param name="Label">The 20-bit label.</param>
public sealed record SetMplsLabelAction(uint Label) : OfAction;

/// <summary>OpenFlow 1.1's set_mpls_tc (the same effect as set_field on mpls_tc).</summary>
/// <param name="Tc">The 3-bit traffic class.</param>
public sealed record SetMplsTcAction(byte Tc) : OfAction;

/// <summary>dec_mpls_ttl: decrements the outer MPLS TTL (to the controller at zero).</summary>
public sealed record DecMplsTtlAction : OfAction;

/// <summary>dec_ttl: decrements the IPv4 TTL / IPv6 hop limit (to the controller at zero).</summary>
public sealed record DecTtlAction : OfAction;

/// <summary>set_nw_ttl (mod_nw_ttl): sets the IPv4 TTL / IPv6 hop limit.</summary>
/// <param name="Ttl">The TTL.</param>
public sealed record SetNwTtlAction(byte Ttl) : OfAction;

/// <summary>group:N: processes the packet through a group.</summary>
/// <param name="GroupId">The group.</param>
public sealed record GroupAction(uint GroupId) : OfAction;

/// <summary>set_queue:N: selects the output queue.</summary>
/// <param name="QueueId">The queue.</param>
public sealed record SetQueueAction(uint QueueId) : OfAction;
