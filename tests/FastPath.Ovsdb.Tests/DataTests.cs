using System.Text.Json;
using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Schema;
using FastPath.Ovsdb.Transactions;

namespace FastPath.Ovsdb.Tests;

/// <summary>RFC 7047 §5.1's encodings, both ways, and the errors for what breaks them.</summary>
public class DataTests
{
    private static readonly Guid U = Guid.Parse("6f1fd4b2-76a9-4c4b-9c9a-5b3e1e8c2b11");
    private static readonly OvsdbColumnType IntegerScalar = Type(OvsdbAtomKind.Integer, 1, 1);
    private static readonly OvsdbColumnType RealSet = Type(OvsdbAtomKind.Real, 0, null);
    private static readonly OvsdbColumnType StringMap = new(new OvsdbBaseType(OvsdbAtomKind.String), new OvsdbBaseType(OvsdbAtomKind.String), 0, null);

    private static OvsdbColumnType Type(OvsdbAtomKind k, int min, long? max) => new(new OvsdbBaseType(k), null, min, max);

    [Fact]
    public void Atoms_sets_and_maps_encode_as_rfc_7047_says()
    {
        Assert.Equal("42", OvsdbJson.ToJson(OvsdbDatum.Atom(42)));
        Assert.Equal("-1.5", OvsdbJson.ToJson(OvsdbDatum.Atom(-1.5)));
        Assert.Equal("true", OvsdbJson.ToJson(OvsdbDatum.Atom(true)));
        Assert.Equal("\"a\\\"b\\u0001é+<\"", OvsdbJson.ToJson(OvsdbDatum.Atom("a\"b\u0001é+<")));
        Assert.Equal("[\"uuid\",\"6f1fd4b2-76a9-4c4b-9c9a-5b3e1e8c2b11\"]", OvsdbJson.ToJson(OvsdbDatum.Atom(U)));
        Assert.Equal("[\"named-uuid\",\"row_1\"]", OvsdbJson.ToJson(OvsdbDatum.Atom(OvsdbAtom.FromNamedUuid("row_1"))));

        // A set of one is the bare atom; other sets are tagged and sorted; maps are tagged pairs sorted by key.
        Assert.Equal("[\"set\",[]]", OvsdbJson.ToJson(OvsdbDatum.Empty));
        Assert.Equal("[\"set\",[1,2,3]]", OvsdbJson.ToJson(OvsdbDatum.Set(3, 1, 2, 3)));
        Assert.Equal("[\"map\",[]]", OvsdbJson.ToJson(OvsdbDatum.EmptyMap));
        Assert.Equal("[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]", OvsdbJson.ToJson(OvsdbDatum.Map([KeyValuePair.Create("b", "2"), KeyValuePair.Create("a", "1")])));
        Assert.Equal("[\"map\",[[\"rx\",10]]]", OvsdbJson.ToJson(OvsdbDatum.Map([KeyValuePair.Create("rx", 10L)])));
        Assert.Throws<ArgumentException>(() => OvsdbDatum.Map([KeyValuePair.Create("a", "1"), KeyValuePair.Create("a", "2")]));
        Assert.Throws<ArgumentException>(() => OvsdbAtom.FromNamedUuid("1row"));
        Assert.Throws<ArgumentOutOfRangeException>(() => OvsdbAtom.FromReal(double.NaN));
    }

    [Fact]
    public void Decoding_follows_the_column_type()
    {
        Assert.Equal(OvsdbDatum.Atom(1.0), OvsdbJson.ParseDatum("1", RealSet));
        Assert.Equal(OvsdbDatum.Atom(1), OvsdbJson.ParseDatum("1"));
        Assert.Equal(OvsdbDatum.Atom(1.5), OvsdbJson.ParseDatum("1.5"));
        Assert.Equal(OvsdbDatum.Set(1.0, 2.5), OvsdbJson.ParseDatum("[\"set\",[2.5,1]]", RealSet));
        Assert.Equal(OvsdbDatum.Atom(U), OvsdbJson.ParseDatum("[\"uuid\",\"6F1FD4B2-76A9-4C4B-9C9A-5B3E1E8C2B11\"]"));
        Assert.Equal(OvsdbDatum.EmptyMap, OvsdbJson.ParseDatum("[\"set\",[]]", StringMap));
        Assert.Equal(OvsdbDatum.EmptyMap, OvsdbJson.ParseDatum("[\"map\",[]]", StringMap));
        Assert.Equal(long.MinValue, OvsdbJson.ParseDatum("-9223372036854775808", IntegerScalar).AsInteger());
        OvsdbDatum map = OvsdbJson.ParseDatum("[\"map\",[[\"n_rxq\",\"2\"],[\"xdp-mode\",\"native\"]]]", StringMap);
        Assert.Equal("native", map.AsStringMap()["xdp-mode"]);
        Assert.Equal("{n_rxq=2, xdp-mode=native}", map.ToString());
    }

    [Theory]
    [InlineData("1.5", "integer", "expected an integer, got a real 1.5")]
    [InlineData("\"x\"", "integer", "expected an integer, got a string")]
    [InlineData("99999999999999999999", "integer", "integer 99999999999999999999 is out of range")]
    [InlineData("1e400", "real", "real 1e400 is out of range")]
    [InlineData("[\"set\",[1,1]]", "integer", "set has duplicate members")]
    [InlineData("[\"set\",1]", "integer", "\"set\" takes one array")]
    [InlineData("[\"map\",[[\"a\",\"1\"],[\"a\",\"2\"]]]", "map", "map key a appears twice")]
    [InlineData("[\"map\",[[\"a\"]]]", "map", "a map pair is a 2-element array")]
    [InlineData("[\"map\",[[\"a\",1]]]", "map", "expected a string, got an integer")]
    [InlineData("\"a\"", "map", "expected a map")]
    [InlineData("[\"set\",[\"a\"]]", "map", "expected a map, got a set")]
    [InlineData("[\"map\",[]]", "integer", "expected an atom, got a map")]
    [InlineData("[\"uuid\",\"zzz\"]", "uuid", "\"zzz\" is not a UUID")]
    [InlineData("[\"named-uuid\",\"1x\"]", "uuid", "\"1x\" is not a valid named-uuid")]
    [InlineData("{\"a\":1}", null, "not an OVSDB atom")]
    [InlineData("null", null, "not an OVSDB atom")]
    [InlineData("[\"tuple\",[]]", null, "not an OVSDB atom")]
    [InlineData("\"\\ud800\"", "string", "is not valid Unicode")]
    [InlineData("[1,", null, "malformed JSON")]
    public void Malformed_values_are_clear_errors(string json, string? type, string expected)
    {
        OvsdbColumnType? t = type switch
        {
            "integer" => IntegerScalar,
            "real" => RealSet,
            "map" => StringMap,
            "uuid" => Type(OvsdbAtomKind.Uuid, 0, null),
            "string" => Type(OvsdbAtomKind.String, 1, 1),
            _ => null,
        };
        OvsdbProtocolException e = Assert.Throws<OvsdbProtocolException>(() => OvsdbJson.ParseDatum(json, t));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Datums_round_trip_through_json_and_compare_by_value()
    {
        var random = new Random(7);
        OvsdbAtom RandomAtom(OvsdbAtomKind k) => k switch
        {
            OvsdbAtomKind.Integer => random.NextInt64(long.MinValue, long.MaxValue),
            OvsdbAtomKind.Real => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20)),
            OvsdbAtomKind.Boolean => random.Next(2) == 0,
            OvsdbAtomKind.String => new string(Enumerable.Range(0, random.Next(0, 8)).Select(_ => (char)random.Next(1, 0x3000)).Where(c => !char.IsSurrogate(c)).ToArray()),
            _ => Guid.NewGuid(),
        };
        OvsdbAtomKind[] kinds = [OvsdbAtomKind.Integer, OvsdbAtomKind.Real, OvsdbAtomKind.Boolean, OvsdbAtomKind.String, OvsdbAtomKind.Uuid];
        for (int i = 0; i < 500; i++)
        {
            OvsdbAtomKind k = kinds[random.Next(kinds.Length)];
            OvsdbAtomKind v = kinds[random.Next(kinds.Length)];
            bool isMap = random.Next(2) == 0;
            int n = random.Next(0, 5);
            OvsdbColumnType type = new(new OvsdbBaseType(k), isMap ? new OvsdbBaseType(v) : null, 0, null);
            OvsdbDatum datum = isMap
                ? OvsdbDatum.Map(Enumerable.Range(0, n).Select(_ => RandomAtom(k)).Distinct().Select(a => KeyValuePair.Create(a, RandomAtom(v))))
                : OvsdbDatum.Set(Enumerable.Range(0, n).Select(_ => RandomAtom(k)));
            string json = OvsdbJson.ToJson(datum);
            OvsdbDatum back = OvsdbJson.ParseDatum(json, type);
            Assert.Equal(datum, back);
            Assert.Equal(datum.GetHashCode(), back.GetHashCode());
            Assert.Equal(json, OvsdbJson.ToJson(back));
        }

        Assert.Equal(OvsdbDatum.Set("b", "a"), OvsdbDatum.Set("a", "b", "a"));
        Assert.NotEqual(OvsdbDatum.Empty, OvsdbDatum.EmptyMap);
        Assert.NotEqual(OvsdbDatum.Atom(1), OvsdbDatum.Atom(1.0));
    }

    [Fact]
    public void Operations_encode_as_rfc_7047_section_5_2_says()
    {
        string Json(OvsdbOperation op) => OvsdbJson.Write(op.WriteTo);
        Assert.Equal(
            """{"op":"insert","table":"Port","row":{"interfaces":["named-uuid","i"],"name":"p"},"uuid-name":"p1"}""",
            Json(new OvsdbInsert("Port", new SortedDictionary<string, OvsdbDatum>(StringComparer.Ordinal) { ["name"] = OvsdbDatum.Atom("p"), ["interfaces"] = OvsdbDatum.Atom(OvsdbAtom.FromNamedUuid("i")) }, "p1")));
        Assert.Equal(
            """{"op":"select","table":"Bridge","where":[["_uuid","==",["uuid","6f1fd4b2-76a9-4c4b-9c9a-5b3e1e8c2b11"]],["ports","includes",["set",[]]]],"columns":["name"]}""",
            Json(new OvsdbSelect("Bridge", [OvsdbCondition.Row(U), new("ports", OvsdbConditionFunction.Includes, OvsdbDatum.Empty)], ["name"])));
        Assert.Equal(
            """{"op":"mutate","table":"Interface","where":[],"mutations":[["mtu_request","+=",1],["options","delete",["set",["a","b"]]]]}""",
            Json(new OvsdbMutate("Interface", [], [new("mtu_request", OvsdbMutator.Add, OvsdbDatum.Atom(1)), new("options", OvsdbMutator.Delete, OvsdbDatum.Set("b", "a"))])));
        Assert.Equal(
            """{"op":"wait","timeout":0,"table":"Bridge","where":[],"columns":["name"],"until":"!=","rows":[{"name":"br0"}]}""",
            Json(new OvsdbWait("Bridge", [], ["name"], "!=", [new OvsdbRow([KeyValuePair.Create("name", OvsdbDatum.Atom("br0"))])])));
        Assert.Equal("""{"op":"delete","table":"Bridge","where":[["name","!=","x"]]}""", Json(new OvsdbDelete("Bridge", [new("name", OvsdbConditionFunction.NotEqual, OvsdbDatum.Atom("x"))])));
        Assert.Equal("""{"op":"commit","durable":true}""", Json(new OvsdbCommit(true)));
        Assert.Equal("""{"op":"comment","comment":"hi"}""", Json(new OvsdbComment("hi")));
        Assert.Equal("""{"op":"assert","lock":"l"}""", Json(new OvsdbAssert("l")));
        Assert.Equal("""{"op":"abort"}""", Json(new OvsdbAbort()));
    }

    [Theory]
    [InlineData("""{"tables":{}}""", "the schema lacks the string \"name\"")]
    [InlineData("""{"name":"X"}""", "the schema lacks \"tables\"")]
    [InlineData("""{"name":"X","tables":{"T":{}}}""", "table T lacks \"columns\"")]
    [InlineData("""{"name":"X","tables":{"T":{"columns":{"c":{}}}}}""", "column T.c lacks \"type\"")]
    [InlineData("""{"name":"X","tables":{"T":{"columns":{"c":{"type":{"key":"string","min":2}}}}}}""", "min 2 and max 1 are not a valid range")]
    [InlineData("""{"name":"X","tables":{"T":{"columns":{"c":{"type":{"key":{"type":"uuid","refType":"soft"}}}}}}}""", "refType is \"strong\" or \"weak\"")]
    [InlineData("""{"name":"X","tables":{"T":{"columns":{"c":{"type":{"key":{"type":"string","enum":["set",[1]]}}}}}}}""", "expected a string, got an integer")]
    [InlineData("""{"name":"X",""", "malformed schema JSON")]
    public void Malformed_schemas_are_clear_errors(string json, string expected)
    {
        OvsdbProtocolException e = Assert.Throws<OvsdbProtocolException>(() => OvsdbSchema.Parse(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_vswitch_schema_file_parses_with_every_type_form()
    {
        OvsdbSchema s = OvsdbSchema.Parse(File.ReadAllText(OvsdbServer.VswitchSchema));
        Assert.Equal("Open_vSwitch", s.Name);
        OvsdbColumnType vlanMode = s.Table("Port").Column("vlan_mode").Type;
        Assert.Equal(5, vlanMode.Key.Enum!.Value.Length);
        OvsdbColumnType tag = s.Table("Port").Column("tag").Type;
        Assert.Equal((0L, 4095L), (tag.Key.MinInteger, tag.Key.MaxInteger));
        Assert.False(s.Table("Bridge").Column("mirrors").Type.Key.IsStrongRef == false);
        Assert.False(s.Table("Flow_Sample_Collector_Set").Column("bridge").Type.IsMap);
        Assert.Contains(s.Tables.Values.SelectMany(t => t.Columns.Values), c => c.Ephemeral);
        Assert.Contains(s.Tables.Values.SelectMany(t => t.Columns.Values), c => c.Type.Key.IsStrongRef == false);
        Assert.Throws<KeyNotFoundException>(() => s.Table("Nope"));
        Assert.Contains("no column \"nope\"", Assert.Throws<KeyNotFoundException>(() => s.Table("Bridge").Column("nope")).Message);
        _ = JsonDocument.Parse("{}");
    }
}
