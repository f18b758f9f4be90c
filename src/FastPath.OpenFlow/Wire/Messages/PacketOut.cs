using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_PACKET_OUT: a packet (or a buffered one) the controller has the switch run through actions.</summary>
/// <param name="BufferId">The switch's buffer holding the packet, or <see cref="NoBuffer"/> when <paramref name="Data"/> is the packet.</param>
/// <param name="InPort">The port the packet counts as received on (<see cref="OfPorts.Controller"/>, <see cref="OfPorts.Local"/>, <see cref="OfPorts.Any"/> for none, or a port).</param>
/// <param name="Actions">The actions, in order.</param>
/// <param name="Data">The packet (empty when buffered: a switch ignores data sent with a buffer id, as Open vSwitch does).</param>
public sealed record PacketOut(uint BufferId, uint InPort, IReadOnlyList<OfAction> Actions, byte[] Data) : OfMessage
{
    /// <summary>OFP_NO_BUFFER.</summary>
    public const uint NoBuffer = 0xffffffff;

    /// <summary>The pipeline metadata the packet starts with (OpenFlow 1.5's packet-out match may set it; 0 elsewhere).</summary>
    public ulong Metadata { get; init; }

    /// <inheritdoc/>
    public bool Equals(PacketOut? other) =>
        other is not null && BufferId == other.BufferId && InPort == other.InPort && Metadata == other.Metadata
        && Actions.SequenceEqual(other.Actions) && Data.AsSpan().SequenceEqual(other.Data);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(BufferId, InPort, Actions.Count, Data.Length);
}
