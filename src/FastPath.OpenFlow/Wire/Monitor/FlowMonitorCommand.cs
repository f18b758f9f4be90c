namespace FastPath.OpenFlow.Wire.Monitor;

/// <summary>OpenFlow 1.4's flow monitor request commands (OFPFMC_*); NX and ONF requests always add.</summary>
public enum FlowMonitorCommand : byte
{
    /// <summary>OFPFMC_ADD: a new monitor.</summary>
    Add = 0,

    /// <summary>OFPFMC_MODIFY: replaces a monitor with the same id.</summary>
    Modify = 1,

    /// <summary>OFPFMC_DELETE: cancels the monitor with this id.</summary>
    Delete = 2,
}
