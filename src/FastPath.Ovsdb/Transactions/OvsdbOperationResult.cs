using System.Collections.Immutable;
using FastPath.Ovsdb.Data;

namespace FastPath.Ovsdb.Transactions;

/// <summary>The result of one operation (RFC 7047 §5.2): the new row's UUID (insert), the number of rows touched
/// (update, mutate, delete), the rows (select), or an error.</summary>
/// <param name="Uuid">An insert's new row.</param>
/// <param name="Count">Rows touched by update, mutate or delete.</param>
/// <param name="Rows">A select's rows.</param>
/// <param name="Error">The error's name ("constraint violation", "timed out", …) when the operation failed.</param>
/// <param name="Details">The error's explanation.</param>
public sealed record OvsdbOperationResult(Guid? Uuid, long? Count, ImmutableArray<OvsdbRow>? Rows, string? Error, string? Details)
{
    /// <summary>True when the operation failed.</summary>
    public bool Failed => Error is not null;
}
