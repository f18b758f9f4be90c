using System.Collections.Immutable;
using System.Text;

namespace FastPath.Ovsdb.Data;

/// <summary>A column's value (RFC 7047 §5.1): a set of atoms (a scalar is a set of one) or a map from atoms to atoms.</summary>
/// <remarks>Immutable and canonical: keys are sorted and unique, so two datums holding the same value are equal.</remarks>
public sealed class OvsdbDatum : IEquatable<OvsdbDatum>
{
    private OvsdbDatum(ImmutableArray<OvsdbAtom> keys, ImmutableArray<OvsdbAtom>? values)
    {
        Keys = keys;
        Values = values;
    }

    /// <summary>The empty set.</summary>
    public static OvsdbDatum Empty { get; } = new(ImmutableArray<OvsdbAtom>.Empty, null);

    /// <summary>The empty map.</summary>
    public static OvsdbDatum EmptyMap { get; } = new(ImmutableArray<OvsdbAtom>.Empty, ImmutableArray<OvsdbAtom>.Empty);

    /// <summary>The set's members, or the map's keys, in ascending order.</summary>
    public ImmutableArray<OvsdbAtom> Keys { get; }

    /// <summary>The map's values, parallel to <see cref="Keys"/>; null for a set.</summary>
    public ImmutableArray<OvsdbAtom>? Values { get; }

    /// <summary>True for a map.</summary>
    public bool IsMap => Values.HasValue;

    /// <summary>How many atoms (set) or pairs (map).</summary>
    public int Count => Keys.Length;

    /// <summary>A set of one atom (a scalar).</summary>
    public static OvsdbDatum Atom(OvsdbAtom atom) => new(ImmutableArray.Create(atom), null);

    /// <summary>A set; duplicates collapse.</summary>
    public static OvsdbDatum Set(IEnumerable<OvsdbAtom> atoms)
    {
        var sorted = atoms.Distinct().ToList();
        sorted.Sort();
        return new OvsdbDatum(sorted.ToImmutableArray(), null);
    }

    /// <summary>A set.</summary>
    public static OvsdbDatum Set(params OvsdbAtom[] atoms) => Set((IEnumerable<OvsdbAtom>)atoms);

    /// <summary>A set with no member (null) or one.</summary>
    public static OvsdbDatum Optional(OvsdbAtom? atom) => atom is { } a ? Atom(a) : Empty;

    /// <summary>A map; a key given twice is an error, as in RFC 7047.</summary>
    public static OvsdbDatum Map(IEnumerable<KeyValuePair<OvsdbAtom, OvsdbAtom>> pairs)
    {
        var list = pairs.ToList();
        list.Sort((a, b) => a.Key.CompareTo(b.Key));
        for (int i = 1; i < list.Count; i++)
        {
            if (list[i].Key == list[i - 1].Key)
            {
                throw new ArgumentException($"map key {list[i].Key} appears twice", nameof(pairs));
            }
        }

        return new OvsdbDatum(list.Select(p => p.Key).ToImmutableArray(), list.Select(p => p.Value).ToImmutableArray());
    }

    /// <summary>
    /// A map from keys already in ascending order and unique (a fixed key set kept sorted by the caller, as the
    /// statistics columns are) to <paramref name="values"/>: no sorting, no copies.
    /// </summary>
    /// <exception cref="ArgumentException">The keys are not strictly ascending, or the lengths differ.</exception>
    public static OvsdbDatum SortedMap(ImmutableArray<OvsdbAtom> keys, ImmutableArray<OvsdbAtom> values)
    {
        if (keys.Length != values.Length)
        {
            throw new ArgumentException($"{keys.Length} keys but {values.Length} values", nameof(values));
        }

        for (int i = 1; i < keys.Length; i++)
        {
            if (keys[i - 1].CompareTo(keys[i]) >= 0)
            {
                throw new ArgumentException($"map keys are not strictly ascending at {keys[i]}", nameof(keys));
            }
        }

        return new OvsdbDatum(keys, values);
    }

    /// <summary>A string-to-string map (other_config, external_ids, options…).</summary>
    public static OvsdbDatum Map(IEnumerable<KeyValuePair<string, string>> pairs) =>
        Map(pairs.Select(p => new KeyValuePair<OvsdbAtom, OvsdbAtom>(p.Key, p.Value)));

    /// <summary>A string-to-integer map (statistics).</summary>
    public static OvsdbDatum Map(IEnumerable<KeyValuePair<string, long>> pairs) =>
        Map(pairs.Select(p => new KeyValuePair<OvsdbAtom, OvsdbAtom>(p.Key, p.Value)));

    /// <summary>The pairs of a map, in key order.</summary>
    public IEnumerable<KeyValuePair<OvsdbAtom, OvsdbAtom>> Pairs
    {
        get
        {
            ImmutableArray<OvsdbAtom> values = Values ?? throw new InvalidOperationException("the datum is a set, not a map");
            for (int i = 0; i < Keys.Length; i++)
            {
                yield return new KeyValuePair<OvsdbAtom, OvsdbAtom>(Keys[i], values[i]);
            }
        }
    }

    /// <summary>The single atom of an optional or scalar column; null when the set is empty.</summary>
    public OvsdbAtom? SingleOrNone
    {
        get
        {
            if (IsMap || Keys.Length > 1)
            {
                throw new InvalidOperationException($"the datum holds {Keys.Length} {(IsMap ? "pairs" : "atoms")}, not at most one atom");
            }

            return Keys.Length == 1 ? Keys[0] : (OvsdbAtom?)null;
        }
    }

    /// <summary>The string of a string column with at most one value; null when empty.</summary>
    public string? AsString() => SingleOrNone?.String;

    /// <summary>The integer of an integer column with at most one value; null when empty.</summary>
    public long? AsInteger() => SingleOrNone?.Integer;

    /// <summary>The real of a real column with at most one value; null when empty.</summary>
    public double? AsReal() => SingleOrNone?.Real;

    /// <summary>The boolean of a boolean column with at most one value; null when empty.</summary>
    public bool? AsBoolean() => SingleOrNone?.Boolean;

    /// <summary>The UUID of a reference column with at most one value; null when empty.</summary>
    public Guid? AsUuid() => SingleOrNone?.Uuid;

    /// <summary>The members of a set of strings.</summary>
    public ImmutableArray<string> AsStrings() => Members(a => a.String);

    /// <summary>The members of a set of integers.</summary>
    public ImmutableArray<long> AsIntegers() => Members(a => a.Integer);

    /// <summary>The members of a set of UUIDs.</summary>
    public ImmutableArray<Guid> AsUuids() => Members(a => a.Uuid);

    /// <summary>A string-to-string map as a dictionary.</summary>
    public ImmutableSortedDictionary<string, string> AsStringMap() =>
        Pairs.ToImmutableSortedDictionary(p => p.Key.String, p => p.Value.String, StringComparer.Ordinal);

    /// <summary>A string-to-integer map as a dictionary.</summary>
    public ImmutableSortedDictionary<string, long> AsIntegerMap() =>
        Pairs.ToImmutableSortedDictionary(p => p.Key.String, p => p.Value.Integer, StringComparer.Ordinal);

    /// <inheritdoc/>
    public bool Equals(OvsdbDatum? other) =>
        other is not null && IsMap == other.IsMap && Keys.SequenceEqual(other.Keys)
        && (!IsMap || Values!.Value.SequenceEqual(other.Values!.Value));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as OvsdbDatum);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(IsMap);
        foreach (OvsdbAtom a in Keys)
        {
            h.Add(a);
        }

        if (Values is { } values)
        {
            foreach (OvsdbAtom a in values)
            {
                h.Add(a);
            }
        }

        return h.ToHashCode();
    }

    /// <summary>The datum in ovs-vsctl's notation: <c>1</c>, <c>[]</c>, <c>[a, b]</c>, <c>{k=v}</c>.</summary>
    public override string ToString()
    {
        if (!IsMap && Keys.Length == 1)
        {
            return Keys[0].ToString();
        }

        var sb = new StringBuilder(IsMap ? "{" : "[");
        for (int i = 0; i < Keys.Length; i++)
        {
            sb.Append(i > 0 ? ", " : "").Append(Keys[i]);
            if (IsMap)
            {
                sb.Append('=').Append(Values!.Value[i]);
            }
        }

        return sb.Append(IsMap ? '}' : ']').ToString();
    }

    private ImmutableArray<T> Members<T>(Func<OvsdbAtom, T> select) =>
        IsMap ? throw new InvalidOperationException("the datum is a map, not a set") : Keys.Select(select).ToImmutableArray();
}
