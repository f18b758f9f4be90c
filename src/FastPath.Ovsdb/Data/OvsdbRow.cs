using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace FastPath.Ovsdb.Data;

/// <summary>A row's columns (RFC 7047's <c>&lt;row&gt;</c>): column name to value. Immutable.</summary>
public sealed class OvsdbRow : IReadOnlyDictionary<string, OvsdbDatum>, IEquatable<OvsdbRow>
{
    private readonly ImmutableSortedDictionary<string, OvsdbDatum> _columns;

    /// <summary>A row holding <paramref name="columns"/>.</summary>
    public OvsdbRow(IEnumerable<KeyValuePair<string, OvsdbDatum>> columns) =>
        _columns = columns.ToImmutableSortedDictionary(StringComparer.Ordinal);

    private OvsdbRow(ImmutableSortedDictionary<string, OvsdbDatum> columns) => _columns = columns;

    /// <summary>The row with no column.</summary>
    public static OvsdbRow Empty { get; } = new(ImmutableSortedDictionary.Create<string, OvsdbDatum>(StringComparer.Ordinal));

    /// <inheritdoc/>
    public OvsdbDatum this[string key] => _columns.TryGetValue(key, out OvsdbDatum? d) ? d : throw new KeyNotFoundException($"the row has no column \"{key}\"");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _columns.Keys;

    /// <inheritdoc/>
    public IEnumerable<OvsdbDatum> Values => _columns.Values;

    /// <inheritdoc/>
    public int Count => _columns.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _columns.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out OvsdbDatum value) => _columns.TryGetValue(key, out value);

    /// <summary>The column's value, or the empty set when the row does not carry it (a column not monitored, or left out).</summary>
    public OvsdbDatum Get(string column) => _columns.TryGetValue(column, out OvsdbDatum? d) ? d : OvsdbDatum.Empty;

    /// <summary>This row with <paramref name="changes"/>' columns replacing its own.</summary>
    public OvsdbRow With(IEnumerable<KeyValuePair<string, OvsdbDatum>> changes) => new(_columns.SetItems(changes));

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, OvsdbDatum>> GetEnumerator() => _columns.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(OvsdbRow? other) =>
        other is not null && other.Count == Count && _columns.All(c => other._columns.TryGetValue(c.Key, out OvsdbDatum? d) && d.Equals(c.Value));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as OvsdbRow);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (KeyValuePair<string, OvsdbDatum> c in _columns)
        {
            h.Add(c.Key);
            h.Add(c.Value);
        }

        return h.ToHashCode();
    }

    /// <summary>The row as <c>{column=value, …}</c>.</summary>
    public override string ToString() => "{" + string.Join(", ", _columns.Select(c => c.Key + "=" + c.Value)) + "}";
}
