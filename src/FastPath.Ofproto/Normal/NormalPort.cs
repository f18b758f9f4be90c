namespace FastPath.Ofproto.Normal;

/// <summary>A bridge port as the NORMAL action sees it.</summary>
/// <param name="Port">The port's number (whatever numbering the caller uses for input and output; the decision echoes it).</param>
/// <param name="Vlan">Its VLAN configuration.</param>
/// <param name="Flood">False when the port is configured no-flood (OFPPC_NO_FLOOD): it then gets no flooded frames, though learned unicast still reaches it.</param>
public readonly record struct NormalPort(uint Port, PortVlanConfig Vlan, bool Flood = true);
