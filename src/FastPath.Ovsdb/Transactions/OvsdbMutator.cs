namespace FastPath.Ovsdb.Transactions;

/// <summary>The mutators of RFC 7047 §5.1 <c>&lt;mutation&gt;</c>.</summary>
public enum OvsdbMutator
{
    /// <summary><c>+=</c></summary>
    Add,

    /// <summary><c>-=</c></summary>
    Subtract,

    /// <summary><c>*=</c></summary>
    Multiply,

    /// <summary><c>/=</c></summary>
    Divide,

    /// <summary><c>%=</c></summary>
    Modulo,

    /// <summary><c>insert</c>: add elements to a set or pairs to a map.</summary>
    Insert,

    /// <summary><c>delete</c>: remove elements from a set, or pairs (or keys, given a set) from a map.</summary>
    Delete,
}
