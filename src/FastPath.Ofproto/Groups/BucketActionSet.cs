using FastPath.OpenFlow.Actions;

namespace FastPath.Ofproto.Groups;

/// <summary>
/// A bucket's actions in the order they run. OpenFlow makes a bucket an action set, and Open vSwitch runs it as
/// one: the last pop_vlan, pop_mpls, push_mpls, push_vlan, dec_ttl and dec_mpls_ttl, then every set-field and
/// move in the order written, the last set_queue, and finally the last group, or failing one the last output
/// (a bucket with neither does nothing at all, since a rewritten packet sent nowhere is no different from none).
/// </summary>
public static class BucketActionSet
{
    /// <summary>The actions of a bucket written as <paramref name="actions"/>, in the order they run.</summary>
    public static IReadOnlyList<OfAction> Order(IReadOnlyList<OfAction> actions)
    {
        var program = new List<OfAction>();
        AddLast<PopVlanAction>();
        AddLast<PopMplsAction>();
        AddLast<PushMplsAction>();
        AddLast<PushVlanAction>();
        AddLast<DecTtlAction>();
        AddLast<DecMplsTtlAction>();
        program.AddRange(actions.Where(IsSetOrMove));
        AddLast<SetQueueAction>();
        if (!AddLast<GroupAction>() && !AddLast<OutputAction>())
        {
            return [];
        }

        return program;

        bool AddLast<T>()
            where T : OfAction
        {
            T? last = actions.OfType<T>().LastOrDefault();
            if (last is null)
            {
                return false;
            }

            program.Add(last);
            return true;
        }
    }

    private static bool IsSetOrMove(OfAction a) => a is SetFieldAction or MoveAction or SetVlanVidAction or SetVlanPcpAction
        or SetNwTtlAction or SetMplsLabelAction or SetMplsTcAction or SetMplsTtlAction;
}
