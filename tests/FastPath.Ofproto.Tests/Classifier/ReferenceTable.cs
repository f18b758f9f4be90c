using FastPath.OpenFlow.Flows;

namespace FastPath.Ofproto.Tests.Classifier;

/// <summary>
/// The brute-force model of an OpenFlow table: a list scanned linearly. It follows the classifier's documented
/// tie rule (among matching rules of the top priority, the one whose mask's subtable is searched first: higher
/// highest priority, then older), tracking when each mask's subtable came to exist.
/// </summary>
internal sealed class ReferenceTable
{
    private readonly List<(PipelineMatch Match, int Priority, TestRule Rule)> rules = [];
    private readonly Dictionary<PipelineKey, long> maskCreated = [];
    private long sequence;

    public int Count => rules.Count;

    public IReadOnlyList<(PipelineMatch Match, int Priority, TestRule Rule)> Rules => rules;

    public TestRule? Insert(PipelineMatch match, int priority, TestRule rule)
    {
        match.Normalize();
        int i = rules.FindIndex(r => r.Priority == priority && r.Match == match);
        if (i >= 0)
        {
            TestRule old = rules[i].Rule;
            rules[i] = (match, priority, rule);
            return old;
        }

        maskCreated.TryAdd(match.Mask, sequence++);
        rules.Add((match, priority, rule));
        return null;
    }

    public bool Remove(TestRule rule)
    {
        int i = rules.FindIndex(r => ReferenceEquals(r.Rule, rule));
        if (i < 0)
        {
            return false;
        }

        PipelineKey mask = rules[i].Match.Mask;
        rules.RemoveAt(i);
        if (!rules.Any(r => r.Match.Mask == mask))
        {
            maskCreated.Remove(mask);
        }

        return true;
    }

    public TestRule? Lookup(in PipelineKey flow)
    {
        var maxOfMask = new Dictionary<PipelineKey, int>();
        foreach ((PipelineMatch m, int p, _) in rules)
        {
            maxOfMask[m.Mask] = Math.Max(p, maxOfMask.GetValueOrDefault(m.Mask, int.MinValue));
        }

        PipelineKey f = flow;
        return rules
            .Where(r => r.Match.Matches(f))
            .OrderByDescending(r => r.Priority)
            .ThenByDescending(r => maxOfMask[r.Match.Mask])
            .ThenBy(r => maskCreated[r.Match.Mask])
            .Select(r => r.Rule)
            .FirstOrDefault();
    }
}
