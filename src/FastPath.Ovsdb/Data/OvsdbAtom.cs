using System.Globalization;

namespace FastPath.Ovsdb.Data;

/// <summary>One OVSDB atom (RFC 7047 §5.1): an integer, real, boolean, string, UUID or named UUID.</summary>
/// <remarks>Atoms order as Open vSwitch orders them (by kind, then value; strings by ordinal), so sets and maps built
/// from them have one canonical form and compare by value.</remarks>
public readonly struct OvsdbAtom : IEquatable<OvsdbAtom>, IComparable<OvsdbAtom>
{
    private readonly long _integer;
    private readonly double _real;
    private readonly Guid _uuid;
    private readonly string? _string;

    private OvsdbAtom(OvsdbAtomKind kind, long integer = 0, double real = 0, Guid uuid = default, string? text = null)
    {
        Kind = kind;
        _integer = integer;
        _real = real;
        _uuid = uuid;
        _string = text;
    }

    /// <summary>Which of the atomic types this atom holds.</summary>
    public OvsdbAtomKind Kind { get; }

    /// <summary>The integer value (an integer atom only).</summary>
    public long Integer => Kind == OvsdbAtomKind.Integer ? _integer : throw WrongKind(OvsdbAtomKind.Integer);

    /// <summary>The real value (a real atom only).</summary>
    public double Real => Kind == OvsdbAtomKind.Real ? _real : throw WrongKind(OvsdbAtomKind.Real);

    /// <summary>The boolean value (a boolean atom only).</summary>
    public bool Boolean => Kind == OvsdbAtomKind.Boolean ? _integer != 0 : throw WrongKind(OvsdbAtomKind.Boolean);

    /// <summary>The string value (a string atom only).</summary>
    public string String => Kind == OvsdbAtomKind.String ? _string! : throw WrongKind(OvsdbAtomKind.String);

    /// <summary>The UUID (a UUID atom only).</summary>
    public Guid Uuid => Kind == OvsdbAtomKind.Uuid ? _uuid : throw WrongKind(OvsdbAtomKind.Uuid);

    /// <summary>The name of a named UUID (a named-UUID atom only).</summary>
    public string NamedUuid => Kind == OvsdbAtomKind.NamedUuid ? _string! : throw WrongKind(OvsdbAtomKind.NamedUuid);

    /// <summary>An integer atom.</summary>
    public static OvsdbAtom FromInteger(long value) => new(OvsdbAtomKind.Integer, integer: value);

    /// <summary>A real atom; JSON cannot carry NaN or infinities, so neither can an atom.</summary>
    public static OvsdbAtom FromReal(double value) =>
        double.IsFinite(value) ? new(OvsdbAtomKind.Real, real: value) : throw new ArgumentOutOfRangeException(nameof(value), "OVSDB reals are finite");

    /// <summary>A boolean atom.</summary>
    public static OvsdbAtom FromBoolean(bool value) => new(OvsdbAtomKind.Boolean, integer: value ? 1 : 0);

    /// <summary>A string atom.</summary>
    public static OvsdbAtom FromString(string value) => new(OvsdbAtomKind.String, text: value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A UUID atom.</summary>
    public static OvsdbAtom FromUuid(Guid value) => new(OvsdbAtomKind.Uuid, uuid: value);

    /// <summary>A reference to the row an insert of the same transaction names <paramref name="name"/>.</summary>
    public static OvsdbAtom FromNamedUuid(string name) =>
        OvsdbNames.IsValidId(name) ? new(OvsdbAtomKind.NamedUuid, text: name) : throw new ArgumentException($"\"{name}\" is not a valid OVSDB <id>", nameof(name));

    /// <summary>An integer atom.</summary>
    public static implicit operator OvsdbAtom(long value) => FromInteger(value);

    /// <summary>A string atom.</summary>
    public static implicit operator OvsdbAtom(string value) => FromString(value);

    /// <summary>A boolean atom.</summary>
    public static implicit operator OvsdbAtom(bool value) => FromBoolean(value);

    /// <summary>A real atom.</summary>
    public static implicit operator OvsdbAtom(double value) => FromReal(value);

    /// <summary>A UUID atom.</summary>
    public static implicit operator OvsdbAtom(Guid value) => FromUuid(value);

    /// <summary>Value equality.</summary>
    public static bool operator ==(OvsdbAtom a, OvsdbAtom b) => a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(OvsdbAtom a, OvsdbAtom b) => !a.Equals(b);

    /// <summary>Ordering.</summary>
    public static bool operator <(OvsdbAtom a, OvsdbAtom b) => a.CompareTo(b) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(OvsdbAtom a, OvsdbAtom b) => a.CompareTo(b) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(OvsdbAtom a, OvsdbAtom b) => a.CompareTo(b) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(OvsdbAtom a, OvsdbAtom b) => a.CompareTo(b) >= 0;

    /// <inheritdoc/>
    public bool Equals(OvsdbAtom other) => CompareTo(other) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is OvsdbAtom a && Equals(a);

    /// <inheritdoc/>
    public override int GetHashCode() => Kind switch
    {
        OvsdbAtomKind.Integer or OvsdbAtomKind.Boolean => HashCode.Combine(Kind, _integer),
        OvsdbAtomKind.Real => HashCode.Combine(Kind, _real),
        OvsdbAtomKind.Uuid => HashCode.Combine(Kind, _uuid),
        _ => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(_string ?? "")),
    };

    /// <inheritdoc/>
    public int CompareTo(OvsdbAtom other)
    {
        if (Kind != other.Kind)
        {
            return Kind.CompareTo(other.Kind);
        }

        return Kind switch
        {
            OvsdbAtomKind.Integer or OvsdbAtomKind.Boolean => _integer.CompareTo(other._integer),
            OvsdbAtomKind.Real => _real.CompareTo(other._real),
            OvsdbAtomKind.Uuid => _uuid.CompareTo(other._uuid),
            _ => string.CompareOrdinal(_string, other._string),
        };
    }

    /// <summary>The atom as ovs-vsctl prints it (strings unquoted).</summary>
    public override string ToString() => Kind switch
    {
        OvsdbAtomKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        OvsdbAtomKind.Real => _real.ToString("R", CultureInfo.InvariantCulture),
        OvsdbAtomKind.Boolean => _integer != 0 ? "true" : "false",
        OvsdbAtomKind.Uuid => _uuid.ToString("D"),
        OvsdbAtomKind.NamedUuid => _string!,
        _ => _string ?? "",
    };

    private InvalidOperationException WrongKind(OvsdbAtomKind wanted) => new($"the atom is {Kind}, not {wanted}");
}
