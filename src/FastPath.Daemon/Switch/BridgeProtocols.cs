using System.Collections.Immutable;
using FastPath.OpenFlow.Wire;

namespace FastPath.Daemon.Switch;

/// <summary>
/// The Bridge <c>protocols</c> column as a version bitmap for the bridge's OpenFlow listeners and controllers (bit N:
/// wire version N), as Open vSwitch's bridge_get_allowed_versions makes it: empty means the default set, OpenFlow 1.0
/// to 1.5 (checked against ovs-vswitchd 3.1).
/// </summary>
public static class BridgeProtocols
{
    private static readonly (string Name, byte Wire)[] Names =
        [("OpenFlow10", 0x01), ("OpenFlow11", 0x02), ("OpenFlow12", 0x03), ("OpenFlow13", 0x04), ("OpenFlow14", 0x05), ("OpenFlow15", 0x06)];

    /// <summary>
    /// The versions <paramref name="protocols"/> allows that FastPath speaks. <paramref name="refused"/> names the
    /// ones FastPath does not speak (OpenFlow 1.1 and 1.2), null if none. When none of the listed versions is spoken,
    /// the default set is used, so the bridge stays manageable (and the caller logs why).
    /// </summary>
    public static uint AllowedVersions(ImmutableArray<string> protocols, out string? refused)
    {
        refused = null;
        uint bits = 0;
        foreach (string p in protocols)
        {
            int i = Array.FindIndex(Names, n => n.Name == p);
            if (i < 0)
            {
                // The schema's constraint lets no other value in; ignore one all the same, as ovs-vswitchd does.
                continue;
            }

            uint bit = 1u << Names[i].Wire;
            if ((OfVersions.Supported & bit) == 0)
            {
                refused = refused is null ? p : refused + "," + p;
            }

            bits |= bit;
        }

        uint allowed = (protocols.IsDefaultOrEmpty ? DefaultVersions : bits) & OfVersions.Supported;
        return allowed != 0 ? allowed : DefaultVersions & OfVersions.Supported;
    }

    /// <summary>Open vSwitch 3.1's default: OpenFlow 1.0 through 1.5.</summary>
    public static uint DefaultVersions => 0x7e;

    /// <summary>A bitmap as the column spells it ("OpenFlow10,OpenFlow13").</summary>
    public static string Format(uint versions) =>
        string.Join(',', Names.Where(n => (versions & (1u << n.Wire)) != 0).Select(n => n.Name));
}
