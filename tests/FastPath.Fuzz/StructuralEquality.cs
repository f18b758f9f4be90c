using System.Collections;
using System.Reflection;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Wire.Match;

namespace FastPath.Fuzz;

/// <summary>
/// Value equality that looks inside collections: a record's generated Equals compares a byte[] or a list by
/// reference, so two decodes of the same bytes would never be "equal". This walks public properties and
/// sequences and says where two values first differ.
/// </summary>
internal static class StructuralEquality
{
    private const int MaxDepth = 32;

    /// <summary>Null when <paramref name="a"/> and <paramref name="b"/> are equal; otherwise the path of the first difference.</summary>
    public static string? FirstDifference(object? a, object? b) => Compare(a, b, "message", 0, null);

    /// <summary>
    /// As <see cref="FirstDifference(object?, object?)"/>, but <paramref name="same"/>(expected part, actual part) may
    /// declare two parts equal: a normalisation the wire format imposes (each one justified where it is defined).
    /// </summary>
    public static string? FirstDifference(object? a, object? b, Func<object, object, bool> same) => Compare(a, b, "message", 0, same);

    /// <summary>
    /// Whether two matches are the same as NXM and OXM say them: an OpenFlow 1.0 match's 16-bit ICMP type and code go
    /// out as their low byte, as Open vSwitch writes them (<see cref="OxmMatchCodec.IcmpInEightBits"/>).
    /// </summary>
    public static bool SameAsNxmOrOxm(object a, object b) =>
        a is PipelineMatch ma && b is PipelineMatch mb && OxmMatchCodec.IcmpInEightBits(ma) == OxmMatchCodec.IcmpInEightBits(mb);

    private static string? Compare(object? a, object? b, string path, int depth, Func<object, object, bool>? same)
    {
        if (ReferenceEquals(a, b))
        {
            return null;
        }

        if (a is not null && b is not null && same is not null && same(a, b))
        {
            return null;
        }

        if (a is null || b is null)
        {
            return $"{path}: {Show(a)} vs {Show(b)}";
        }

        Type type = a.GetType();
        if (type != b.GetType())
        {
            return $"{path}: {type.Name} vs {b.GetType().Name}";
        }

        if (a.Equals(b))
        {
            return null;
        }

        if (depth >= MaxDepth || type.IsPrimitive || type.IsEnum || a is string or decimal)
        {
            return $"{path}: {Show(a)} vs {Show(b)}";
        }

        if (a is ReadOnlyMemory<byte> ma && b is ReadOnlyMemory<byte> mb)
        {
            // Its Span property cannot be read by reflection (a ref struct): compare the bytes.
            return ma.Span.SequenceEqual(mb.Span) ? null : $"{path}: {Convert.ToHexString(ma.Span)} vs {Convert.ToHexString(mb.Span)}";
        }

        if (a is IEnumerable ea && b is IEnumerable eb)
        {
            List<object?> la = ea.Cast<object?>().ToList(), lb = eb.Cast<object?>().ToList();
            if (la.Count != lb.Count)
            {
                return $"{path}: {la.Count} items vs {lb.Count}";
            }

            for (int i = 0; i < la.Count; i++)
            {
                if (Compare(la[i], lb[i], $"{path}[{i}]", depth + 1, same) is { } diff)
                {
                    return diff;
                }
            }

            return null;
        }

        PropertyInfo[] properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && !p.PropertyType.IsByRefLike).ToArray();
        if (properties.Length == 0)
        {
            // Nothing public to look at, and its own Equals said no.
            return $"{path}: {Show(a)} vs {Show(b)}";
        }

        foreach (PropertyInfo p in properties)
        {
            if (Compare(p.GetValue(a), p.GetValue(b), $"{path}.{p.Name}", depth + 1, same) is { } diff)
            {
                return diff;
            }
        }

        return null;
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToHexString(bytes),
        _ => value.ToString() ?? value.GetType().Name,
    };
}
