using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>Open vSwitch's NXST_AGGREGATE reply.</summary>
/// <param name="Packets">Packets of every rule asked for.</param>
/// <param name="Bytes">Their bytes.</param>
/// <param name="Flows">How many rules.</param>
public sealed record NxAggregateStatsReply(ulong Packets, ulong Bytes, uint Flows) : MultipartReply;
