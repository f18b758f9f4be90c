using System.Collections.Immutable;

namespace FastPath.Ovsdb.Transactions;

/// <summary>The results of a successful transaction, one per operation, in order.</summary>
/// <param name="Results">One result per operation.</param>
/// <param name="NamedUuids">For every insert that named its row, the UUID the server gave it.</param>
public sealed record OvsdbTransactionResult(ImmutableArray<OvsdbOperationResult> Results, ImmutableDictionary<string, Guid> NamedUuids)
{
    /// <summary>The UUID the server gave the row inserted as <paramref name="uuidName"/>.</summary>
    public Guid this[string uuidName] => NamedUuids.TryGetValue(uuidName, out Guid g) ? g : throw new KeyNotFoundException($"no insert named \"{uuidName}\"");
}
