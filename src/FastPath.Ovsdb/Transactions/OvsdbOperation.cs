using System.Text.Json;
using FastPath.Ovsdb.Data;

namespace FastPath.Ovsdb.Transactions;

/// <summary>One operation of a "transact" request (RFC 7047 §5.2).</summary>
public abstract record OvsdbOperation
{
    private protected OvsdbOperation()
    {
    }

    /// <summary>The operation's "op" member.</summary>
    public abstract string Op { get; }

    internal void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("op", Op);
        WriteMembers(w);
        w.WriteEndObject();
    }

    private protected abstract void WriteMembers(Utf8JsonWriter w);

    private protected static void WriteWhere(Utf8JsonWriter w, IReadOnlyList<OvsdbCondition> where)
    {
        w.WriteStartArray("where");
        foreach (OvsdbCondition c in where)
        {
            c.WriteTo(w);
        }

        w.WriteEndArray();
    }

    private protected static void WriteColumns(Utf8JsonWriter w, IReadOnlyList<string>? columns)
    {
        if (columns is null)
        {
            return;
        }

        w.WriteStartArray("columns");
        foreach (string c in columns)
        {
            w.WriteStringValue(c);
        }

        w.WriteEndArray();
    }
}

/// <summary>"insert" (§5.2.1): a new row; <see cref="UuidName"/> lets later operations refer to it as a named UUID.</summary>
/// <param name="Table">The table.</param>
/// <param name="Row">The columns given (the others take their defaults).</param>
/// <param name="UuidName">The row's name in this transaction, if any.</param>
public sealed record OvsdbInsert(string Table, IReadOnlyDictionary<string, OvsdbDatum> Row, string? UuidName = null) : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "insert";

    private protected override void WriteMembers(Utf8JsonWriter w)
    {
        w.WriteString("table", Table);
        w.WritePropertyName("row");
        OvsdbJson.WriteRow(w, Row);
        if (UuidName is not null)
        {
            w.WriteString("uuid-name", UuidName);
        }
    }
}

/// <summary>"select" (§5.2.2): the rows matching <see cref="Where"/>, with <see cref="Columns"/> (all when null).</summary>
/// <param name="Table">The table.</param>
/// <param name="Where">The conditions, all of which must hold.</param>
/// <param name="Columns">The columns returned; null for all.</param>
public sealed record OvsdbSelect(string Table, IReadOnlyList<OvsdbCondition> Where, IReadOnlyList<string>? Columns = null) : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "select";

    private protected override void WriteMembers(Utf8JsonWriter w)
    {
        w.WriteString("table", Table);
        WriteWhere(w, Where);
        WriteColumns(w, Columns);
    }
}

/// <summary>"update" (§5.2.3): sets <see cref="Row"/>'s columns in every row matching <see cref="Where"/>.</summary>
/// <param name="Table">The table.</param>
/// <param name="Where">The conditions, all of which must hold.</param>
/// <param name="Row">The columns set.</param>
public sealed record OvsdbUpdate(string Table, IReadOnlyList<OvsdbCondition> Where, IReadOnlyDictionary<string, OvsdbDatum> Row) : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "update";

    private protected override void WriteMembers(Utf8JsonWriter w)
    {
        w.WriteString("table", Table);
        WriteWhere(w, Where);
        w.WritePropertyName("row");
        OvsdbJson.WriteRow(w, Row);
    }
}

/// <summary>"mutate" (§5.2.4): applies <see cref="Mutations"/> to every row matching <see cref="Where"/>.</summary>
/// <param name="Table">The table.</param>
/// <param name="Where">The conditions, all of which must hold.</param>
/// <param name="Mutations">The changes, in order.</param>
public sealed record OvsdbMutate(string Table, IReadOnlyList<OvsdbCondition> Where, IReadOnlyList<OvsdbMutation> Mutations) : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "mutate";

    private protected override void WriteMembers(Utf8JsonWriter w)
    {
        w.WriteString("table", Table);
        WriteWhere(w, Where);
        w.WriteStartArray("mutations");
        foreach (OvsdbMutation m in Mutations)
        {
            m.WriteTo(w);
        }

        w.WriteEndArray();
    }
}

/// <summary>"delete" (§5.2.5): removes every row matching <see cref="Where"/>.</summary>
/// <param name="Table">The table.</param>
/// <param name="Where">The conditions, all of which must hold.</param>
public sealed record OvsdbDelete(string Table, IReadOnlyList<OvsdbCondition> Where) : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "delete";

    private protected override void WriteMembers(Utf8JsonWriter w)
    {
        w.WriteString("table", Table);
        WriteWhere(w, Where);
    }
}

/// <summary>"wait" (§5.2.6): waits (up to <see cref="TimeoutMs"/>) until the rows matching <see cref="Where"/>,
/// projected on <see cref="Columns"/>, are (<c>Until == "=="</c>) or are not (<c>"!="</c>) exactly <see cref="Rows"/>.</summary>
/// <param name="Table">The table.</param>
/// <param name="Where">The conditions, all of which must hold.</param>
/// <param name="Columns">The columns compared.</param>
/// <param name="Until">"==" or "!=".</param>
/// <param name="Rows">The expected rows.</param>
/// <param name="TimeoutMs">How long the server waits; 0 fails at once, null waits forever.</param>
public sealed record OvsdbWait(string Table, IReadOnlyList<OvsdbCondition> Where, IReadOnlyList<string> Columns, string Until, IReadOnlyList<OvsdbRow> Rows, long? TimeoutMs = 0) : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "wait";

    private protected override void WriteMembers(Utf8JsonWriter w)
    {
        if (Until is not ("==" or "!="))
        {
            throw new ArgumentException("until is \"==\" or \"!=\"", nameof(Until));
        }

        if (TimeoutMs is { } t)
        {
            w.WriteNumber("timeout", t);
        }

        w.WriteString("table", Table);
        WriteWhere(w, Where);
        WriteColumns(w, Columns);
        w.WriteString("until", Until);
        w.WriteStartArray("rows");
        foreach (OvsdbRow r in Rows)
        {
            OvsdbJson.WriteRow(w, r);
        }

        w.WriteEndArray();
    }
}

/// <summary>"commit" (§5.2.7): with <see cref="Durable"/>, the reply waits until the change is on disk.</summary>
/// <param name="Durable">Whether to wait for durability.</param>
public sealed record OvsdbCommit(bool Durable) : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "commit";

    private protected override void WriteMembers(Utf8JsonWriter w) => w.WriteBoolean("durable", Durable);
}

/// <summary>"abort" (§5.2.8): fails the transaction (error "aborted"); useful in tests.</summary>
public sealed record OvsdbAbort : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "abort";

    private protected override void WriteMembers(Utf8JsonWriter w)
    {
    }
}

/// <summary>"comment" (§5.2.9): text the server logs with the transaction.</summary>
/// <param name="Comment">The text.</param>
public sealed record OvsdbComment(string Comment) : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "comment";

    private protected override void WriteMembers(Utf8JsonWriter w) => w.WriteString("comment", Comment);
}

/// <summary>"assert" (§5.2.10): fails the transaction (error "not owner") unless this client holds <see cref="Lock"/>.</summary>
/// <param name="Lock">The lock's name.</param>
public sealed record OvsdbAssert(string Lock) : OvsdbOperation
{
    /// <inheritdoc/>
    public override string Op => "assert";

    private protected override void WriteMembers(Utf8JsonWriter w) => w.WriteString("lock", Lock);
}
