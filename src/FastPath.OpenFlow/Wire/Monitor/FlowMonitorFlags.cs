namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>
/// What a flow monitor reports and how (Open vSwitch's NXFMF_* bits, which ONF's extension shares; OpenFlow 1.4's
/// OFPFMF_* map onto them, ONLY_OWN standing for <see cref="Own"/> as Open vSwitch 3.1 maps it both ways).
/// </summary>
[Flags]
public enum FlowMonitorFlags : ushort
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>NXFMF_INITIAL: the flows matching now, in the reply to the request.</summary>
    Initial = 1,

    /// <summary>NXFMF_ADD: flows as they are added.</summary>
    Add = 2,

    /// <summary>NXFMF_DELETE: flows as they are removed.</summary>
    Delete = 4,

    /// <summary>NXFMF_MODIFY: flows as their actions (or cookie) change.</summary>
    Modify = 8,

    /// <summary>NXFMF_ACTIONS: updates carry the flows' actions.</summary>
    Actions = 16,

    /// <summary>NXFMF_OWN: the connection's own changes are reported in full, not abbreviated to their xid.</summary>
    Own = 32,

    /// <summary>Every flag a request may carry.</summary>
    All = Initial | Add | Delete | Modify | Actions | Own,
}
