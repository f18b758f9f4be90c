using System.Text.Json;
using FastPath.Ovsdb.Data;

namespace FastPath.Ovsdb.Transactions;

/// <summary>One term of a "where" clause (RFC 7047 §5.1): <c>[column, function, value]</c>.</summary>
/// <param name="Column">The column compared.</param>
/// <param name="Function">How.</param>
/// <param name="Value">With what.</param>
public sealed record OvsdbCondition(string Column, OvsdbConditionFunction Function, OvsdbDatum Value)
{
    /// <summary><c>[column, "==", value]</c></summary>
    public static OvsdbCondition Equal(string column, OvsdbDatum value) => new(column, OvsdbConditionFunction.Equal, value);

    /// <summary><c>[column, "==", atom]</c></summary>
    public static OvsdbCondition Equal(string column, OvsdbAtom value) => new(column, OvsdbConditionFunction.Equal, OvsdbDatum.Atom(value));

    /// <summary>The row whose UUID is <paramref name="uuid"/>: <c>["_uuid", "==", ["uuid", …]]</c>.</summary>
    public static OvsdbCondition Row(Guid uuid) => Equal("_uuid", OvsdbAtom.FromUuid(uuid));

    internal void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        w.WriteStringValue(Column);
        w.WriteStringValue(Function switch
        {
            OvsdbConditionFunction.LessThan => "<",
            OvsdbConditionFunction.LessOrEqual => "<=",
            OvsdbConditionFunction.Equal => "==",
            OvsdbConditionFunction.NotEqual => "!=",
            OvsdbConditionFunction.GreaterOrEqual => ">=",
            OvsdbConditionFunction.GreaterThan => ">",
            OvsdbConditionFunction.Includes => "includes",
            OvsdbConditionFunction.Excludes => "excludes",
            _ => throw new ArgumentOutOfRangeException(nameof(Function)),
        });
        OvsdbJson.WriteDatum(w, Value);
        w.WriteEndArray();
    }
}
