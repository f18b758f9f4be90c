namespace FastPath.OpenFlow.Wire;

/// <summary>
/// What a connection has agreed that shapes how a message is encoded: the negotiated version and, for
/// Open vSwitch's Nicira extensions, the flow format and packet-in format the peer asked for.
/// </summary>
/// <param name="Version">The negotiated version.</param>
/// <param name="FlowFormat">The match format of flow-removed notices and flow-mods on OpenFlow 1.0 (NXT_SET_FLOW_FORMAT).</param>
/// <param name="PacketInFormat">The packet-in encoding (NXT_SET_PACKET_IN_FORMAT).</param>
/// <param name="FlowModTableId">
/// OpenFlow 1.0 only: whether NXT_FLOW_MOD_TABLE_ID turned on the table id in the flow-mod command's high byte
/// (without it an add goes to table 0 and a modify or delete covers every table).
/// </param>
public readonly record struct OfSession(
    OpenFlowVersion Version,
    NxFlowFormat FlowFormat = NxFlowFormat.OpenFlow10,
    NxPacketInFormat PacketInFormat = NxPacketInFormat.Standard,
    bool FlowModTableId = false);

/// <summary>Open vSwitch's flow formats (NXFF_*): how an OpenFlow 1.0 connection encodes matches.</summary>
public enum NxFlowFormat : uint
{
    /// <summary>NXFF_OPENFLOW10: the standard 40-byte ofp_match.</summary>
    OpenFlow10 = 0,

    /// <summary>NXFF_NXM: Nicira extensible matches (NXT_FLOW_MOD, NXT_FLOW_REMOVED, NXST_FLOW).</summary>
    Nxm = 2,
}

/// <summary>Open vSwitch's packet-in formats (NXPIF_*).</summary>
public enum NxPacketInFormat : uint
{
    /// <summary>NXPIF_STANDARD: the version's own OFPT_PACKET_IN.</summary>
    Standard = 0,

    /// <summary>NXPIF_NXT_PACKET_IN: Nicira's packet-in with an NXM match.</summary>
    NxtPacketIn = 1,

    /// <summary>NXPIF_NXT_PACKET_IN2: Nicira's property-based packet-in.</summary>
    NxtPacketIn2 = 2,
}
