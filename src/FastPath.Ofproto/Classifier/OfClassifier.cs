using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Classifier;

/// <summary>
/// An OpenFlow flow table's classifier: finds the highest-priority rule matching a packet and reports every
/// bit of the packet the answer depended on, so the slow path can install the widest megaflow that is still
/// correct. The ideas are those of Open vSwitch's classifier (NSDI 2015): tuple space search, subtables by
/// descending priority with early exit, staged lookup and prefix tries on nw_src and nw_dst.
/// </summary>
/// <typeparam name="TRule">The caller's rule object (an OpenFlow rule with its actions and counters).</typeparam>
/// <remarks>
/// <para>
/// The guarantee of <see cref="Lookup(in PipelineKey, ref PipelineKey)"/>: every packet that equals the looked-up
/// flow on every bit the lookup set in the wildcards gets the same rule (or none) from the same classifier.
/// </para>
/// <para>
/// A subtable that cannot match is ruled out by one of several proofs: the stages its staged lookup looked at
/// (metadata, L2, L3, L4, cumulatively), or, when its mask is a prefix on nw_src or nw_dst, the leading address
/// bits with which that field's trie shows no rule of the subtable has the packet's prefix. Only one proof per
/// subtable is un-wildcarded, chosen after the scan: subtables with a single proof first, then for each of the
/// others the proof that adds the fewest bits to those already needed.
/// </para>
/// <para>
/// Ties: OpenFlow leaves overlapping rules of one priority undefined; here the winner is the rule in the
/// subtable searched first. Subtables are searched by descending highest rule priority, and among subtables of
/// one highest priority, older (created earlier) first. Rules with the same match and priority cannot coexist
/// (inserting one replaces the other).
/// </para>
/// <para>
/// Not thread-safe: one thread (ofproto's) owns a classifier. Enumerations must not overlap changes; copy
/// them first (<c>ToList()</c>) to change the table while going through them.
/// </para>
/// </remarks>
public sealed class OfClassifier<TRule>
    where TRule : class
{
    private readonly Dictionary<PipelineKey, OfSubtable<TRule>> subtablesByMask = [];
    private readonly List<OfSubtable<TRule>> ordered = [];
    private readonly Dictionary<TRule, OfRuleNode<TRule>> nodes = new(ReferenceEqualityComparer.Instance);
    private readonly PrefixTrie[] tries = [new(FlowKey.Offsets.NwSrc), new(FlowKey.Offsets.NwDst)];
    private long subtableSequence;

    // Scratch for the subtables a lookup ruled out, one slot per subtable (grown as subtables are created, so
    // that a lookup allocates nothing).
    private RuledOut[] pending = new RuledOut[8];

    /// <summary>Makes an empty classifier using every technique.</summary>
    public OfClassifier()
        : this(OfClassifierTechniques.All)
    {
    }

    /// <summary>Makes an empty classifier using only <paramref name="techniques"/> (the others exist to be compared against).</summary>
    public OfClassifier(OfClassifierTechniques techniques)
    {
        if ((techniques & ~OfClassifierTechniques.All) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(techniques), techniques, "unknown classifier technique");
        }

        Techniques = techniques;
    }

    /// <summary>The techniques in use.</summary>
    public OfClassifierTechniques Techniques { get; }

    /// <summary>Number of rules.</summary>
    public int Count => nodes.Count;

    /// <summary>Number of subtables (distinct masks).</summary>
    public int SubtableCount => ordered.Count;

    /// <summary>Every rule, in no particular order.</summary>
    public IEnumerable<OfClassifierRule<TRule>> Rules
    {
        get
        {
            foreach (OfSubtable<TRule> s in ordered)
            {
                foreach (OfSubtableEntry<TRule> e in s.Entries)
                {
                    foreach (OfRuleNode<TRule> n in e.Rules)
                    {
                        yield return Describe(n);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="rule"/> with <paramref name="match"/> (normalized: value bits outside the mask are
    /// ignored) at <paramref name="priority"/>. A rule with an identical match and priority is replaced.
    /// </summary>
    /// <returns>The rule replaced, or null.</returns>
    /// <exception cref="ArgumentException"><paramref name="rule"/> is already in the classifier under another match or priority.</exception>
    public TRule? Insert(in PipelineMatch match, int priority, TRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        PipelineMatch m = match;
        m.Normalize();
        if (nodes.TryGetValue(rule, out OfRuleNode<TRule>? present))
        {
            if (present.Priority == priority && present.Subtable.Mask == m.Mask && present.Entry.Key == m.Key)
            {
                return rule;
            }

            throw new ArgumentException("this rule object is already in the classifier under another match or priority; remove it first", nameof(rule));
        }

        bool newSubtable = !subtablesByMask.TryGetValue(m.Mask, out OfSubtable<TRule>? s);
        if (s is null)
        {
            s = new OfSubtable<TRule>(m.Mask, subtableSequence++, tries);
            subtablesByMask.Add(m.Mask, s);
            if (pending.Length < subtablesByMask.Count)
            {
                Array.Resize(ref pending, pending.Length * 2);
            }
        }

        ReadOnlySpan<ulong> key = m.Key.ReadOnlyWords;
        ulong hash = s.FullHash(key);
        OfSubtableEntry<TRule>? e = s.Find(key, hash);
        if (e is null)
        {
            e = new OfSubtableEntry<TRule>(m.Key, hash);
            s.AddEntry(e);
            for (int t = 0; t < tries.Length; t++)
            {
                if (s.PrefixLengths[t] > 0)
                {
                    tries[t].Insert(tries[t].Read(m.Key.ReadOnlyBytes), s.PrefixLengths[t]);
                }
            }
        }
        else if (e.Find(priority) is { } same)
        {
            TRule old = same.Rule;
            nodes.Remove(old);
            same.Rule = rule;
            nodes.Add(rule, same);
            return old;
        }

        var node = new OfRuleNode<TRule>(rule, priority, s, e);
        e.Add(node);
        nodes.Add(rule, node);
        bool maxChanged = s.AddPriority(priority);
        if (newSubtable)
        {
            Place(s);
        }
        else if (maxChanged)
        {
            ordered.Remove(s);
            Place(s);
        }

        return null;
    }

    /// <summary>Removes the rule with exactly <paramref name="match"/> and <paramref name="priority"/> (OpenFlow's strict delete).</summary>
    /// <returns>The rule removed, or null when there was none.</returns>
    public TRule? Remove(in PipelineMatch match, int priority)
    {
        OfRuleNode<TRule>? n = FindNode(match, priority);
        if (n is null)
        {
            return null;
        }

        RemoveNode(n);
        return n.Rule;
    }

    /// <summary>Removes <paramref name="rule"/>; false when it is not in the classifier.</summary>
    public bool Remove(TRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!nodes.TryGetValue(rule, out OfRuleNode<TRule>? n))
        {
            return false;
        }

        RemoveNode(n);
        return true;
    }

    /// <summary>The rule with exactly <paramref name="match"/> and <paramref name="priority"/>, or null.</summary>
    public TRule? FindExact(in PipelineMatch match, int priority) => FindNode(match, priority)?.Rule;

    /// <summary>Whether <paramref name="rule"/> is in the classifier.</summary>
    public bool Contains(TRule rule) => nodes.ContainsKey(rule);

    /// <summary>Where <paramref name="rule"/> is (its match and priority), or null when it is not in the classifier.</summary>
    public OfClassifierRule<TRule>? Describe(TRule rule) => nodes.TryGetValue(rule, out OfRuleNode<TRule>? n) ? Describe(n) : null;

    /// <summary>
    /// Every rule whose match is at least as specific as <paramref name="filter"/>: its mask has every bit of the
    /// filter's mask, and its values equal the filter's there (OpenFlow's non-strict flow-mod and flow-stats
    /// selection; any priority). In no particular order.
    /// </summary>
    public IEnumerable<OfClassifierRule<TRule>> FindLoose(PipelineMatch filter)
    {
        filter.Normalize();
        foreach (OfSubtable<TRule> s in ordered)
        {
            if (!Covers(s.Mask, filter.Mask))
            {
                continue;
            }

            foreach (OfSubtableEntry<TRule> e in s.Entries)
            {
                if (filter.Matches(e.Key))
                {
                    foreach (OfRuleNode<TRule> n in e.Rules)
                    {
                        yield return Describe(n);
                    }
                }
            }
        }
    }

    /// <summary>The highest-priority rule matching <paramref name="flow"/>, or null.</summary>
    public TRule? Lookup(in PipelineKey flow)
    {
        PipelineKey wildcards = default;
        return Lookup(flow, ref wildcards);
    }

    /// <summary>
    /// The highest-priority rule matching <paramref name="flow"/> (ties: see the class remarks), or null; sets in
    /// <paramref name="wildcards"/> every bit the answer depended on (bits already set stay set).
    /// </summary>
    /// <remarks>
    /// Allocates nothing: it runs once per upcall. <paramref name="flow"/> and <paramref name="wildcards"/> may
    /// be the same variable (the flow is read from a copy).
    /// </remarks>
    public TRule? Lookup(in PipelineKey flow, ref PipelineKey wildcards)
    {
        // A copy, so that passing one variable as both arguments cannot change the flow mid-lookup.
        PipelineKey key = flow;
        ReadOnlySpan<ulong> f = key.ReadOnlyWords;
        Span<ulong> wc = wildcards.AsWords;
        bool earlyExit = (Techniques & OfClassifierTechniques.PriorityEarlyExit) != 0;
        bool staged = (Techniques & OfClassifierTechniques.StagedLookup) != 0;
        bool useTries = (Techniques & OfClassifierTechniques.PrefixTries) != 0;
        var probes = new TrieProbes();
        int pendingCount = 0;
        OfRuleNode<TRule>? best = null;
        List<OfSubtable<TRule>> list = ordered;
        for (int i = 0; i < list.Count; i++)
        {
            OfSubtable<TRule> s = list[i];
            if (best is not null && earlyExit && s.MaxPriority <= best.Priority)
            {
                // Subtables are in descending order of their best priority: none left can win.
                break;
            }

            OfSubtableEntry<TRule>? e = LookupSubtable(s, key, f, wc, staged, useTries, ref probes, ref pendingCount);
            if (e is not null && (best is null || e.Rules[0].Priority > best.Priority))
            {
                best = e.Rules[0];
            }
        }

        ResolveRuledOut(wc, pendingCount);
        return best?.Rule;
    }

    private OfSubtableEntry<TRule>? LookupSubtable(OfSubtable<TRule> s, in PipelineKey flow, ReadOnlySpan<ulong> f, Span<ulong> wc, bool staged, bool useTries, ref TrieProbes probes, ref int pendingCount)
    {
        ulong h = KeyHash.Seed;
        int last = s.StageEnd.Length - 1;
        for (int stage = 0; stage < last; stage++)
        {
            h = s.HashStage(h, f, stage);
            if (staged && !s.StageMayMatch(stage, KeyHash.Finish(h)))
            {
                // No rule of this subtable agrees with the packet on the stages so far: only they mattered.
                RuleOut(s, flow, s.StageEnd[stage], useTries, ref probes, ref pendingCount);
                return null;
            }
        }

        if (last >= 0)
        {
            h = s.HashStage(h, f, last);
        }

        OfSubtableEntry<TRule>? e = s.Find(f, KeyHash.Finish(h));
        if (e is null)
        {
            RuleOut(s, flow, s.Words.Length, useTries, ref probes, ref pendingCount);
            return null;
        }

        s.Unwildcard(wc, s.Words.Length);
        return e;
    }

    /// <summary>
    /// Records the proofs that no rule of <paramref name="s"/> matches: its mask's first <paramref name="words"/>
    /// words (the stages looked at), and for each trie that applies and shows that no rule of the subtable has
    /// the packet's address prefix, the prefix bits that show it. Each proof holds for every packet sharing its
    /// bits, whatever the other fields, so any one of them will do; <see cref="ResolveRuledOut"/> picks.
    /// </summary>
    private void RuleOut(OfSubtable<TRule> s, in PipelineKey flow, int words, bool useTries, ref TrieProbes probes, ref int pendingCount)
    {
        ref RuledOut r = ref pending[pendingCount++];
        r.Subtable = s;
        r.Words = words;
        r.SourceBits = -1;
        r.DestinationBits = -1;
        if (!useTries || !s.UsesTries)
        {
            return;
        }

        for (int t = 0; t < tries.Length; t++)
        {
            int length = s.PrefixLengths[t];
            if (length == 0)
            {
                continue;
            }

            ref PrefixTrie.Probe p = ref t == 0 ? ref probes.Source : ref probes.Destination;
            if (!p.Done)
            {
                p = tries[t].Lookup(tries[t].Read(flow.ReadOnlyBytes));
            }

            if (!p.Has(length))
            {
                (t == 0 ? ref r.SourceBits : ref r.DestinationBits) = Math.Min(length, p.CheckedBits);
            }
        }
    }

    /// <summary>
    /// Un-wildcards one proof per ruled-out subtable, once the lookup knows the bits its matches needed anyway.
    /// Subtables with only the stage proof go first (they have no choice); then each of the others takes the
    /// proof that adds the fewest bits to what is already un-wildcarded (the stage proof on a tie).
    /// </summary>
    private void ResolveRuledOut(Span<ulong> wc, int pendingCount)
    {
        for (int i = 0; i < pendingCount; i++)
        {
            ref RuledOut r = ref pending[i];
            if (r.SourceBits < 0 && r.DestinationBits < 0)
            {
                r.Subtable!.Unwildcard(wc, r.Words);
            }
        }

        Span<byte> wcBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(wc);
        for (int i = 0; i < pendingCount; i++)
        {
            ref RuledOut r = ref pending[i];
            if (r.SourceBits < 0 && r.DestinationBits < 0)
            {
                r.Subtable = null;
                continue;
            }

            int best = -1;
            int bestCost = r.Subtable!.NewBits(wc, r.Words);
            for (int t = 0; t < tries.Length && bestCost > 0; t++)
            {
                int bits = t == 0 ? r.SourceBits : r.DestinationBits;
                if (bits >= 0)
                {
                    int cost = tries[t].NewBits(wcBytes, bits);
                    if (cost < bestCost)
                    {
                        (best, bestCost) = (t, cost);
                    }
                }
            }

            if (best < 0)
            {
                r.Subtable.Unwildcard(wc, r.Words);
            }
            else
            {
                tries[best].Unwildcard(wcBytes, best == 0 ? r.SourceBits : r.DestinationBits);
            }

            // Drop the reference so that a removed subtable is not kept alive by the scratch array.
            r.Subtable = null;
        }
    }

    private OfRuleNode<TRule>? FindNode(in PipelineMatch match, int priority)
    {
        PipelineMatch m = match;
        m.Normalize();
        if (!subtablesByMask.TryGetValue(m.Mask, out OfSubtable<TRule>? s))
        {
            return null;
        }

        ReadOnlySpan<ulong> key = m.Key.ReadOnlyWords;
        return s.Find(key, s.FullHash(key))?.Find(priority);
    }

    private void RemoveNode(OfRuleNode<TRule> n)
    {
        OfSubtable<TRule> s = n.Subtable;
        OfSubtableEntry<TRule> e = n.Entry;
        e.Rules.Remove(n);
        nodes.Remove(n.Rule);
        if (e.Rules.Count == 0)
        {
            s.RemoveEntry(e);
            for (int t = 0; t < tries.Length; t++)
            {
                if (s.PrefixLengths[t] > 0)
                {
                    tries[t].Remove(tries[t].Read(e.Key.ReadOnlyBytes), s.PrefixLengths[t]);
                }
            }
        }

        bool maxChanged = s.RemovePriority(n.Priority);
        if (s.RuleCount == 0)
        {
            ordered.Remove(s);
            subtablesByMask.Remove(s.Mask);
        }
        else if (maxChanged)
        {
            ordered.Remove(s);
            Place(s);
        }
    }

    /// <summary>Inserts <paramref name="s"/> into the search order: descending highest priority, then oldest first.</summary>
    private void Place(OfSubtable<TRule> s)
    {
        int lo = 0;
        int hi = ordered.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            OfSubtable<TRule> o = ordered[mid];
            bool before = o.MaxPriority > s.MaxPriority || (o.MaxPriority == s.MaxPriority && o.Sequence < s.Sequence);
            if (before)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        ordered.Insert(lo, s);
    }

    private static bool Covers(in PipelineKey mask, in PipelineKey filterMask)
    {
        ReadOnlySpan<ulong> m = mask.ReadOnlyWords;
        ReadOnlySpan<ulong> fm = filterMask.ReadOnlyWords;
        for (int i = 0; i < PipelineKey.Words; i++)
        {
            if ((m[i] & fm[i]) != fm[i])
            {
                return false;
            }
        }

        return true;
    }

    private static OfClassifierRule<TRule> Describe(OfRuleNode<TRule> n) =>
        new(new PipelineMatch { Key = n.Entry.Key, Mask = n.Subtable.Mask }, n.Priority, n.Rule);

    /// <summary>A subtable a lookup ruled out, with the proofs it has (-1: that trie proves nothing).</summary>
    private struct RuledOut
    {
        public OfSubtable<TRule>? Subtable;
        public int Words;
        public int SourceBits;
        public int DestinationBits;
    }

    /// <summary>The lazily run probes of one lookup, one per trie.</summary>
    private struct TrieProbes
    {
        public PrefixTrie.Probe Source;
        public PrefixTrie.Probe Destination;
    }
}
