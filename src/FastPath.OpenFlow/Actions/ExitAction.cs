namespace FastPath.OpenFlow.Actions;

/// <summary>Open vSwitch's exit: stops the whole pipeline here (no further action, resubmitted or not, and no action set).</summary>
public sealed record ExitAction : OfAction;
