using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastPath.OpenFlow.Flows;

namespace FastPath.Ofproto.Classifier;

/// <summary>
/// All rules of an <see cref="OfClassifier{TRule}"/> that share one mask (one tuple of tuple space search),
/// with an index per lookup stage so that a lookup can give up on the subtable after looking at fewer fields.
/// </summary>
/// <remarks>
/// The mask's non-zero words are kept in stage order (metadata words 0-1 and 16-23, L2 2-4, L3 5-13, L4 14-15;
/// <see cref="PipelineKey.StageOf"/>), empty stages dropped. Stage k's index holds the hash, over the stages up
/// to k, of every entry's masked values, with a count because entries share them; the last stage needs no
/// index because the entries themselves are keyed by the full hash.
/// </remarks>
internal sealed class OfSubtable<TRule>
    where TRule : class
{
    /// <summary>Number of lookup stages.</summary>
    public const int StageCount = 4;

    private readonly Dictionary<ulong, int>[] stageIndex;
    private readonly Dictionary<ulong, OfSubtableEntry<TRule>> entries = [];
    private readonly SortedSet<int> priorities = [];
    private readonly Dictionary<int, int> priorityCounts = [];

    /// <summary>Builds an empty subtable for <paramref name="mask"/>.</summary>
    /// <param name="mask">The mask every rule of the subtable has.</param>
    /// <param name="sequence">Creation order: among subtables of one highest priority the older is searched first.</param>
    /// <param name="tries">The classifier's prefix tries, to learn which of them this mask is a prefix of.</param>
    public OfSubtable(in PipelineKey mask, long sequence, PrefixTrie[] tries)
    {
        Mask = mask;
        Sequence = sequence;
        ReadOnlySpan<ulong> m = mask.ReadOnlyWords;
        var words = new List<int>();
        var stageEnd = new List<int>();
        for (int stage = 0; stage < StageCount; stage++)
        {
            int before = words.Count;
            for (int w = 0; w < PipelineKey.Words; w++)
            {
                if (PipelineKey.StageOf(w) == stage && m[w] != 0)
                {
                    words.Add(w);
                }
            }

            if (words.Count > before)
            {
                stageEnd.Add(words.Count);
            }
        }

        Words = [.. words];
        MaskWords = new ulong[words.Count];
        for (int i = 0; i < words.Count; i++)
        {
            MaskWords[i] = m[words[i]];
        }

        StageEnd = [.. stageEnd];
        stageIndex = new Dictionary<ulong, int>[Math.Max(0, StageEnd.Length - 1)];
        for (int i = 0; i < stageIndex.Length; i++)
        {
            stageIndex[i] = [];
        }

        PrefixLengths = new int[tries.Length];
        for (int t = 0; t < tries.Length; t++)
        {
            PrefixLengths[t] = tries[t].PrefixLengthOf(mask.ReadOnlyBytes);
            UsesTries |= PrefixLengths[t] > 0;
        }
    }

    /// <summary>The mask.</summary>
    public PipelineKey Mask { get; }

    /// <summary>Creation order.</summary>
    public long Sequence { get; }

    /// <summary>The mask's non-zero words, in stage order.</summary>
    public int[] Words { get; }

    /// <summary>The mask's value at each of <see cref="Words"/>.</summary>
    public ulong[] MaskWords { get; }

    /// <summary>For each non-empty stage, the index in <see cref="Words"/> where it ends.</summary>
    public int[] StageEnd { get; }

    /// <summary>Per classifier trie, the mask's prefix length on that field (0: the trie does not apply).</summary>
    public int[] PrefixLengths { get; }

    /// <summary>Whether some trie applies (the mask is a prefix on nw_src or nw_dst).</summary>
    public bool UsesTries { get; }

    /// <summary>The highest priority of the subtable's rules.</summary>
    public int MaxPriority { get; private set; } = int.MinValue;

    /// <summary>Number of rules.</summary>
    public int RuleCount { get; private set; }

    /// <summary>Every entry.</summary>
    public IEnumerable<OfSubtableEntry<TRule>> Entries
    {
        get
        {
            foreach (OfSubtableEntry<TRule> head in entries.Values)
            {
                for (OfSubtableEntry<TRule>? e = head; e is not null; e = e.Next)
                {
                    yield return e;
                }
            }
        }
    }

    /// <summary>Mixes the words of non-empty stage <paramref name="stage"/> of <paramref name="key"/> into <paramref name="h"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong HashStage(ulong h, ReadOnlySpan<ulong> key, int stage)
    {
        int[] words = Words;
        ulong[] mask = MaskWords;
        for (int i = stage == 0 ? 0 : StageEnd[stage - 1], end = StageEnd[stage]; i < end; i++)
        {
            h = KeyHash.Add(h, key[words[i]] & mask[i]);
        }

        return h;
    }

    /// <summary>The hash keying the entry of <paramref name="key"/>'s masked values.</summary>
    public ulong FullHash(ReadOnlySpan<ulong> key)
    {
        ulong h = KeyHash.Seed;
        for (int s = 0; s < StageEnd.Length; s++)
        {
            h = HashStage(h, key, s);
        }

        return KeyHash.Finish(h);
    }

    /// <summary>Whether some entry's values hash to <paramref name="hash"/> over stages up to <paramref name="stage"/> (not the last).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool StageMayMatch(int stage, ulong hash) => stageIndex[stage].ContainsKey(hash);

    /// <summary>The entry whose values equal <paramref name="key"/> under the mask, or null.</summary>
    public OfSubtableEntry<TRule>? Find(ReadOnlySpan<ulong> key, ulong fullHash)
    {
        if (!entries.TryGetValue(fullHash, out OfSubtableEntry<TRule>? e))
        {
            return null;
        }

        int[] words = Words;
        ulong[] mask = MaskWords;
        for (; e is not null; e = e.Next)
        {
            ReadOnlySpan<ulong> values = e.Key.ReadOnlyWords;
            int i = 0;
            while (i < words.Length && (key[words[i]] & mask[i]) == values[words[i]])
            {
                i++;
            }

            if (i == words.Length)
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>Sets in <paramref name="wildcards"/> the mask's bits of its first <paramref name="wordCount"/> words (stage order).</summary>
    public void Unwildcard(Span<ulong> wildcards, int wordCount)
    {
        int[] words = Words;
        ulong[] mask = MaskWords;
        for (int i = 0; i < wordCount; i++)
        {
            wildcards[words[i]] |= mask[i];
        }
    }

    /// <summary>How many bits <see cref="Unwildcard"/> of <paramref name="wordCount"/> words would add to <paramref name="wildcards"/>.</summary>
    public int NewBits(ReadOnlySpan<ulong> wildcards, int wordCount)
    {
        int[] words = Words;
        ulong[] mask = MaskWords;
        int bits = 0;
        for (int i = 0; i < wordCount; i++)
        {
            bits += BitOperations.PopCount(mask[i] & ~wildcards[words[i]]);
        }

        return bits;
    }

    /// <summary>Adds a new entry (its values not yet present).</summary>
    public void AddEntry(OfSubtableEntry<TRule> entry)
    {
        if (entries.TryGetValue(entry.Hash, out OfSubtableEntry<TRule>? head))
        {
            entry.Next = head.Next;
            head.Next = entry;
        }
        else
        {
            entries.Add(entry.Hash, entry);
        }

        ReadOnlySpan<ulong> key = entry.Key.ReadOnlyWords;
        ulong h = KeyHash.Seed;
        for (int s = 0; s < stageIndex.Length; s++)
        {
            h = HashStage(h, key, s);
            ref int count = ref CollectionsMarshal.GetValueRefOrAddDefault(stageIndex[s], KeyHash.Finish(h), out _);
            count++;
        }
    }

    /// <summary>Removes an entry that <see cref="AddEntry"/> added.</summary>
    public void RemoveEntry(OfSubtableEntry<TRule> entry)
    {
        OfSubtableEntry<TRule> head = entries[entry.Hash];
        if (ReferenceEquals(head, entry))
        {
            if (entry.Next is null)
            {
                entries.Remove(entry.Hash);
            }
            else
            {
                entries[entry.Hash] = entry.Next;
            }
        }
        else
        {
            OfSubtableEntry<TRule> prev = head;
            while (!ReferenceEquals(prev.Next, entry))
            {
                prev = prev.Next ?? throw new InvalidOperationException("classifier entry missing from its subtable");
            }

            prev.Next = entry.Next;
        }

        entry.Next = null;
        ReadOnlySpan<ulong> key = entry.Key.ReadOnlyWords;
        ulong h = KeyHash.Seed;
        for (int s = 0; s < stageIndex.Length; s++)
        {
            h = HashStage(h, key, s);
            ulong k = KeyHash.Finish(h);
            ref int count = ref CollectionsMarshal.GetValueRefOrNullRef(stageIndex[s], k);
            if (--count == 0)
            {
                stageIndex[s].Remove(k);
            }
        }
    }

    /// <summary>Counts a rule of <paramref name="priority"/>; true when the highest priority changed.</summary>
    public bool AddPriority(int priority)
    {
        RuleCount++;
        ref int count = ref CollectionsMarshal.GetValueRefOrAddDefault(priorityCounts, priority, out bool existed);
        count++;
        if (!existed)
        {
            priorities.Add(priority);
        }

        if (priority > MaxPriority)
        {
            MaxPriority = priority;
            return true;
        }

        return false;
    }

    /// <summary>Uncounts a rule of <paramref name="priority"/>; true when the highest priority changed.</summary>
    public bool RemovePriority(int priority)
    {
        RuleCount--;
        ref int count = ref CollectionsMarshal.GetValueRefOrNullRef(priorityCounts, priority);
        if (--count > 0)
        {
            return false;
        }

        priorityCounts.Remove(priority);
        priorities.Remove(priority);
        int max = priorities.Count == 0 ? int.MinValue : priorities.Max;
        bool changed = max != MaxPriority;
        MaxPriority = max;
        return changed;
    }
}
