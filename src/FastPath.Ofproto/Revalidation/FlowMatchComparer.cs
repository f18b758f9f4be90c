using FastPath.Datapath.Flows;

namespace FastPath.Ofproto.Revalidation;

/// <summary>Equality of megaflow matches by their key and mask bits (the datapath's own notion of the same megaflow).</summary>
public sealed class FlowMatchComparer : IEqualityComparer<FlowMatch>
{
    /// <summary>The one instance.</summary>
    public static readonly FlowMatchComparer Instance = new();

    /// <inheritdoc/>
    public bool Equals(FlowMatch x, FlowMatch y) => Same(x, y);

    /// <inheritdoc/>
    public int GetHashCode(FlowMatch obj) => Hash(obj);

    /// <summary>Equality of two matches read in place (a FlowMatch is 256 bytes: no copies).</summary>
    public static bool Same(in FlowMatch x, in FlowMatch y) =>
        x.Key.ReadOnlyWords.SequenceEqual(y.Key.ReadOnlyWords) && x.Mask.ReadOnlyWords.SequenceEqual(y.Mask.ReadOnlyWords);

    /// <summary>The hash of a match read in place.</summary>
    public static int Hash(in FlowMatch obj)
    {
        var h = new HashCode();
        foreach (ulong w in obj.Key.ReadOnlyWords)
        {
            h.Add(w);
        }

        foreach (ulong w in obj.Mask.ReadOnlyWords)
        {
            h.Add(w);
        }

        return h.ToHashCode();
    }
}
