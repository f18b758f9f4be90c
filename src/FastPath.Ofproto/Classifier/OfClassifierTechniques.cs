namespace FastPath.Ofproto.Classifier;

/// <summary>
/// The techniques <see cref="OfClassifier{TRule}"/> uses to keep the wildcards it reports (and so the megaflows
/// the slow path installs) wide. Every combination gives the same lookup results; they differ only in how many
/// bits a lookup un-wildcards. All are on by default; turning one off exists to measure what it buys.
/// </summary>
[Flags]
public enum OfClassifierTechniques
{
    /// <summary>Plain tuple space search: every subtable is searched and its whole mask un-wildcarded.</summary>
    None = 0,

    /// <summary>Stop at the first subtable whose highest priority cannot beat the best rule found so far.</summary>
    PriorityEarlyExit = 1,

    /// <summary>Staged lookup: a subtable ruled out at stage k (metadata, L2, L3, L4) un-wildcards only stages up to k.</summary>
    StagedLookup = 2,

    /// <summary>
    /// Prefix tries on the IPv4 nw_dst and nw_src (a subtable whose prefix no rule shares with the packet may
    /// un-wildcard only the address bits that showed it) and each subtable's trie of its rules' L4 ports (a miss
    /// un-wildcards only the port bits that tell the packet's ports from every rule's).
    /// </summary>
    PrefixTries = 4,

    /// <summary>Everything (the default).</summary>
    All = PriorityEarlyExit | StagedLookup | PrefixTries,
}
