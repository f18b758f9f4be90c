using System.Text;

namespace FastPath.Ofproto.Tests.Interop;

/// <summary>How one command's results against two switches compare, after masking.</summary>
/// <param name="Index">0-based position in the script's results.</param>
/// <param name="Command">The command (protocol options first, <c>{target}</c> unexpanded).</param>
/// <param name="Reference">What it did against the reference switch (Open vSwitch).</param>
/// <param name="Other">What it did against the switch under test.</param>
/// <param name="Masks">The optional masks the comparison applied.</param>
public sealed record OfctlCommandComparison(int Index, string Command, OfctlResult Reference, OfctlResult Other, OfctlMasks Masks)
{
    /// <summary>Exit status, standard output and standard error are the same after masking and record sorting.</summary>
    public bool Equal => Reference.ExitCode == Other.ExitCode
        && OfctlMasker.Canonical(Reference.Stdout, Masks) == OfctlMasker.Canonical(Other.Stdout, Masks)
        && OfctlMasker.Canonical(Reference.Stderr, Masks) == OfctlMasker.Canonical(Other.Stderr, Masks);

    /// <summary>Equal, but unordered records came in another order (informational: OpenFlow defines no order).</summary>
    public bool OrderOnly => Equal
        && (OfctlMasker.Mask(Reference.Stdout, Masks) != OfctlMasker.Mask(Other.Stdout, Masks)
            || OfctlMasker.Mask(Reference.Stderr, Masks) != OfctlMasker.Mask(Other.Stderr, Masks));

    /// <summary>
    /// What differs: the exit statuses, then per stream the canonical lines only the reference printed (<c>-</c>)
    /// and only the other printed (<c>+</c>), each in its order. Empty when <see cref="Equal"/>.
    /// </summary>
    public string Describe()
    {
        if (Equal)
        {
            return "";
        }

        var sb = new StringBuilder();
        sb.Append('[').Append(Index).Append("] ").Append(Command).Append('\n');
        if (Reference.ExitCode != Other.ExitCode)
        {
            sb.Append("  exit: ").Append(Reference.ExitCode).Append(" vs ").Append(Other.ExitCode).Append('\n');
        }

        Lines(sb, "stdout", Reference.Stdout, Other.Stdout);
        Lines(sb, "stderr", Reference.Stderr, Other.Stderr);
        return sb.ToString();
    }

    private void Lines(StringBuilder sb, string stream, string reference, string other)
    {
        string[] a = OfctlMasker.Canonical(reference, Masks).Split('\n');
        string[] b = OfctlMasker.Canonical(other, Masks).Split('\n');
        if (a.SequenceEqual(b))
        {
            return;
        }

        List<string> onlyA = Without(a, b);
        List<string> onlyB = Without(b, a);
        sb.Append("  ").Append(stream).Append(':');
        if (onlyA.Count == 0 && onlyB.Count == 0)
        {
            sb.Append(" same lines, another order\n");
            return;
        }

        sb.Append('\n');
        foreach (string l in onlyA)
        {
            sb.Append("  - ").Append(l).Append('\n');
        }

        foreach (string l in onlyB)
        {
            sb.Append("  + ").Append(l).Append('\n');
        }
    }

    /// <summary>The lines of <paramref name="a"/> not matched by a line of <paramref name="b"/> (a multiset difference), in order.</summary>
    private static List<string> Without(string[] a, string[] b)
    {
        var left = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string l in b)
        {
            left[l] = left.GetValueOrDefault(l) + 1;
        }

        var result = new List<string>();
        foreach (string l in a)
        {
            if (left.GetValueOrDefault(l) > 0)
            {
                left[l]--;
            }
            else
            {
                result.Add(l);
            }
        }

        return result;
    }
}

/// <summary>The comparison of one script run against two switches.</summary>
/// <param name="Script">The script's name.</param>
/// <param name="Commands">Per command, in order.</param>
public sealed record OfctlComparison(string Script, IReadOnlyList<OfctlCommandComparison> Commands)
{
    /// <summary>The commands whose results differ.</summary>
    public IReadOnlyList<OfctlCommandComparison> Differences => [.. Commands.Where(c => !c.Equal)];

    /// <summary>A report of every difference (and a count of the commands that only differed in record order).</summary>
    public string Report()
    {
        var sb = new StringBuilder();
        var diffs = Differences;
        sb.Append(Script).Append(": ").Append(Commands.Count - diffs.Count).Append(" of ").Append(Commands.Count)
            .Append(" commands print the same");
        int orderOnly = Commands.Count(c => c.OrderOnly);
        if (orderOnly > 0)
        {
            sb.Append(" (").Append(orderOnly).Append(" with records in another order)");
        }

        sb.Append('\n');
        foreach (OfctlCommandComparison d in diffs)
        {
            sb.Append(d.Describe());
        }

        return sb.ToString();
    }
}
