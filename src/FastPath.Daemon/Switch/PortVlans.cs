using FastPath.Ofproto.Normal;
using FastPath.Ovsdb.Vswitch;

namespace FastPath.Daemon.Switch;

/// <summary>
/// A Port row's VLAN columns (<c>tag</c>, <c>trunks</c>, <c>vlan_mode</c>, <c>other_config:priority-tags</c>) as
/// the NORMAL action's <see cref="PortVlanConfig"/>, read as Open vSwitch's bridge.c port_configure reads them: a
/// tag outside 0-4095 is no tag, a trunk port's tag is ignored, and without vlan_mode a tagged port is an access
/// port.
/// </summary>
public static class PortVlans
{
    /// <summary>The configuration; <paramref name="warning"/> says what was ignored, null if nothing.</summary>
    public static PortVlanConfig From(PortConfig port, out string? warning)
    {
        ArgumentNullException.ThrowIfNull(port);
        warning = null;
        int? tag = port.Tag is long t and >= 0 and <= 4095 ? (int)t : null;
        int[] trunks = [.. port.Trunks.Where(v => v is >= 0 and <= 4095).Select(v => (int)v)];
        PortVlanMode? mode = port.VlanMode switch
        {
            null or "" => null,
            "access" => PortVlanMode.Access,
            "trunk" => PortVlanMode.Trunk,
            "native-tagged" => PortVlanMode.NativeTagged,
            "native-untagged" => PortVlanMode.NativeUntagged,
            string other => Unsupported(other, out warning),
        };
        if (mode == PortVlanMode.Trunk && tag is not null)
        {
            // ofproto-dpif's bundle_set uses no VLAN of a trunk port's own.
            tag = null;
        }
        else if (mode is null && tag is not null && trunks.Length > 0)
        {
            warning = "ignoring trunks in favor of implicit vlan";
        }

        PriorityTagsMode priority = port.OtherConfig.GetValueOrDefault("priority-tags") switch
        {
            "if-nonzero" => PriorityTagsMode.IfNonzero,
            "always" => PriorityTagsMode.Always,
            _ => PriorityTagsMode.Never,
        };
        return PortVlanConfig.Create(mode, tag, trunks.Length > 0 ? trunks : null, priority);
    }

    private static PortVlanMode? Unsupported(string mode, out string? warning)
    {
        // dot1q-tunnel (QinQ with a service VLAN) is not in FastPath's NORMAL: the port falls back to trunk, as
        // ovs-vswitchd falls back for a mode it does not know.
        warning = $"VLAN mode {mode} is not supported by FastPath, falling back to trunk mode";
        return PortVlanMode.Trunk;
    }
}
