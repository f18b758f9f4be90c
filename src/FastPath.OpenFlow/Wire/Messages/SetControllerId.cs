namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>NXT_SET_CONTROLLER_ID: the connection's controller id, reported in NXT_PACKET_IN2 and used by the controller action.</summary>
/// <param name="ControllerId">The id.</param>
public sealed record SetControllerId(ushort ControllerId) : OfMessage;
