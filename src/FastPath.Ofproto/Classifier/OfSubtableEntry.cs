using FastPath.OpenFlow.Flows;

namespace FastPath.Ofproto.Classifier;

/// <summary>
/// The rules of one subtable that share the same masked values (so differ only in priority), highest priority
/// first, as Open vSwitch keeps identical matches of different priorities in one list.
/// </summary>
internal sealed class OfSubtableEntry<TRule>(in PipelineKey key, ulong hash)
    where TRule : class
{
    /// <summary>The masked values.</summary>
    public PipelineKey Key = key;

    /// <summary>The subtable's full hash of <see cref="Key"/>.</summary>
    public readonly ulong Hash = hash;

    /// <summary>Rules by descending priority (no two with one priority: an identical insert replaces).</summary>
    public readonly List<OfRuleNode<TRule>> Rules = [];

    /// <summary>The next entry whose hash is the same (a collision chain; almost always null).</summary>
    public OfSubtableEntry<TRule>? Next;

    /// <summary>Adds <paramref name="node"/> in priority order.</summary>
    public void Add(OfRuleNode<TRule> node)
    {
        int i = 0;
        while (i < Rules.Count && Rules[i].Priority > node.Priority)
        {
            i++;
        }

        Rules.Insert(i, node);
    }

    /// <summary>The rule of <paramref name="priority"/>, or null.</summary>
    public OfRuleNode<TRule>? Find(int priority)
    {
        foreach (OfRuleNode<TRule> n in Rules)
        {
            if (n.Priority == priority)
            {
                return n;
            }
        }

        return null;
    }
}
