using System.Collections.Immutable;
using System.Text.Json;

namespace FastPath.Ovsdb.Schema;

/// <summary>A database schema (RFC 7047 §3.2 <c>&lt;database-schema&gt;</c>), as <c>get_schema</c> returns it.</summary>
/// <param name="Name">The database's name.</param>
/// <param name="Version">Its schema version ("8.3.1").</param>
/// <param name="Checksum">Open vSwitch's checksum of the schema file, if given.</param>
/// <param name="Tables">Its tables by name.</param>
public sealed record OvsdbSchema(string Name, string Version, string? Checksum, ImmutableSortedDictionary<string, OvsdbTableSchema> Tables)
{
    /// <summary>The table named <paramref name="name"/>; throws a clear error when the schema has none.</summary>
    public OvsdbTableSchema Table(string name) =>
        Tables.TryGetValue(name, out OvsdbTableSchema? t) ? t : throw new KeyNotFoundException($"database {Name} has no table \"{name}\"");

    /// <summary>Parses a schema from its JSON text (a <c>.ovsschema</c> file or a <c>get_schema</c> reply).</summary>
    public static OvsdbSchema Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return OvsdbSchemaParser.Parse(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new OvsdbProtocolException("malformed schema JSON: " + e.Message, e);
        }
    }
}
