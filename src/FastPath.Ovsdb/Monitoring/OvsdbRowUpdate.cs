using FastPath.Ovsdb.Data;

namespace FastPath.Ovsdb.Monitoring;

/// <summary>One row's change (RFC 7047 §4.1.6 <c>&lt;row-update&gt;</c>): <see cref="New"/> alone for an insert or the
/// initial contents, <see cref="Old"/> alone for a delete, both for a modify (Old then holds only the columns that
/// changed, with their previous values).</summary>
/// <param name="Old">The previous values.</param>
/// <param name="New">The new values.</param>
public sealed record OvsdbRowUpdate(OvsdbRow? Old, OvsdbRow? New)
{
    /// <summary>True for an insert (or initial row).</summary>
    public bool IsInsert => Old is null && New is not null;

    /// <summary>True for a delete.</summary>
    public bool IsDelete => New is null;
}
