using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Upcalls;
using FastPath.Packets;

namespace FastPath.Ofproto.Tests.Upcalls;

/// <summary>
/// A translator over a list of non-overlapping datapath rules, each installed as its own megaflow and credited
/// to a counter of its own: enough to exercise upcalls and revalidation on a real datapath before the OpenFlow
/// xlate is wired in (it is not xlate). Changing the list bumps <see cref="Version"/>.
/// </summary>
internal sealed class RuleListTranslator : IFlowTranslator
{
    private readonly List<Rule> rules = [];

    public RuleListTranslator(IEnumerable<(FlowMatch Match, byte[] Actions)> initial)
    {
        foreach ((FlowMatch m, byte[] a) in initial)
        {
            rules.Add(new Rule(m, a));
        }
    }

    public long Version { get; private set; } = 1;

    public int Translations { get; private set; }

    public int ActionUpcalls { get; private set; }

    public IReadOnlyList<Rule> Rules => rules;

    public void Replace(int index, byte[] actions)
    {
        rules[index] = new Rule(rules[index].Match, actions);
        Version++;
    }

    public void RemoveAt(int index)
    {
        rules.RemoveAt(index);
        Version++;
    }

    public bool Translate(in FlowKey key, ReadOnlySpan<byte> packet, out FlowTranslation translation)
    {
        Translations++;
        foreach (Rule r in rules)
        {
            if (r.Match.Matches(key))
            {
                translation = new FlowTranslation { Megaflow = r.Match, Actions = r.Actions, Install = true, Credited = [r] };
                return true;
            }
        }

        translation = default;
        return false;
    }

    public void OnActionUpcall(in Upcall upcall) => ActionUpcalls++;

    /// <summary>One rule and the traffic credited to it.</summary>
    internal sealed class Rule(FlowMatch match, byte[] actions) : IFlowStatsSink
    {
        public FlowMatch Match { get; } = match;

        public byte[] Actions { get; } = actions;

        public long Packets { get; private set; }

        public long Bytes { get; private set; }

        public void Credit(long packets, long bytes, long usedTicks)
        {
            Packets += packets;
            Bytes += bytes;
        }
    }
}
