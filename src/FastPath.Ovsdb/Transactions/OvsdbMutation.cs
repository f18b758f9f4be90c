using System.Text.Json;
using FastPath.Ovsdb.Data;

namespace FastPath.Ovsdb.Transactions;

/// <summary>One change of a "mutate" operation (RFC 7047 §5.1): <c>[column, mutator, value]</c>.</summary>
/// <param name="Column">The column changed.</param>
/// <param name="Mutator">How.</param>
/// <param name="Value">With what.</param>
public sealed record OvsdbMutation(string Column, OvsdbMutator Mutator, OvsdbDatum Value)
{
    internal void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        w.WriteStringValue(Column);
        w.WriteStringValue(Mutator switch
        {
            OvsdbMutator.Add => "+=",
            OvsdbMutator.Subtract => "-=",
            OvsdbMutator.Multiply => "*=",
            OvsdbMutator.Divide => "/=",
            OvsdbMutator.Modulo => "%=",
            OvsdbMutator.Insert => "insert",
            OvsdbMutator.Delete => "delete",
            _ => throw new ArgumentOutOfRangeException(nameof(Mutator)),
        });
        OvsdbJson.WriteDatum(w, Value);
        w.WriteEndArray();
    }
}
