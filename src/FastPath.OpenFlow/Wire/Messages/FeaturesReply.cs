using FastPath.OpenFlow.Wire.Ports;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_FEATURES_REPLY: datapath id, buffers, tables, capabilities; OpenFlow 1.0 also lists the ports and actions.</summary>
/// <param name="DatapathId">The datapath id.</param>
/// <param name="NBuffers">Packets the switch can buffer.</param>
/// <param name="NTables">Tables in the pipeline.</param>
/// <param name="Capabilities">OFPC_* bits as the version numbers them.</param>
/// <param name="AuxiliaryId">1.3+: the connection's auxiliary id (0: main connection).</param>
/// <param name="Actions">1.0: the OFPAT_* actions supported, as a bitmap.</param>
/// <param name="Ports">1.0: every port (1.3+ asks with OFPMP_PORT_DESC instead; empty there).</param>
public sealed record FeaturesReply(
    ulong DatapathId,
    uint NBuffers,
    byte NTables,
    uint Capabilities,
    byte AuxiliaryId = 0,
    uint Actions = 0,
    IReadOnlyList<OfPortDesc>? Ports = null) : OfMessage;
