using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Rules;

/// <summary>One flow-mod request, whatever protocol version or tool it came from.</summary>
/// <param name="Command">What to do.</param>
/// <param name="Rule">The rule to add, or the new instructions and flags for a modify, or the filter (table, match, priority, cookie and cookie mask) of a modify or delete.</param>
/// <param name="OutPort">Delete: only rules that output to this port (<see cref="OfPorts.Any"/>: no filter).</param>
/// <param name="OutGroup">Delete: only rules that send to this group (<see cref="AnyGroup"/>: no filter).</param>
/// <param name="AllTables">Modify or delete in every table (table id 0xff).</param>
/// <param name="ModifyAddsIfNone">OpenFlow 1.0: a modify that matches no rule adds one.</param>
/// <param name="BufferId">The buffered packet to run through the rule once it is in place (<see cref="NoBuffer"/>: none).</param>
/// <param name="ModifyCookie">
/// Modify: a flow-mod without a cookie mask gives the rules it changes its cookie (OpenFlow 1.0, NXM and learn, as in
/// Open vSwitch); from OpenFlow 1.2 on the cookie only filters and every rule keeps its own.
/// </param>
public sealed record FlowMod(
    FlowModCommand Command,
    FlowRule Rule,
    uint OutPort = OfPorts.Any,
    uint OutGroup = FlowMod.AnyGroup,
    bool AllTables = false,
    bool ModifyAddsIfNone = false,
    uint BufferId = FlowMod.NoBuffer,
    bool ModifyCookie = false)
{
    /// <summary>OFP_NO_BUFFER: the flow-mod names no buffered packet.</summary>
    public const uint NoBuffer = 0xffffffff;

    /// <summary>OFPG_ANY.</summary>
    public const uint AnyGroup = 0xffffffff;
}
