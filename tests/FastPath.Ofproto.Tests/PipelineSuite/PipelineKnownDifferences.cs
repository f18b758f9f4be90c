namespace FastPath.Ofproto.Tests.PipelineSuite;

/// <summary>
/// Cases of the pipeline suite where FastPath knowingly differs from Open vSwitch, each with why. The suite
/// reports them and checks they still differ (a case that starts agreeing must come off this list); every other
/// case must agree exactly.
/// </summary>
internal static class PipelineKnownDifferences
{
    /// <summary>Case name: what differs, and why it is left so for now.</summary>
    public static readonly IReadOnlyDictionary<string, string> Cases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
