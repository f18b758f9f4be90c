using System.Collections.Immutable;

namespace FastPath.Ovsdb.Schema;

/// <summary>One table of a database (RFC 7047 §3.2 <c>&lt;table-schema&gt;</c>). <see cref="Columns"/> includes the
/// implicit <c>_uuid</c> and <c>_version</c>.</summary>
/// <param name="Name">The table's name.</param>
/// <param name="Columns">Its columns by name.</param>
/// <param name="IsRoot">Whether rows live without a strong reference to them.</param>
/// <param name="MaxRows">The most rows it may hold; null for no limit.</param>
/// <param name="Indexes">Sets of columns whose values are unique across rows.</param>
public sealed record OvsdbTableSchema(
    string Name,
    ImmutableSortedDictionary<string, OvsdbColumnSchema> Columns,
    bool IsRoot,
    long? MaxRows,
    ImmutableArray<ImmutableArray<string>> Indexes)
{
    /// <summary>The column named <paramref name="name"/>; throws a clear error when the table has none.</summary>
    public OvsdbColumnSchema Column(string name) =>
        Columns.TryGetValue(name, out OvsdbColumnSchema? c) ? c : throw new KeyNotFoundException($"table {Name} has no column \"{name}\"");
}
