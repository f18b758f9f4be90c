using FastPath.Datapath;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Bridge;

namespace FastPath.Daemon.Appctl;

/// <summary>
/// Every datapath of the switch as the datapath-level commands see them. Open vSwitch runs one userspace datapath
/// for all netdev bridges; FastPath runs one per bridge, so these commands go over all of them, in bridge-name
/// order, and print them as the one <c>netdev@ovs-netdev</c>.
/// </summary>
internal static class SwitchDatapaths
{
    /// <summary>The datapaths, with the bridge each belongs to (the first, for a datapath shared by several).</summary>
    public static IReadOnlyList<(string Bridge, NetdevDatapath Datapath)> All(ISwitchView view)
    {
        var seen = new HashSet<NetdevDatapath>(ReferenceEqualityComparer.Instance);
        var list = new List<(string, NetdevDatapath)>();
        foreach (BridgeHost b in view.Bridges.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            if (seen.Add(b.Datapath))
            {
                list.Add((b.Name, b.Datapath));
            }
        }

        // No bridge: the view's own datapath, or its error ("no datapaths exist").
        return list.Count > 0 ? list : [(string.Empty, view.Datapath)];
    }

    /// <summary>Every PMD of every datapath, with its datapath.</summary>
    public static IEnumerable<(PmdThread Pmd, NetdevDatapath Datapath)> Pmds(ISwitchView view) =>
        All(view).SelectMany(d => d.Datapath.Pmds.Select(p => (p, d.Datapath)));
}
