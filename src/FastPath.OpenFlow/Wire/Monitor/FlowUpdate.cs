using FastPath.OpenFlow.Rules;

namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>
/// One update of a flow monitor reply (Open vSwitch's ofputil_flow_update): a flow added, deleted or modified
/// (its table, priority, timeouts, cookie, match and, when the monitor asked, its instructions), or an abbreviation
/// of the receiver's own change, or OpenFlow 1.4's paused/resumed marker.
/// </summary>
/// <param name="Event">What happened.</param>
/// <param name="Rule">The flow (table, priority, timeouts, cookie, match, instructions: <see cref="Instructions.OfInstructionSet.Drop"/> when not reported); null for abbreviations and markers.</param>
/// <param name="Reason">Why a deleted flow went (OFPRR_*); 0 otherwise.</param>
/// <param name="Xid">The xid of the receiver's own request (<see cref="FlowUpdateEvent.Abbrev"/>).</param>
public sealed record FlowUpdate(FlowUpdateEvent Event, FlowRule? Rule, byte Reason = 0, uint Xid = 0)
{
    /// <summary>An abbreviated update for the receiver's own request <paramref name="xid"/>.</summary>
    public static FlowUpdate Abbreviated(uint xid) => new(FlowUpdateEvent.Abbrev, null, 0, xid);
}
