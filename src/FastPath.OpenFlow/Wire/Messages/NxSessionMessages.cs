namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>NXT_SET_FLOW_FORMAT: the match format the controller wants in flow-removed and flow stats on OpenFlow 1.0.</summary>
/// <param name="Format">The format.</param>
public sealed record NxSetFlowFormat(NxFlowFormat Format) : OfMessage;

/// <summary>NXT_SET_PACKET_IN_FORMAT: the packet-in encoding the controller wants.</summary>
/// <param name="Format">The format.</param>
public sealed record NxSetPacketInFormat(NxPacketInFormat Format) : OfMessage;

/// <summary>NXT_FLOW_MOD_TABLE_ID: whether OpenFlow 1.0 flow-mods carry a table id in the command's high byte.</summary>
/// <param name="Enable">On or off.</param>
public sealed record NxFlowModTableId(bool Enable) : OfMessage;
