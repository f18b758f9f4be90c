namespace FastPath.OpenFlow.Fields;

/// <summary>OXM class of a field's TLV header (OpenFlow 1.2+ and Open vSwitch's NXM classes).</summary>
public enum OxmClass : ushort
{
    /// <summary>NXM_OF_*: Open vSwitch's original OpenFlow 1.0 fields.</summary>
    Nxm0 = 0x0000,
    /// <summary>NXM_NX_*: Open vSwitch extension fields (registers, tunnel id...).</summary>
    Nxm1 = 0x0001,
    /// <summary>OFPXMC_OPENFLOW_BASIC: the OpenFlow 1.3 basic fields.</summary>
    OpenFlowBasic = 0x8000,
}
