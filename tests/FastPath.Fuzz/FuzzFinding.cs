namespace FastPath.Fuzz;

/// <summary>
/// A disagreement the harness detected itself (a round trip that changed the value, printed text its own parser
/// refuses): thrown so afl-fuzz records the input as a crash, like any other unexpected exception.
/// </summary>
internal sealed class FuzzFinding : Exception
{
    /// <summary>Makes the finding with what went wrong.</summary>
    public FuzzFinding(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
