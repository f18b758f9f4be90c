namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// A generated OpenFlow rule set: the rules, in <c>ovs-ofctl add-flows</c> syntax, as
/// <see cref="OvsRuleGenerator"/> made them for <see cref="Seed"/>.
/// </summary>
/// <param name="Seed">The seed that reproduces this rule set (<see cref="OvsRuleGenerator.RuleSet(int)"/>).</param>
/// <param name="Rules">The rules; within a table every rule has its own priority.</param>
public sealed record OvsRuleSet(int Seed, IReadOnlyList<GeneratedRule> Rules)
{
    /// <summary>One <c>add-flows</c> line per rule, e.g. <c>table=0,priority=7,in_port=1,ip,nw_src=10.0.0.0/8,actions=output:2</c>.</summary>
    public IReadOnlyList<string> Lines => Rules.Select(r => r.Line).ToList();

    /// <inheritdoc/>
    public override string ToString() => $"rule set {Seed}:\n  " + string.Join("\n  ", Lines);
}

/// <summary>One generated rule.</summary>
/// <param name="Table">OpenFlow table (0 is where packets start).</param>
/// <param name="Priority">Priority, unique within the table (so no two rules of a table overlap at equal priority, where OpenFlow leaves the choice undefined).</param>
/// <param name="Match">The match, as ovs-ofctl items in order (<c>in_port=1</c>, <c>tcp</c>, <c>tcp_dst=0x50/0xfff0</c>); empty matches everything.</param>
/// <param name="Actions">The actions and instructions in order (<c>mod_nw_src:10.0.0.1</c>, <c>output:2</c>, <c>goto_table:1</c>); <c>drop</c> alone means none.</param>
public sealed record GeneratedRule(int Table, int Priority, IReadOnlyList<string> Match, IReadOnlyList<string> Actions)
{
    /// <summary>What the rule matches, in the generator's terms; it builds trace flows that hit the rule from it.</summary>
    internal OvsRuleGenerator.RuleModel? Model { get; init; }

    /// <summary>The rule as an ovs-ofctl add-flows line.</summary>
    public string Line
    {
        get
        {
            string head = $"table={Table},priority={Priority}";
            string match = Match.Count == 0 ? "" : "," + string.Join(',', Match);
            return $"{head}{match},actions={string.Join(',', Actions)}";
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Line;
}
