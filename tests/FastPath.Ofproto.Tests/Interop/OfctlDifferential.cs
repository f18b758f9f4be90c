namespace FastPath.Ofproto.Tests.Interop;

/// <summary>
/// The ovs-ofctl differential test of issue 14: the same script of ovs-ofctl commands run against Open vSwitch and
/// against another switch must print the same, apart from what <see cref="OfctlMasker"/> masks.
/// </summary>
public static class OfctlDifferential
{
    /// <summary>
    /// Runs <paramref name="script"/> against <paramref name="referenceTarget"/> (Open vSwitch), then against
    /// <paramref name="otherTarget"/>, and compares the results command by command. Targets are what ovs-ofctl takes
    /// (<c>unix:PATH</c>, <c>tcp:127.0.0.1:PORT</c>); both switches must start in equivalent states (the same ports,
    /// no rules) since the script changes them.
    /// </summary>
    public static OfctlComparison Compare(OfctlScript script, string referenceTarget, string otherTarget, OfctlMasks masks = OfctlMasks.None)
    {
        IReadOnlyList<OfctlResult> reference = OfctlRunner.Run(script, referenceTarget);
        IReadOnlyList<OfctlResult> other = OfctlRunner.Run(script, otherTarget);
        return Compare(script.Name, reference, other, masks);
    }

    /// <summary>Compares two runs of one script (see <see cref="Compare(OfctlScript, string, string, OfctlMasks)"/>).</summary>
    public static OfctlComparison Compare(string name, IReadOnlyList<OfctlResult> reference, IReadOnlyList<OfctlResult> other, OfctlMasks masks = OfctlMasks.None)
    {
        if (reference.Count != other.Count)
        {
            throw new ArgumentException($"{name}: {reference.Count} results against {other.Count}: not runs of one script");
        }

        return new OfctlComparison(name, [.. reference.Select((r, i) => new OfctlCommandComparison(i, r.Command, r, other[i], masks))]);
    }
}
