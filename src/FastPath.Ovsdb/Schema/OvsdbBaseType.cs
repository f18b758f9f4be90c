using System.Collections.Immutable;
using FastPath.Ovsdb.Data;

namespace FastPath.Ovsdb.Schema;

/// <summary>A column's key or value type (RFC 7047 §3.2 <c>&lt;base-type&gt;</c>): an atomic type and its constraints.</summary>
/// <param name="Kind">The atomic type (never <see cref="OvsdbAtomKind.NamedUuid"/>).</param>
/// <param name="Enum">The allowed values, when the schema lists them.</param>
/// <param name="MinInteger">Smallest integer allowed.</param>
/// <param name="MaxInteger">Largest integer allowed.</param>
/// <param name="MinReal">Smallest real allowed.</param>
/// <param name="MaxReal">Largest real allowed.</param>
/// <param name="MinLength">Shortest string allowed (in Unicode characters).</param>
/// <param name="MaxLength">Longest string allowed.</param>
/// <param name="RefTable">For a UUID, the table it refers to.</param>
/// <param name="IsStrongRef">For a reference, whether it is strong (the default) or weak.</param>
public sealed record OvsdbBaseType(
    OvsdbAtomKind Kind,
    ImmutableArray<OvsdbAtom>? Enum = null,
    long? MinInteger = null,
    long? MaxInteger = null,
    double? MinReal = null,
    double? MaxReal = null,
    long? MinLength = null,
    long? MaxLength = null,
    string? RefTable = null,
    bool IsStrongRef = true);
