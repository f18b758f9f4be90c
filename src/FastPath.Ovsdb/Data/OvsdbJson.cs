using System.Text.Json;
using FastPath.Ovsdb.Schema;

namespace FastPath.Ovsdb.Data;

/// <summary>The JSON encodings of RFC 7047 §5.1: atoms, sets (<c>["set", […]]</c> or a single atom), maps
/// (<c>["map", [[k, v], …]]</c>), UUIDs (<c>["uuid", "…"]</c>, <c>["named-uuid", "…"]</c>) and rows.</summary>
/// <remarks>Reading takes the column's type when known: JSON has one kind of number, so only the type tells whether
/// <c>1</c> is an integer or a real; without a type a number with no fraction or exponent is an integer. Every
/// malformed value is an <see cref="OvsdbProtocolException"/> naming what was wrong.</remarks>
public static class OvsdbJson
{
    /// <summary>Writes strings as Open vSwitch does: UTF-8, escaping only what JSON requires (the default encoder's
    /// HTML-safe escapes, such as <c>\u002B</c> for "+", are valid but make messages hard to read in logs).</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes an atom.</summary>
    public static void WriteAtom(Utf8JsonWriter w, OvsdbAtom atom)
    {
        switch (atom.Kind)
        {
            case OvsdbAtomKind.Integer:
                w.WriteNumberValue(atom.Integer);
                break;
            case OvsdbAtomKind.Real:
                w.WriteNumberValue(atom.Real);
                break;
            case OvsdbAtomKind.Boolean:
                w.WriteBooleanValue(atom.Boolean);
                break;
            case OvsdbAtomKind.String:
                w.WriteStringValue(atom.String);
                break;
            case OvsdbAtomKind.Uuid:
                w.WriteStartArray();
                w.WriteStringValue("uuid");
                w.WriteStringValue(atom.Uuid.ToString("D"));
                w.WriteEndArray();
                break;
            case OvsdbAtomKind.NamedUuid:
                w.WriteStartArray();
                w.WriteStringValue("named-uuid");
                w.WriteStringValue(atom.NamedUuid);
                w.WriteEndArray();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(atom), atom.Kind, "unknown atom kind");
        }
    }

    /// <summary>Writes a datum: a set of one atom as the bare atom (RFC 7047's shorthand), other sets as
    /// <c>["set", […]]</c>, maps as <c>["map", […]]</c>.</summary>
    public static void WriteDatum(Utf8JsonWriter w, OvsdbDatum datum)
    {
        if (!datum.IsMap && datum.Count == 1)
        {
            WriteAtom(w, datum.Keys[0]);
            return;
        }

        w.WriteStartArray();
        w.WriteStringValue(datum.IsMap ? "map" : "set");
        w.WriteStartArray();
        for (int i = 0; i < datum.Count; i++)
        {
            if (datum.IsMap)
            {
                w.WriteStartArray();
                WriteAtom(w, datum.Keys[i]);
                WriteAtom(w, datum.Values!.Value[i]);
                w.WriteEndArray();
            }
            else
            {
                WriteAtom(w, datum.Keys[i]);
            }
        }

        w.WriteEndArray();
        w.WriteEndArray();
    }

    /// <summary>Writes a row as a JSON object of column to datum.</summary>
    public static void WriteRow(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, OvsdbDatum>> row)
    {
        w.WriteStartObject();
        foreach (KeyValuePair<string, OvsdbDatum> c in row)
        {
            w.WritePropertyName(c.Key);
            WriteDatum(w, c.Value);
        }

        w.WriteEndObject();
    }

    /// <summary>A datum's JSON text.</summary>
    public static string ToJson(OvsdbDatum datum) => Write(w => WriteDatum(w, datum));

    /// <summary>Parses a datum from JSON text, checked against <paramref name="type"/> when given.</summary>
    public static OvsdbDatum ParseDatum(string json, OvsdbColumnType? type = null)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return ReadDatum(doc.RootElement, type);
        }
        catch (JsonException e)
        {
            throw new OvsdbProtocolException("malformed JSON: " + e.Message, e);
        }
    }

    /// <summary>Reads an atom, checked against <paramref name="type"/> when given.</summary>
    public static OvsdbAtom ReadAtom(JsonElement e, OvsdbBaseType? type = null)
    {
        OvsdbAtom atom = ReadUntypedAtom(e, type?.Kind == OvsdbAtomKind.Real);
        if (type is not null && atom.Kind != type.Kind && !(type.Kind == OvsdbAtomKind.Uuid && atom.Kind == OvsdbAtomKind.NamedUuid))
        {
            throw new OvsdbProtocolException($"expected {Describe(type.Kind)}, got {Describe(atom.Kind)} {e.GetRawText()}");
        }

        return atom;
    }

    /// <summary>Reads a datum (a set, the single-atom shorthand, or a map), checked against <paramref name="type"/>
    /// when given.</summary>
    public static OvsdbDatum ReadDatum(JsonElement e, OvsdbColumnType? type = null)
    {
        if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0 && e[0].ValueKind == JsonValueKind.String)
        {
            string tag = e[0].GetString()!;
            if (tag == "set")
            {
                JsonElement members = Payload(e, "set");
                var atoms = new List<OvsdbAtom>(members.GetArrayLength());
                foreach (JsonElement m in members.EnumerateArray())
                {
                    atoms.Add(ReadAtom(m, type?.Key));
                }

                if (type is { IsMap: true } && atoms.Count > 0)
                {
                    throw new OvsdbProtocolException($"expected a map, got a set {Abbreviate(e)}");
                }

                OvsdbDatum set = type is { IsMap: true } ? OvsdbDatum.EmptyMap : OvsdbDatum.Set(atoms);
                if (set.Count != atoms.Count)
                {
                    throw new OvsdbProtocolException($"set has duplicate members {Abbreviate(e)}");
                }

                return set;
            }

            if (tag == "map")
            {
                if (type is { IsMap: false })
                {
                    throw new OvsdbProtocolException($"expected {(type.Max == 1 ? "an atom" : "a set")}, got a map {Abbreviate(e)}");
                }

                JsonElement pairs = Payload(e, "map");
                var list = new List<KeyValuePair<OvsdbAtom, OvsdbAtom>>(pairs.GetArrayLength());
                foreach (JsonElement p in pairs.EnumerateArray())
                {
                    if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() != 2)
                    {
                        throw new OvsdbProtocolException($"a map pair is a 2-element array, got {Abbreviate(p)}");
                    }

                    list.Add(new(ReadAtom(p[0], type?.Key), ReadAtom(p[1], type?.Value)));
                }

                try
                {
                    return OvsdbDatum.Map(list);
                }
                catch (ArgumentException x)
                {
                    throw new OvsdbProtocolException(x.Message.Split(" (Parameter")[0], x);
                }
            }
        }

        if (type is { IsMap: true })
        {
            throw new OvsdbProtocolException($"expected a map, got {Abbreviate(e)}");
        }

        return OvsdbDatum.Atom(ReadAtom(e, type?.Key));
    }

    /// <summary>Reads a row: an object of column to datum, each checked against <paramref name="table"/>'s column type
    /// when the table is given and has the column.</summary>
    public static OvsdbRow ReadRow(JsonElement e, OvsdbTableSchema? table = null)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new OvsdbProtocolException($"a row is a JSON object, got {Abbreviate(e)}");
        }

        var columns = new List<KeyValuePair<string, OvsdbDatum>>();
        foreach (JsonProperty p in e.EnumerateObject())
        {
            OvsdbColumnType? type = table is not null && table.Columns.TryGetValue(p.Name, out OvsdbColumnSchema? c) ? c.Type : null;
            try
            {
                columns.Add(new(p.Name, ReadDatum(p.Value, type)));
            }
            catch (OvsdbProtocolException x)
            {
                throw new OvsdbProtocolException($"{(table is null ? "" : table.Name + ".")}{p.Name}: {x.Message}", x);
            }
        }

        return new OvsdbRow(columns);
    }

    /// <summary>Parses a UUID in RFC 4122's text form, as OVSDB writes it.</summary>
    public static Guid ParseUuid(string s) =>
        Guid.TryParseExact(s, "D", out Guid g) ? g : throw new OvsdbProtocolException($"\"{s}\" is not a UUID");

    internal static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            write(w);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The first 200 characters of an element's text, for error messages about large values.</summary>
    internal static string Abbreviate(JsonElement e)
    {
        string raw = e.GetRawText();
        return raw.Length <= 200 ? raw : raw[..200] + "…";
    }

    private static OvsdbAtom ReadUntypedAtom(JsonElement e, bool numberIsReal)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                if (!numberIsReal && e.TryGetInt64(out long i))
                {
                    return OvsdbAtom.FromInteger(i);
                }

                if (!numberIsReal && IsIntegerToken(e.GetRawText()))
                {
                    throw new OvsdbProtocolException($"integer {e.GetRawText()} is out of range");
                }

                double d = e.GetDouble();
                return double.IsFinite(d) ? OvsdbAtom.FromReal(d) : throw new OvsdbProtocolException($"real {e.GetRawText()} is out of range");
            case JsonValueKind.String:
                return OvsdbAtom.FromString(GetString(e));
            case JsonValueKind.True:
                return OvsdbAtom.FromBoolean(true);
            case JsonValueKind.False:
                return OvsdbAtom.FromBoolean(false);
            case JsonValueKind.Array when e.GetArrayLength() == 2 && e[0].ValueKind == JsonValueKind.String && e[1].ValueKind == JsonValueKind.String:
                string tag = GetString(e[0]);
                string value = GetString(e[1]);
                if (tag == "uuid")
                {
                    return OvsdbAtom.FromUuid(ParseUuid(value));
                }

                if (tag == "named-uuid")
                {
                    return OvsdbNames.IsValidId(value) ? OvsdbAtom.FromNamedUuid(value) : throw new OvsdbProtocolException($"\"{value}\" is not a valid named-uuid");
                }

                break;
        }

        throw new OvsdbProtocolException($"not an OVSDB atom: {Abbreviate(e)}");
    }

    /// <summary>A JSON string's value; a lone surrogate escape (<c>"\ud800"</c>) is valid JSON but no Unicode string.</summary>
    private static string GetString(JsonElement e)
    {
        try
        {
            return e.GetString()!;
        }
        catch (InvalidOperationException x)
        {
            throw new OvsdbProtocolException($"string {Abbreviate(e)} is not valid Unicode", x);
        }
    }

    private static bool IsIntegerToken(string raw) => raw.All(c => char.IsAsciiDigit(c) || c == '-');

    private static JsonElement Payload(JsonElement e, string tag)
    {
        if (e.GetArrayLength() != 2 || e[1].ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbProtocolException($"\"{tag}\" takes one array: [\"{tag}\", […]], got {Abbreviate(e)}");
        }

        return e[1];
    }

    private static string Describe(OvsdbAtomKind k) => k switch
    {
        OvsdbAtomKind.Integer => "an integer",
        OvsdbAtomKind.Real => "a real",
        OvsdbAtomKind.Boolean => "a boolean",
        OvsdbAtomKind.String => "a string",
        OvsdbAtomKind.Uuid => "a uuid",
        _ => "a named-uuid",
    };
}
