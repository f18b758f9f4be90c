using System.Collections.Immutable;

namespace FastPath.Ovsdb.Vswitch;

/// <summary>A Port row, its interfaces resolved.</summary>
/// <param name="Uuid">The row.</param>
/// <param name="Name">name.</param>
/// <param name="Interfaces">interfaces, by name (one, unless a bond).</param>
/// <param name="Tag">tag: the access VLAN, or null.</param>
/// <param name="Trunks">trunks: the VLANs a trunk port carries (empty: all).</param>
/// <param name="VlanMode">vlan_mode ("access", "trunk", "native-tagged", "native-untagged", …) or null.</param>
/// <param name="OtherConfig">other_config.</param>
/// <param name="ExternalIds">external_ids.</param>
public sealed record PortConfig(
    Guid Uuid,
    string Name,
    ImmutableArray<InterfaceConfig> Interfaces,
    long? Tag,
    ImmutableArray<long> Trunks,
    string? VlanMode,
    ImmutableSortedDictionary<string, string> OtherConfig,
    ImmutableSortedDictionary<string, string> ExternalIds);
