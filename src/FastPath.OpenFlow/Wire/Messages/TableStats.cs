using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPMP_TABLE request: counters of every table.</summary>
public sealed record TableStatsRequest : MultipartRequest;

/// <summary>One table's counters (ofp_table_stats). OpenFlow 1.0 also carries name, wildcards and size; 1.3+ only the counters.</summary>
/// <param name="TableId">The table.</param>
/// <param name="ActiveCount">Rules in the table.</param>
/// <param name="LookupCount">Packets looked up.</param>
/// <param name="MatchedCount">Packets that hit a rule.</param>
/// <param name="Name">OpenFlow 1.0: the table's name (empty elsewhere).</param>
/// <param name="Wildcards">OpenFlow 1.0: the OFPFW_* wildcards the table supports.</param>
/// <param name="MaxEntries">OpenFlow 1.0: the most rules the table holds.</param>
public sealed record TableStats(byte TableId, uint ActiveCount, ulong LookupCount, ulong MatchedCount, string Name = "", uint Wildcards = 0, uint MaxEntries = 0);

/// <summary>OFPMP_TABLE reply: one entry per table.</summary>
/// <param name="Tables">The tables, in order.</param>
public sealed record TableStatsReply(IReadOnlyList<TableStats> Tables) : MultipartReply, IMultipartListReply<TableStatsReply, TableStats>
{
    /// <inheritdoc/>
    public IReadOnlyList<TableStats> Items => Tables;

    /// <inheritdoc/>
    public static TableStatsReply Create(IReadOnlyList<TableStats> items) => new(items);
}
