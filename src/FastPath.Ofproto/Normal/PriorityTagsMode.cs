namespace FastPath.Ofproto.Normal;

/// <summary>The Port table's other_config:priority-tags: whether frames may leave with an 802.1Q header carrying VID 0.</summary>
public enum PriorityTagsMode
{
    /// <summary>
    /// The default: access ports send no header; a frame leaving another port in VLAN 0 keeps a header only if it
    /// arrived with a nonzero priority (what ovs-vswitchd does, though ovs-vswitchd.conf.db(5) says the header is
    /// omitted whenever the VID is 0).
    /// </summary>
    Never,

    /// <summary>The input priority is kept on output, so a frame in VLAN 0 with a nonzero priority leaves priority-tagged, access ports included.</summary>
    IfNonzero,

    /// <summary>As <see cref="IfNonzero"/>, and a frame in VLAN 0 leaves a trunk with a header even when VID and priority are both 0.</summary>
    Always,
}
