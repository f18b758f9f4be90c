namespace FastPath.Ofproto.Classifier;

/// <summary>Where one rule sits in an <see cref="OfClassifier{TRule}"/>: its priority and its subtable entry.</summary>
internal sealed class OfRuleNode<TRule>(TRule rule, int priority, OfSubtable<TRule> subtable, OfSubtableEntry<TRule> entry)
    where TRule : class
{
    /// <summary>The caller's rule (replaced in place when an identical match and priority is inserted again).</summary>
    public TRule Rule = rule;

    /// <summary>The rule's priority.</summary>
    public readonly int Priority = priority;

    /// <summary>The subtable of the rule's mask.</summary>
    public readonly OfSubtable<TRule> Subtable = subtable;

    /// <summary>The entry of the rule's masked values.</summary>
    public readonly OfSubtableEntry<TRule> Entry = entry;
}
