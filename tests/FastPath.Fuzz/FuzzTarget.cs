namespace FastPath.Fuzz;

/// <summary>
/// One thing afl-fuzz drives: it gets arbitrary bytes and either returns (the input was handled: accepted, or
/// rejected the documented way) or throws. Anything it throws is a finding, which SharpFuzz reports to afl-fuzz
/// as a crash.
/// </summary>
internal abstract class FuzzTarget
{
    /// <summary>The name scripts/fuzz.sh and the command line use.</summary>
    public abstract string Name { get; }

    /// <summary>Runs one input.</summary>
    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>
    /// The starting corpus: the test vectors kept under <paramref name="repoRoot"/>/tests, plus a few inputs made
    /// here so that every branch of the target (each version, each parser) has one.
    /// </summary>
    public abstract IEnumerable<byte[]> Seeds(string repoRoot);

    /// <summary>Words the input language is made of (afl-fuzz's -x dictionary), so mutations splice in keywords rather than guess them byte by byte.</summary>
    public virtual IEnumerable<string> Dictionary() => [];
}
