using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_TABLE_MOD: a table's configuration (OFPTC_* bits; 1.4+ also eviction and vacancy properties).</summary>
/// <param name="TableId">The table, or 0xff for all.</param>
/// <param name="Config">OFPTC_* bits.</param>
/// <param name="Properties">1.4+: the properties as on the wire (eviction, vacancy), written back unchanged.</param>
public sealed record TableMod(byte TableId, uint Config, ReadOnlyMemory<byte> Properties = default) : OfMessage;

/// <summary>OFPMP_TABLE_DESC request (1.4+).</summary>
public sealed record TableDescRequest : MultipartRequest;

/// <summary>One table's description (ofp_table_desc, 1.4+).</summary>
/// <param name="TableId">The table.</param>
/// <param name="Config">OFPTC_* bits.</param>
/// <param name="Properties">The properties as on the wire (eviction, vacancy).</param>
public sealed record TableDesc(byte TableId, uint Config, ReadOnlyMemory<byte> Properties = default);

/// <summary>OFPMP_TABLE_DESC reply.</summary>
/// <param name="Tables">One entry per table.</param>
public sealed record TableDescReply(IReadOnlyList<TableDesc> Tables) : MultipartReply, IMultipartListReply<TableDescReply, TableDesc>
{
    /// <inheritdoc/>
    public IReadOnlyList<TableDesc> Items => Tables;

    /// <inheritdoc/>
    public static TableDescReply Create(IReadOnlyList<TableDesc> items) => new(items);
}
