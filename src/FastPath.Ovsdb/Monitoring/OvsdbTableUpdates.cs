using System.Collections.Immutable;
using System.Text.Json;
using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Schema;

namespace FastPath.Ovsdb.Monitoring;

/// <summary>One batch of changes (RFC 7047 §4.1.6 <c>&lt;table-updates&gt;</c>): table name to row UUID to change.
/// A monitor reply's initial contents are a batch too, with <see cref="IsInitial"/> set.</summary>
/// <param name="Tables">The changed rows per table.</param>
/// <param name="IsInitial">True for the contents a monitor request returned.</param>
public sealed record OvsdbTableUpdates(ImmutableSortedDictionary<string, ImmutableDictionary<Guid, OvsdbRowUpdate>> Tables, bool IsInitial)
{
    /// <summary>Reads <c>&lt;table-updates&gt;</c>, typing each column by <paramref name="schema"/> when given.</summary>
    public static OvsdbTableUpdates Read(JsonElement e, OvsdbSchema? schema, bool isInitial)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException($"table-updates must be a JSON object, got {OvsdbJson.Abbreviate(e)}");
        }

        var tables = ImmutableSortedDictionary.CreateBuilder<string, ImmutableDictionary<Guid, OvsdbRowUpdate>>(StringComparer.Ordinal);
        foreach (JsonProperty t in e.EnumerateObject())
        {
            OvsdbTableSchema? table = null;
            schema?.Tables.TryGetValue(t.Name, out table);
            if (t.Value.ValueKind != JsonValueKind.Object)
            {
                throw new OvsdbProtocolException($"table-update for {t.Name} must be a JSON object");
            }

            var rows = ImmutableDictionary.CreateBuilder<Guid, OvsdbRowUpdate>();
            foreach (JsonProperty r in t.Value.EnumerateObject())
            {
                Guid uuid = OvsdbJson.ParseUuid(r.Name);
                if (r.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new OvsdbProtocolException($"row-update {t.Name} {r.Name} must be a JSON object");
                }

                OvsdbRow? oldRow = r.Value.TryGetProperty("old", out JsonElement o) ? OvsdbJson.ReadRow(o, table) : null;
                OvsdbRow? newRow = r.Value.TryGetProperty("new", out JsonElement n) ? OvsdbJson.ReadRow(n, table) : null;
                if (oldRow is null && newRow is null)
                {
                    throw new OvsdbProtocolException($"row-update {t.Name} {r.Name} has neither \"old\" nor \"new\"");
                }

                rows[uuid] = new OvsdbRowUpdate(oldRow, newRow);
            }

            tables[t.Name] = rows.ToImmutable();
        }

        return new OvsdbTableUpdates(tables.ToImmutable(), isInitial);
    }
}
