using System.Collections.Immutable;
using System.Text.Json;
using FastPath.Ovsdb.Data;

namespace FastPath.Ovsdb.Schema;

/// <summary>Reads RFC 7047 §3.2's schema grammar into <see cref="OvsdbSchema"/>.</summary>
internal static class OvsdbSchemaParser
{
    private static readonly OvsdbColumnType UuidScalar = new(new OvsdbBaseType(OvsdbAtomKind.Uuid), null, 1, 1);

    public static OvsdbSchema Parse(JsonElement e)
    {
        RequireObject(e, "a database schema");
        string name = RequiredString(e, "name", "the schema");
        string version = OptionalString(e, "version") ?? "";
        string? checksum = OptionalString(e, "cksum");
        JsonElement tables = Required(e, "tables", "the schema");
        RequireObject(tables, "\"tables\"");
        var result = ImmutableSortedDictionary.CreateBuilder<string, OvsdbTableSchema>(StringComparer.Ordinal);
        foreach (JsonProperty t in tables.EnumerateObject())
        {
            result[t.Name] = ParseTable(t.Name, t.Value);
        }

        return new OvsdbSchema(name, version, checksum, result.ToImmutable());
    }

    private static OvsdbTableSchema ParseTable(string name, JsonElement e)
    {
        string where = "table " + name;
        RequireObject(e, where);
        JsonElement columns = Required(e, "columns", where);
        RequireObject(columns, where + " \"columns\"");
        var cols = ImmutableSortedDictionary.CreateBuilder<string, OvsdbColumnSchema>(StringComparer.Ordinal);
        foreach (JsonProperty c in columns.EnumerateObject())
        {
            string cw = $"column {name}.{c.Name}";
            RequireObject(c.Value, cw);
            OvsdbColumnType type = ParseType(Required(c.Value, "type", cw), cw);
            bool ephemeral = OptionalBool(c.Value, "ephemeral") ?? false;
            bool mutable = OptionalBool(c.Value, "mutable") ?? true;
            cols[c.Name] = new OvsdbColumnSchema(c.Name, type, ephemeral, mutable);
        }

        cols["_uuid"] = new OvsdbColumnSchema("_uuid", UuidScalar, false, false);
        cols["_version"] = new OvsdbColumnSchema("_version", UuidScalar, false, false);

        long? maxRows = e.TryGetProperty("maxRows", out JsonElement mr) ? Integer(mr, where + " maxRows") : null;
        var indexes = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        if (e.TryGetProperty("indexes", out JsonElement ix))
        {
            foreach (JsonElement index in ix.EnumerateArray())
            {
                indexes.Add(index.EnumerateArray().Select(s => s.GetString() ?? throw new OvsdbProtocolException(where + ": an index lists column names")).ToImmutableArray());
            }
        }

        return new OvsdbTableSchema(name, cols.ToImmutable(), OptionalBool(e, "isRoot") ?? false, maxRows, indexes.ToImmutable());
    }

    private static OvsdbColumnType ParseType(JsonElement e, string where)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            return new OvsdbColumnType(ParseBase(e, where), null, 1, 1);
        }

        RequireObject(e, where + " type");
        OvsdbBaseType key = ParseBase(Required(e, "key", where + " type"), where + " key");
        OvsdbBaseType? value = e.TryGetProperty("value", out JsonElement v) ? ParseBase(v, where + " value") : null;
        int min = e.TryGetProperty("min", out JsonElement mn) ? (int)Integer(mn, where + " min") : 1;
        long? max = 1;
        if (e.TryGetProperty("max", out JsonElement mx))
        {
            max = mx.ValueKind == JsonValueKind.String && mx.GetString() == "unlimited" ? null : Integer(mx, where + " max");
        }

        if (min is < 0 or > 1 || max < 1 || max < min)
        {
            throw new OvsdbProtocolException($"{where}: min {min} and max {max?.ToString() ?? "unlimited"} are not a valid range");
        }

        return new OvsdbColumnType(key, value, min, max);
    }

    private static OvsdbBaseType ParseBase(JsonElement e, string where)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            return new OvsdbBaseType(AtomicType(e.GetString()!, where));
        }

        RequireObject(e, where);
        OvsdbAtomKind kind = AtomicType(RequiredString(e, "type", where), where);
        ImmutableArray<OvsdbAtom>? enumeration = null;
        if (e.TryGetProperty("enum", out JsonElement en))
        {
            var scalar = new OvsdbColumnType(new OvsdbBaseType(kind), null, 0, null);
            enumeration = OvsdbJson.ReadDatum(en, scalar).Keys;
        }

        string? refTable = OptionalString(e, "refTable");
        string? refType = OptionalString(e, "refType");
        if (refType is not null and not "strong" and not "weak")
        {
            throw new OvsdbProtocolException($"{where}: refType is \"strong\" or \"weak\", not \"{refType}\"");
        }

        return new OvsdbBaseType(
            kind,
            enumeration,
            OptionalInteger(e, "minInteger", where),
            OptionalInteger(e, "maxInteger", where),
            e.TryGetProperty("minReal", out JsonElement a) ? a.GetDouble() : null,
            e.TryGetProperty("maxReal", out JsonElement b) ? b.GetDouble() : null,
            OptionalInteger(e, "minLength", where),
            OptionalInteger(e, "maxLength", where),
            refTable,
            refType != "weak");
    }

    private static OvsdbAtomKind AtomicType(string s, string where) => s switch
    {
        "integer" => OvsdbAtomKind.Integer,
        "real" => OvsdbAtomKind.Real,
        "boolean" => OvsdbAtomKind.Boolean,
        "string" => OvsdbAtomKind.String,
        "uuid" => OvsdbAtomKind.Uuid,
        _ => throw new OvsdbProtocolException($"{where}: \"{s}\" is not an atomic type"),
    };

    private static void RequireObject(JsonElement e, string what)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException($"{what} must be a JSON object, got {OvsdbJson.Abbreviate(e)}");
        }
    }

    private static JsonElement Required(JsonElement e, string member, string where) =>
        e.TryGetProperty(member, out JsonElement v) ? v : throw new OvsdbProtocolException($"{where} lacks \"{member}\"");

    private static string RequiredString(JsonElement e, string member, string where) =>
        OptionalString(e, member) ?? throw new OvsdbProtocolException($"{where} lacks the string \"{member}\"");

    private static string? OptionalString(JsonElement e, string member) =>
        e.TryGetProperty(member, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? OptionalBool(JsonElement e, string member) =>
        e.TryGetProperty(member, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static long? OptionalInteger(JsonElement e, string member, string where) =>
        e.TryGetProperty(member, out JsonElement v) ? Integer(v, where + " " + member) : null;

    private static long Integer(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long i) ? i : throw new OvsdbProtocolException($"{where} must be an integer, got {OvsdbJson.Abbreviate(e)}");
}
