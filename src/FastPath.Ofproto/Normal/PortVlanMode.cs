namespace FastPath.Ofproto.Normal;

/// <summary>The Port table's vlan_mode column (ovs-vswitchd.conf.db(5), "VLAN Configuration"), dot1q-tunnel aside.</summary>
public enum PortVlanMode
{
    /// <summary>Carries the VLANs in trunks (all when empty): VLAN from the 802.1Q header, 0 when untagged; tagged on output when the VLAN is nonzero.</summary>
    Trunk,

    /// <summary>Carries exactly the VLAN in tag: untagged (or priority-tagged, VID 0) frames only in, never a header out.</summary>
    Access,

    /// <summary>A trunk whose untagged frames are in the native VLAN (tag); output is tagged, native VLAN included.</summary>
    NativeTagged,

    /// <summary>As <see cref="NativeTagged"/>, but frames leave the native VLAN without a header.</summary>
    NativeUntagged,
}
