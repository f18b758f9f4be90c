namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>NXT_SET_PACKET_IN_FORMAT: the packet-in encoding the controller wants.</summary>
/// <param name="Format">The format.</param>
public sealed record NxSetPacketInFormat(NxPacketInFormat Format) : OfMessage;
