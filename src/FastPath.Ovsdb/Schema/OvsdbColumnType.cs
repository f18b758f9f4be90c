namespace FastPath.Ovsdb.Schema;

/// <summary>A column's type (RFC 7047 §3.2 <c>&lt;type&gt;</c>): key type, optional value type (a map), and how many
/// elements it holds.</summary>
/// <param name="Key">The type of the set's members or the map's keys.</param>
/// <param name="Value">The map's value type; null for a set or scalar.</param>
/// <param name="Min">The fewest elements (0 or 1).</param>
/// <param name="Max">The most elements; null for "unlimited".</param>
public sealed record OvsdbColumnType(OvsdbBaseType Key, OvsdbBaseType? Value, int Min, long? Max)
{
    /// <summary>True for a map.</summary>
    public bool IsMap => Value is not null;

    /// <summary>True when the column holds exactly one atom.</summary>
    public bool IsScalar => Value is null && Min == 1 && Max == 1;

    /// <summary>True when the column holds zero or one atom.</summary>
    public bool IsOptional => Value is null && Min == 0 && Max == 1;
}
