namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_GET_CONFIG_REQUEST.</summary>
public sealed record GetConfigRequest : OfMessage;

/// <summary>OFPT_GET_CONFIG_REPLY (<paramref name="IsSet"/> false) or OFPT_SET_CONFIG (true): struct ofp_switch_config.</summary>
/// <param name="Flags">OFPC_FRAG_* (0 normal, 1 drop, 2 reassemble, 3 nx-match) and, in 1.0/Open vSwitch, OFPC_INVALID_TTL_TO_CONTROLLER (4).</param>
/// <param name="MissSendLen">Bytes of a table-miss packet sent to the controller.</param>
/// <param name="IsSet">An OFPT_SET_CONFIG rather than a reply.</param>
public sealed record SwitchConfig(ushort Flags, ushort MissSendLen, bool IsSet) : OfMessage;
