using System.Collections.Immutable;
using FastPath.Ovsdb.Data;

namespace FastPath.Ovsdb.Replication;

/// <summary>One row's change in the replica, with whole rows (unlike the wire's partial "old").</summary>
/// <param name="Old">The row before; null when inserted.</param>
/// <param name="New">The row after; null when deleted.</param>
/// <param name="ChangedColumns">The columns whose value differs (every column for an insert or delete).</param>
public sealed record OvsdbRowChange(OvsdbRow? Old, OvsdbRow? New, ImmutableArray<string> ChangedColumns)
{
    /// <summary>True for a row that appeared.</summary>
    public bool IsInsert => Old is null;

    /// <summary>True for a row that disappeared.</summary>
    public bool IsDelete => New is null;

    /// <summary>True for a row whose columns changed.</summary>
    public bool IsModify => Old is not null && New is not null;
}
