using System.Diagnostics;
using FastPath.Ofproto.Classifier;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Flows;
using FastPath.OpenFlow.Instructions;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;

namespace FastPath.Ofproto.Tables;

/// <summary>
/// The OpenFlow flow tables (0-254) and flow-mod semantics as OpenFlow 1.3 defines them: add (replacing an
/// identical rule, or refusing an overlapping one under check_overlap), modify and delete, strict or covering
/// a match, filtered by cookie and mask, out_port and out_group; idle and hard timeouts. Owned by the ofproto
/// thread; <see cref="Version"/> changes with every change, which is what sends megaflows to revalidation.
/// </summary>
public sealed partial class OfPipeline
{
    /// <summary>Number of tables (0-254; 255 means "all" in requests).</summary>
    public const int TableCount = 255;

    private readonly OfClassifier<OfRule>[] tables;
    private readonly TableCounters[] counters;
    private readonly HashSet<OfRule> timed = [];

    /// <summary>Empty tables.</summary>
    public OfPipeline()
    {
        tables = new OfClassifier<OfRule>[TableCount];
        counters = new TableCounters[TableCount];
        for (int i = 0; i < TableCount; i++)
        {
            tables[i] = new OfClassifier<OfRule>();
            counters[i] = new TableCounters();
        }

        GroupExists = Groups.Contains;
    }

    /// <summary>Changes with every rule added, modified or removed.</summary>
    public long Version { get; private set; } = 1;

    /// <summary>Groups that exist; a rule may only send to one of these (by default, those of <see cref="Groups"/>).</summary>
    public Func<uint, bool> GroupExists { get; set; }

    /// <summary>Meters that exist; a rule may only use one of these. <see cref="Meters.OfMeterTable"/> sets it to its own.</summary>
    public Func<uint, bool> MeterExists { get; set; } = _ => false;

    /// <summary>Told of every rule added, modified or removed (flow monitoring); null: nobody.</summary>
    public IFlowTableMonitor? Monitor { get; set; }

    /// <summary>Rules in all tables.</summary>
    public int Count => tables.Sum(t => t.Count);

    /// <summary>Table <paramref name="id"/>'s classifier (lookups with wildcard tracking).</summary>
    public OfClassifier<OfRule> Table(byte id) => id < TableCount ? tables[id] : throw new ArgumentOutOfRangeException(nameof(id));

    /// <summary>Table <paramref name="id"/>'s lookup and match counts.</summary>
    public TableCounters Counters(byte id) => id < TableCount ? counters[id] : throw new ArgumentOutOfRangeException(nameof(id));

    /// <summary>Every rule, table by table.</summary>
    public IEnumerable<OfRule> Rules => tables.SelectMany(t => t.Rules.Select(r => r.Rule));

    /// <summary>
    /// Applies <paramref name="mod"/> at <paramref name="nowTicks"/> (Stopwatch ticks). Returns the rules it
    /// removed (a delete's, or the one an add replaced is not reported, as OpenFlow says).
    /// </summary>
    /// <exception cref="FlowModException">The flow-mod is refused; nothing changed.</exception>
    public List<RemovedRule> Apply(FlowMod mod, long nowTicks)
    {
        FlowRule r = mod.Rule;
        // Table 255 ("all") is allowed for modify and delete only.
        if (r.TableId >= TableCount && (mod.Command == FlowModCommand.Add || !mod.AllTables))
        {
            throw new FlowModException(FlowModError.BadTableId, $"no table {r.TableId}");
        }

        var removed = new List<RemovedRule>();
        switch (mod.Command)
        {
            case FlowModCommand.Add:
                Add(r, nowTicks);
                break;
            case FlowModCommand.Modify:
            case FlowModCommand.ModifyStrict:
                Validate(r);
                List<OfRule> targets = Select(mod, strict: mod.Command == FlowModCommand.ModifyStrict);
                if (targets.Count == 0)
                {
                    // A modify that filters on the cookie adds nothing (Open vSwitch: the cookie then names existing rules).
                    if (mod.ModifyAddsIfNone && mod.Rule.CookieMask == 0)
                    {
                        Add(r, nowTicks);
                    }

                    break;
                }

                foreach (OfRule rule in targets)
                {
                    FlowRule before = rule.Spec;

                    // A modify changes what the rule does, never what it matches, where it is, its timeouts or its
                    // flags (OpenFlow 1.3 6.4; Open vSwitch keeps send_flow_rem across a mod-flows that omits it), and
                    // its cookie unless the protocol makes the flow-mod's cookie the new one (OpenFlow 1.0 and NXM).
                    rule.Spec = rule.Spec with { Instructions = r.Instructions, Cookie = mod.ModifyCookie && mod.Rule.CookieMask == 0 ? r.Cookie : rule.Spec.Cookie };
                    if ((r.Flags & FlowModFlags.ResetCounts) != 0)
                    {
                        rule.ResetCounters();
                    }

                    // Open vSwitch reports a modify that changed nothing to no flow monitor.
                    if (!before.Instructions.Equals(rule.Spec.Instructions) || before.Cookie != rule.Spec.Cookie)
                    {
                        Monitor?.RuleModified(rule, before.Instructions);
                    }
                }

                Version++;
                break;
            case FlowModCommand.Delete:
            case FlowModCommand.DeleteStrict:
                foreach (OfRule rule in Select(mod, strict: mod.Command == FlowModCommand.DeleteStrict))
                {
                    Remove(rule, FlowRemovedReason.Delete);
                    removed.Add(new RemovedRule(rule, FlowRemovedReason.Delete));
                }

                break;
        }

        return removed;
    }

    /// <summary>
    /// Removes every rule <paramref name="predicate"/> selects, for <paramref name="reason"/> (a meter's delete
    /// takes the rules that use it, as Open vSwitch does); returns them.
    /// </summary>
    public List<RemovedRule> RemoveWhere(Func<OfRule, bool> predicate, FlowRemovedReason reason)
    {
        List<OfRule> selected = Rules.Where(predicate).ToList();
        foreach (OfRule rule in selected)
        {
            Remove(rule, reason);
        }

        return selected.ConvertAll(r => new RemovedRule(r, reason));
    }

    /// <summary>Marks the tables changed though no rule did (a meter came or went), so every megaflow is re-translated.</summary>
    internal void Invalidate() => Version++;

    /// <summary>Removes the rules whose idle or hard timeout passed at <paramref name="nowTicks"/>; returns them with the reason.</summary>
    public IReadOnlyList<RemovedRule> Expire(long nowTicks)
    {
        // Called every second whether or not a rule has a timeout: the list is made only when one expires.
        List<RemovedRule>? expired = null;
        foreach (OfRule rule in timed)
        {
            FlowRule s = rule.Spec;
            if (s.HardTimeout != 0 && nowTicks - rule.CreatedTicks >= s.HardTimeout * Stopwatch.Frequency)
            {
                (expired ??= []).Add(new RemovedRule(rule, FlowRemovedReason.HardTimeout));
            }
            else if (s.IdleTimeout != 0 && nowTicks - rule.LastUsedTicks >= s.IdleTimeout * Stopwatch.Frequency)
            {
                (expired ??= []).Add(new RemovedRule(rule, FlowRemovedReason.IdleTimeout));
            }
        }

        if (expired is null)
        {
            return [];
        }

        foreach (RemovedRule e in expired)
        {
            Remove(e.Rule, e.Reason);
        }

        return expired;
    }

    private void Add(FlowRule r, long nowTicks)
    {
        Validate(r);
        OfClassifier<OfRule> table = tables[r.TableId];
        PipelineMatch match = r.Match;
        match.Normalize();
        if ((r.Flags & FlowModFlags.CheckOverlap) != 0)
        {
            foreach (OfClassifierRule<OfRule> other in table.Rules)
            {
                if (other.Priority == r.Priority && Overlap(other.Match, match) && !other.Match.Equals(match))
                {
                    throw new FlowModException(FlowModError.Overlap, $"overlaps a rule of priority {r.Priority} in table {r.TableId}");
                }
            }
        }

        var rule = new OfRule(r with { Match = match }, nowTicks);
        OfRule? old = table.Insert(match, r.Priority, rule);
        if (old != null)
        {
            old.Removed = true;
            timed.Remove(old);

            // Open vSwitch keeps the counters of a rule an identical add replaces unless the add says reset_counts
            // (its modify_keep_counts): a controller that installs the same flow again does not zero it.
            if ((r.Flags & FlowModFlags.ResetCounts) == 0)
            {
                rule.TakeCountersFrom(old);
            }
        }

        if (r.IdleTimeout != 0 || r.HardTimeout != 0)
        {
            timed.Add(rule);
        }

        Version++;

        // A rule an identical add replaced is reported as added, as Open vSwitch does.
        Monitor?.RuleAdded(rule);
    }

    private void Remove(OfRule rule, FlowRemovedReason reason)
    {
        tables[rule.TableId].Remove(rule);
        timed.Remove(rule);
        rule.Removed = true;
        Version++;
        Monitor?.RuleRemoved(rule, reason);
    }

    /// <summary>
    /// The rules a modify or delete selects: by exact match and priority (<paramref name="strict"/>) or covered by
    /// the match, then by cookie under the cookie mask, and for deletes by out_port and out_group. A flow or
    /// aggregate stats request selects what a delete with its filter would.
    /// </summary>
    public List<OfRule> Select(FlowMod mod, bool strict)
    {
        FlowRule f = mod.Rule;
        var selected = new List<OfRule>();
        IEnumerable<OfClassifier<OfRule>> scope = mod.AllTables || f.TableId >= TableCount ? tables : [tables[f.TableId]];
        bool isDelete = mod.Command is FlowModCommand.Delete or FlowModCommand.DeleteStrict;
        foreach (OfClassifier<OfRule> t in scope)
        {
            IEnumerable<OfRule> candidates;
            if (strict)
            {
                OfRule? exact = t.FindExact(f.Match, f.Priority);
                candidates = exact == null ? [] : [exact];
            }
            else
            {
                candidates = t.FindLoose(f.Match).Select(c => c.Rule);
            }

            foreach (OfRule rule in candidates)
            {
                if ((rule.Spec.Cookie & f.CookieMask) != (f.Cookie & f.CookieMask))
                {
                    continue;
                }

                if (isDelete && (!OutputsTo(rule.Spec.Instructions, mod.OutPort) || !SendsToGroup(rule.Spec.Instructions, mod.OutGroup)))
                {
                    continue;
                }

                selected.Add(rule);
            }
        }

        return selected;
    }

    private static IEnumerable<OfAction> AllActions(OfInstructionSet set) => set.ApplyActions.Concat(set.WriteActions ?? []);

    /// <summary>Whether <paramref name="set"/> outputs to <paramref name="port"/> (any port: <see cref="OfPorts.Any"/>), as out_port filters mean.</summary>
    internal static bool OutputsTo(OfInstructionSet set, uint port) =>
        port == OfPorts.Any || AllActions(set).Any(a => a is OutputAction o && o.Port == port);

    /// <summary>Whether <paramref name="set"/> sends to <paramref name="group"/> (any group: <see cref="FlowMod.AnyGroup"/>), as out_group filters mean.</summary>
    internal static bool SendsToGroup(OfInstructionSet set, uint group) =>
        group == FlowMod.AnyGroup || AllActions(set).Any(a => a is GroupAction g && g.GroupId == group);

    // Two matches overlap when some packet matches both: they agree on every bit both masks hold.
    private static bool Overlap(in PipelineMatch a, in PipelineMatch b)
    {
        ReadOnlySpan<ulong> ak = a.Key.ReadOnlyWords;
        ReadOnlySpan<ulong> am = a.Mask.ReadOnlyWords;
        ReadOnlySpan<ulong> bk = b.Key.ReadOnlyWords;
        ReadOnlySpan<ulong> bm = b.Mask.ReadOnlyWords;
        for (int i = 0; i < PipelineKey.Words; i++)
        {
            ulong both = am[i] & bm[i];
            if (((ak[i] ^ bk[i]) & both) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private void Validate(FlowRule r)
    {
        OfInstructionSet set = r.Instructions;
        if (set.GotoTable is byte next && (next <= r.TableId || next >= TableCount))
        {
            throw new FlowModException(FlowModError.BadGotoTable, $"goto_table:{next} from table {r.TableId}: the target must be a later table");
        }

        if (set.Meter is uint meter && !MeterExists(meter))
        {
            throw new FlowModException(FlowModError.InvalidMeter, $"no meter {meter}");
        }

        foreach (OfAction a in AllActions(set))
        {
            switch (a)
            {
                case OutputAction o when o.Port > OfPorts.Max && o.Port is not (OfPorts.InPort or OfPorts.Normal or OfPorts.Flood or OfPorts.All or OfPorts.Controller or OfPorts.Local):
                    throw new FlowModException(FlowModError.BadOutPort, $"cannot output to {OfPorts.Format(o.Port)}");
                case OutputAction o when o.Port == 0:
                    throw new FlowModException(FlowModError.BadOutPort, "port 0 is not a port");
                case GroupAction g when !GroupExists(g.GroupId):
                    throw new FlowModException(FlowModError.BadOutGroup, $"no group {g.GroupId}");
            }
        }

        try
        {
            ActionText.Validate(set, r.Match);
        }
        catch (FlowSyntaxException e)
        {
            throw new FlowModException(FlowModError.BadAction, e.Message);
        }
    }
}
