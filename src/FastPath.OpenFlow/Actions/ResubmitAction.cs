using FastPath.OpenFlow.Fields;

namespace FastPath.OpenFlow.Actions;

/// <summary>
/// Open vSwitch's resubmit: looks the packet up again in <see cref="Table"/> (the current table when
/// <see cref="CurrentTable"/>), as if it had come in on <see cref="InPort"/>, runs the actions of the rule found,
/// and then goes on with the actions after it.
/// </summary>
/// <param name="InPort">The input port the lookup sees; <see cref="OfPorts.InPort"/> keeps the packet's own.</param>
/// <param name="Table">The table looked up; <see cref="CurrentTable"/> for the table of the rule the action is in.</param>
public sealed record ResubmitAction(uint InPort = OfPorts.InPort, byte Table = ResubmitAction.CurrentTable) : OfAction
{
    /// <summary>Table 255: the table the resubmitting rule is in (Open vSwitch's default).</summary>
    public const byte CurrentTable = 0xff;

    /// <summary>Open vSwitch's limit on nested resubmits (and goto_tables) in one translation (MAX_DEPTH).</summary>
    public const int MaxDepth = 64;

    /// <summary>Open vSwitch's limit on resubmits in one translation, nested or not (MAX_RESUBMITS).</summary>
    public const int MaxResubmits = MaxDepth * MaxDepth;
}
