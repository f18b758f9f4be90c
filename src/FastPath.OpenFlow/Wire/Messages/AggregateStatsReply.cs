using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>An aggregate stats reply (OFPST_AGGREGATE, OFPMP_AGGREGATE).</summary>
/// <param name="Packets">Packets of every rule asked for.</param>
/// <param name="Bytes">Their bytes.</param>
/// <param name="Flows">How many rules.</param>
public sealed record AggregateStatsReply(ulong Packets, ulong Bytes, uint Flows) : MultipartReply;
