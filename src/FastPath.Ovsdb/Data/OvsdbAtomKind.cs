namespace FastPath.Ovsdb.Data;

/// <summary>The atomic types of RFC 7047 §3.1, plus the named UUID that only a transaction may carry.</summary>
public enum OvsdbAtomKind
{
    /// <summary>A 64-bit signed integer.</summary>
    Integer,

    /// <summary>An IEEE 754 double.</summary>
    Real,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A Unicode string.</summary>
    String,

    /// <summary>A row's UUID: <c>["uuid", "…"]</c>.</summary>
    Uuid,

    /// <summary>The name an insert in the same transaction gave its row: <c>["named-uuid", "…"]</c>.</summary>
    NamedUuid,
}
