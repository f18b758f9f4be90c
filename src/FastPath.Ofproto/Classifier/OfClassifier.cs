using System.Buffers.Binary;
using System.Runtime.InteropServices;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

namespace FastPath.Ofproto.Classifier;

/// <summary>
/// An OpenFlow flow table's classifier: finds the highest-priority rule matching a packet and reports every
/// bit of the packet the answer depended on, so the slow path can install the widest megaflow that is still
/// correct. The ideas are those of Open vSwitch's classifier (NSDI 2015): tuple space search, subtables by
/// descending priority with early exit, staged lookup, prefix tries on the IPv4 addresses and per-subtable
/// tries of the L4 ports.
/// </summary>
/// <typeparam name="TRule">The caller's rule object (an OpenFlow rule with its actions and counters).</typeparam>
/// <remarks>
/// <para>
/// The guarantee of <see cref="Lookup(in PipelineKey, ref PipelineKey)"/>: every packet that equals the looked-up
/// flow on every bit the lookup set in the wildcards gets the same rule (or none) from the same classifier.
/// </para>
/// <para>
/// What a lookup un-wildcards is what Open vSwitch 3.1's classifier (<c>find_match_wc</c>) un-wildcards for the
/// same rules and packet, so that FastPath's megaflows are never narrower than its. Per subtable, stage by stage
/// (metadata, L2, L3, L4; the last the subtable has is the final one): before a stage, the IPv4 prefix tries on
/// nw_dst and nw_src may show that no rule of the subtable has the packet's prefix (then only the leading
/// address bits that showed it and the stages already passed are un-wildcarded); otherwise a stage that no rule
/// agrees with rules the subtable out with the stages up to it. A final stage with L4 ports that finds no rule
/// un-wildcards only the port bits the subtable's ports trie needs. A subtable that has a match un-wildcards its
/// whole mask.
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
    // One per field of OfSubtable<TRule>.Ipv4TrieFields: every rule's prefix there, when its subtable's mask is
    // a CIDR prefix on the field and the rule may match IPv4, ARP or RARP.
    private readonly PrefixTrie[] tries = [new(), new()];
    private long subtableSequence;

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
            s = new OfSubtable<TRule>(m.Mask, subtableSequence++);
            subtablesByMask.Add(m.Mask, s);
        }

        ReadOnlySpan<ulong> key = m.Key.ReadOnlyWords;
        ulong hash = s.FullHash(key);
        OfSubtableEntry<TRule>? e = s.Find(key, hash);
        if (e is null)
        {
            e = new OfSubtableEntry<TRule>(m.Key, hash);
            s.AddEntry(e);
            if (s.TrieStage >= 0 && s.InIpv4Tries(m.Key))
            {
                for (int t = 0; t < tries.Length; t++)
                {
                    if (s.Ipv4PrefixLengths[t] > 0)
                    {
                        tries[t].Insert(Ipv4Field(m.Key, t), s.Ipv4PrefixLengths[t]);
                    }
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
        var lookups = new TrieLookups();
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

            OfSubtableEntry<TRule>? e = LookupSubtable(s, key, f, wc, staged, useTries, ref lookups);
            if (e is not null && (best is null || e.Rules[0].Priority > best.Priority))
            {
                best = e.Rules[0];
            }
        }

        return best?.Rule;
    }

    /// <summary>
    /// Searches one subtable, un-wildcarding what its answer depended on (see the class remarks for the order
    /// of the proofs; each one holds for every packet that shares the bits it un-wildcards).
    /// </summary>
    private OfSubtableEntry<TRule>? LookupSubtable(OfSubtable<TRule> s, in PipelineKey flow, ReadOnlySpan<ulong> f, Span<ulong> wc, bool staged, bool useTries, ref TrieLookups lookups)
    {
        ulong h = KeyHash.Seed;
        int last = s.StageEnd.Length - 1;

        // Words of the stages passed: what a proof found at a later stage adds to its own bits.
        int passed = 0;
        for (int stage = 0; stage < last; stage++)
        {
            if (useTries && stage == s.TrieStage && TriesRuleOut(s, flow, wc, ref lookups))
            {
                s.Unwildcard(wc, passed);
                return null;
            }

            h = s.HashStage(h, f, stage);
            if (staged && !s.StageMayMatch(stage, KeyHash.Finish(h)))
            {
                // No rule of this subtable agrees with the packet on the stages so far: only they mattered.
                s.Unwildcard(wc, s.StageEnd[stage]);
                return null;
            }

            passed = s.StageEnd[stage];
        }

        if (last >= 0)
        {
            if (useTries && last == s.TrieStage && TriesRuleOut(s, flow, wc, ref lookups))
            {
                s.Unwildcard(wc, passed);
                return null;
            }

            h = s.HashStage(h, f, last);
        }

        OfSubtableEntry<TRule>? e = s.Find(f, KeyHash.Finish(h));
        if (e is null && useTries && s.PortsTrie is not null)
        {
            s.UnwildcardPortsMiss(wc, passed, OfSubtable<TRule>.PortsOf(flow));
            return null;
        }

        s.Unwildcard(wc, s.Words.Length);
        return e;
    }

    /// <summary>
    /// Open vSwitch's <c>check_tries</c>: whether an IPv4 trie shows that no rule of <paramref name="s"/> has the
    /// packet's prefix, with no more address bits than the subtable's own prefix (or bits already needed); when
    /// it does, those bits are un-wildcarded, with dl_type, on which the trie's use depends.
    /// </summary>
    private bool TriesRuleOut(OfSubtable<TRule> s, in PipelineKey flow, Span<ulong> wc, ref TrieLookups lookups)
    {
        for (int t = 0; t < tries.Length; t++)
        {
            int length = s.Ipv4PrefixLengths[t];
            if (length == 0)
            {
                continue;
            }

            ref TrieLookup l = ref t == 0 ? ref lookups.Destination : ref lookups.Source;
            if (!l.Done)
            {
                l.Done = true;
                if (BinaryPrimitives.ReadUInt16BigEndian(flow.ReadOnlyBytes[FlowKey.Offsets.DlType..]) == EtherTypes.Ipv4)
                {
                    l.Bits = tries[t].Lookup(Ipv4Field(flow, t), out l.Lengths);
                }
                else
                {
                    // The field is not an IPv4 address in this packet: every length "present", nothing skipped.
                    l.Lengths = uint.MaxValue;
                }
            }

            if (((l.Lengths >> (length - 1)) & 1) != 0)
            {
                continue;
            }

            Span<byte> wcBytes = MemoryMarshal.AsBytes(wc);
            Span<byte> field = wcBytes.Slice(OfSubtable<TRule>.Ipv4TrieFields[t], 4);
            uint need = PrefixTrie.PrefixMask(l.Bits);
            uint have = BinaryPrimitives.ReadUInt32BigEndian(field);
            if (l.Bits <= length || (have & need) == need)
            {
                // Beyond the subtable's own prefix, the trie's bits (it is shared by every subtable) are used
                // only when other subtables needed them anyway.
                BinaryPrimitives.WriteUInt32BigEndian(field, have | need);
                wcBytes.Slice(FlowKey.Offsets.DlType, 2).Fill(0xff);
                return true;
            }
        }

        return false;
    }

    private static uint Ipv4Field(in PipelineKey key, int trie) =>
        BinaryPrimitives.ReadUInt32BigEndian(key.ReadOnlyBytes[OfSubtable<TRule>.Ipv4TrieFields[trie]..]);

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
            if (s.TrieStage >= 0 && s.InIpv4Tries(e.Key))
            {
                for (int t = 0; t < tries.Length; t++)
                {
                    if (s.Ipv4PrefixLengths[t] > 0)
                    {
                        tries[t].Remove(Ipv4Field(e.Key, t), s.Ipv4PrefixLengths[t]);
                    }
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

    /// <summary>One lookup's result in one IPv4 trie: computed when a subtable first needs it, then shared.</summary>
    private struct TrieLookup
    {
        public bool Done;

        // Bit L-1 set: some rule has the packet's first L bits as its prefix.
        public uint Lengths;

        // Leading bits of the packet's address that decided Lengths.
        public int Bits;
    }

    /// <summary>The lookups of one classifier lookup, one per IPv4 trie.</summary>
    private struct TrieLookups
    {
        public TrieLookup Destination;
        public TrieLookup Source;
    }
}
