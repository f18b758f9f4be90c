using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FastPath.OpenFlow.Flows;
using FastPath.Packets;

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

    private const int L3Stage = 2;

    private readonly Dictionary<ulong, int>[] stageIndex;
    private readonly Dictionary<ulong, OfSubtableEntry<TRule>> entries = [];
    private readonly SortedSet<int> priorities = [];
    private readonly Dictionary<int, int> priorityCounts = [];

    /// <summary>Builds an empty subtable for <paramref name="mask"/>.</summary>
    /// <param name="mask">The mask every rule of the subtable has.</param>
    /// <param name="sequence">Creation order: among subtables of one highest priority the older is searched first.</param>
    public OfSubtable(in PipelineKey mask, long sequence)
    {
        Mask = mask;
        Sequence = sequence;
        ReadOnlySpan<ulong> m = mask.ReadOnlyWords;
        var words = new List<int>();
        var stageEnd = new List<int>();
        var stageNumbers = new List<int>();
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
                stageNumbers.Add(stage);
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

        ReadOnlySpan<byte> mb = mask.ReadOnlyBytes;
        Ipv4PrefixLengths = new int[Ipv4TrieFields.Length];
        for (int t = 0; t < Ipv4TrieFields.Length; t++)
        {
            Ipv4PrefixLengths[t] = PrefixTrie.PrefixLengthOf(BinaryPrimitives.ReadUInt32BigEndian(mb[Ipv4TrieFields[t]..]));
            if (Ipv4PrefixLengths[t] > 0)
            {
                // Both address fields are in the L3 stage, which the mask then has.
                TrieStage = stageNumbers.IndexOf(L3Stage);
            }
        }

        PortsMask = BinaryPrimitives.ReadUInt32BigEndian(mb[FlowKey.Offsets.TpSrc..]);
        if (PortsMask != 0)
        {
            // Rules are told apart by their ports up to the mask's last bit (Open vSwitch's ports_mask_len); the
            // ports are in the L4 stage, the last one.
            PortsMaskLength = PrefixTrie.Bits - BitOperations.TrailingZeroCount(PortsMask);
            PortsTrie = new PrefixTrie();
            FinalStageOtherBits = new ulong[Words.Length];
            ulong portBits = PortsWordMask();
            for (int i = StageEnd.Length > 1 ? StageEnd[^2] : 0; i < Words.Length; i++)
            {
                FinalStageOtherBits[i] = Words[i] == FlowKey.Offsets.TpSrc / 8 ? MaskWords[i] & ~portBits : MaskWords[i];
            }
        }
    }

    /// <summary>The IPv4 address fields that have a prefix trie, in the order lookups check them (nw_dst, then nw_src, as Open vSwitch's default).</summary>
    public static ReadOnlySpan<int> Ipv4TrieFields => [FlowKey.Offsets.NwDst, FlowKey.Offsets.NwSrc];

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

    /// <summary>Per entry of <see cref="Ipv4TrieFields"/>, the mask's prefix length on that field (0: not a CIDR prefix there, the trie does not apply).</summary>
    public int[] Ipv4PrefixLengths { get; }

    /// <summary>The index in <see cref="StageEnd"/> of the L3 stage when some IPv4 trie applies, else -1.</summary>
    public int TrieStage { get; } = -1;

    /// <summary>The mask of the L4 ports (tp_src and tp_dst as one big-endian word; ICMP type and code too).</summary>
    public uint PortsMask { get; }

    /// <summary>Leading bits of the ports word up to the mask's last bit; 0 when the mask has no port bits.</summary>
    public int PortsMaskLength { get; }

    /// <summary>The masked ports of every entry, as prefixes of <see cref="PortsMaskLength"/>; null when the mask has no port bits.</summary>
    public PrefixTrie? PortsTrie { get; }

    /// <summary>
    /// Per index of <see cref="Words"/> in the last stage, the mask's bits other than the ports (TCP flags share
    /// the ports' word here; Open vSwitch keeps them in L3): the ports trie says nothing about them.
    /// </summary>
    public ulong[]? FinalStageOtherBits { get; }

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

    /// <summary>
    /// Sets in <paramref name="wildcards"/> what shows that a packet whose full lookup missed matches no rule,
    /// when the mask has ports: the stages before the last (<paramref name="passedWords"/> words), the last
    /// stage's bits other than the ports, and of the ports only the leading bits the ports trie needs to tell
    /// the packet's masked ports from every rule's.
    /// </summary>
    public void UnwildcardPortsMiss(Span<ulong> wildcards, int passedWords, uint packetPorts)
    {
        Unwildcard(wildcards, passedWords);
        int[] words = Words;
        ulong[] other = FinalStageOtherBits!;
        for (int i = StageEnd.Length > 1 ? StageEnd[^2] : 0; i < words.Length; i++)
        {
            wildcards[words[i]] |= other[i];
        }

        int bits = PortsTrie!.Lookup(packetPorts & PortsMask, out _);
        uint need = PortsMask & PrefixTrie.PrefixMask(bits);
        Span<byte> ports = MemoryMarshal.AsBytes(wildcards).Slice(FlowKey.Offsets.TpSrc, 4);
        BinaryPrimitives.WriteUInt32BigEndian(ports, BinaryPrimitives.ReadUInt32BigEndian(ports) | need);
    }

    /// <summary>
    /// Whether an entry with values <paramref name="key"/> goes into the IPv4 tries: when it may match an IPv4,
    /// ARP or RARP packet, whose address fields those are in Open vSwitch (IPv6 addresses and MPLS labels share
    /// the bytes here, but have fields of their own there, which have no trie).
    /// </summary>
    public bool InIpv4Tries(in PipelineKey key)
    {
        ushort m = BinaryPrimitives.ReadUInt16BigEndian(Mask.ReadOnlyBytes[FlowKey.Offsets.DlType..]);
        ushort v = BinaryPrimitives.ReadUInt16BigEndian(key.ReadOnlyBytes[FlowKey.Offsets.DlType..]);
        return (EtherTypes.Ipv4 & m) == v || (EtherTypes.Arp & m) == v || (EtherTypes.Rarp & m) == v;
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

        PortsTrie?.Insert(PortsOf(entry.Key), PortsMaskLength);
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

        PortsTrie?.Remove(PortsOf(entry.Key), PortsMaskLength);
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

    /// <summary>The ports word (tp_src, tp_dst) of <paramref name="key"/>, its first bit the most significant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint PortsOf(in PipelineKey key) => BinaryPrimitives.ReadUInt32BigEndian(key.ReadOnlyBytes[FlowKey.Offsets.TpSrc..]);

    // The bits of the ports in their 64-bit word of a key.
    private static ulong PortsWordMask()
    {
        PipelineKey k = default;
        k.Bytes.Slice(FlowKey.Offsets.TpSrc, 4).Fill(0xff);
        return k.ReadOnlyWords[FlowKey.Offsets.TpSrc / 8];
    }
}
