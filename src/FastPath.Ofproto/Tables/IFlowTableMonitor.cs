using FastPath.OpenFlow.Instructions;

namespace FastPath.Ofproto.Tables;

/// <summary>
/// Told of every change to the flow tables, whatever made it (a flow-mod of any connection, a learn action, a
/// timeout, a group or meter delete): what flow monitoring reports (Open vSwitch's ofmonitor_report). Called on the
/// ofproto thread right after the change.
/// </summary>
public interface IFlowTableMonitor
{
    /// <summary><paramref name="rule"/> was added (perhaps in place of an identical rule, which is not reported removed).</summary>
    void RuleAdded(OfRule rule);

    /// <summary>A modify changed <paramref name="rule"/>'s instructions (which were <paramref name="oldInstructions"/>) or cookie.</summary>
    void RuleModified(OfRule rule, OfInstructionSet oldInstructions);

    /// <summary><paramref name="rule"/> left its table for <paramref name="reason"/>.</summary>
    void RuleRemoved(OfRule rule, FlowRemovedReason reason);
}
