namespace FastPath.Ovsdb.Transactions;

/// <summary>The functions of RFC 7047 §5.1 <c>&lt;condition&gt;</c>.</summary>
public enum OvsdbConditionFunction
{
    /// <summary><c>&lt;</c></summary>
    LessThan,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>==</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>&gt;</c></summary>
    GreaterThan,

    /// <summary><c>includes</c>: the column's value is a superset of the given one.</summary>
    Includes,

    /// <summary><c>excludes</c>: the column's value has nothing in common with the given one.</summary>
    Excludes,
}
