using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Wire.Actions;

namespace FastPath.OpenFlow.Wire.Tables;

/// <summary>The OXM/NXM headers a table-features reply names fields by.</summary>
public static class TableFeatureFields
{
    /// <summary>
    /// Every header that names <paramref name="field"/>, with the has-mask bit when <paramref name="masked"/> (in
    /// OFPTFPT_MATCH: the field takes an arbitrary mask): its OpenFlow basic OXM and its Nicira NXM, as Open vSwitch
    /// 3.1 lists its own fields. ovs-ofctl prints a field once whichever header named it, but NXM_OF_IN_PORT and
    /// OXM_OF_IN_PORT are two fields to it (in_port and in_port_oxm).
    /// </summary>
    public static IEnumerable<uint> Headers(OfField field, bool masked)
    {
        uint oxm = FieldHeaders.OxmHeader(field, masked);
        uint nxm = FieldHeaders.NxmHeader(field, masked);
        return oxm == nxm ? [oxm] : [oxm, nxm];
    }
}
