namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>NXT_FLOW_MOD_TABLE_ID: whether OpenFlow 1.0 flow-mods carry a table id in the command's high byte.</summary>
/// <param name="Enable">On or off.</param>
public sealed record NxFlowModTableId(bool Enable) : OfMessage;
