namespace FastPath.Datapath.Classifier;

/// <summary>
/// Decides whether a candidate flow id found under the right hash is the flow sought (compares keys).
/// A struct type parameter, so the hash table's probe loop is compiled with the comparison inlined.
/// </summary>
internal interface IFlowIdMatcher
{
    /// <summary>Whether flow <paramref name="id"/> is the one sought.</summary>
    bool Matches(int id);
}
