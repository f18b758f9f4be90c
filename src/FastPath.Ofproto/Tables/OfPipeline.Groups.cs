using FastPath.Ofproto.Groups;
using FastPath.OpenFlow.Actions;

namespace FastPath.Ofproto.Tables;

/// <summary>The pipeline's group table and the group-mods that change it.</summary>
public sealed partial class OfPipeline
{
    /// <summary>The group table rules send to (change it through <see cref="ApplyGroupMod"/>).</summary>
    public GroupTable Groups { get; } = new();

    /// <summary>
    /// Applies <paramref name="mod"/> to the group table at <paramref name="nowTicks"/> (Stopwatch ticks). A
    /// deleted group takes with it every rule that sends to it, as in Open vSwitch; those rules are returned
    /// (reason <see cref="FlowRemovedReason.GroupDelete"/>). Any change moves <see cref="Version"/>, so every
    /// megaflow is translated again with the groups as they now are.
    /// </summary>
    /// <exception cref="GroupModException">The group-mod is refused; nothing changed.</exception>
    public List<RemovedRule> ApplyGroupMod(GroupMod mod, long nowTicks)
    {
        long before = Groups.Version;
        IReadOnlyList<uint> deleted = Groups.Apply(mod, nowTicks);
        var removed = new List<RemovedRule>();
        if (deleted.Count > 0)
        {
            var gone = new HashSet<uint>(deleted);
            foreach (OfRule rule in Rules.Where(r => UsesAnyGroup(r, gone)).ToList())
            {
                Remove(rule, FlowRemovedReason.GroupDelete);
                removed.Add(new RemovedRule(rule, FlowRemovedReason.GroupDelete));
            }
        }

        if (Groups.Version != before)
        {
            Version++;
        }

        return removed;
    }

    /// <summary>How many rules and groups send to group <paramref name="groupId"/> (the ref_count of group statistics).</summary>
    public int GroupRefCount(uint groupId) =>
        Rules.Count(r => UsesAnyGroup(r, [groupId])) + Groups.GroupReferences(groupId);

    private static bool UsesAnyGroup(OfRule rule, HashSet<uint> groups) =>
        AllActions(rule.Spec.Instructions).Any(a => a is GroupAction g && groups.Contains(g.GroupId));
}
