using System.Collections.Immutable;
using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Replication;

namespace FastPath.Ovsdb.Vswitch;

/// <summary>The switch's whole configuration at one moment, read from the vswitch database: the Open_vSwitch row and
/// the bridges it lists, with their ports, interfaces and controllers resolved. Immutable.</summary>
/// <param name="OpenVSwitch">The Open_vSwitch row; null while the database has none (before <c>ovs-vsctl init</c>).</param>
/// <param name="Bridges">The bridges the Open_vSwitch row lists, by name.</param>
/// <param name="Change">The replica change this configuration follows: which rows changed, for a daemon that
/// reconciles only those.</param>
public sealed record VswitchConfig(OpenVSwitchConfig? OpenVSwitch, ImmutableArray<BridgeConfig> Bridges, OvsdbReplicaChange Change)
{
    /// <summary>The bridge named <paramref name="name"/>, or null.</summary>
    public BridgeConfig? Bridge(string name) => Bridges.FirstOrDefault(b => b.Name == name);

    /// <summary>The replica's snapshot this configuration was read from.</summary>
    public OvsdbReplicaSnapshot Snapshot => Change.Snapshot;

    /// <summary>Reads the configuration from a snapshot of the vswitch tables. References to rows the snapshot lacks
    /// are skipped; lists are sorted by name (target for controllers) so equal configurations read alike.</summary>
    public static VswitchConfig Read(OvsdbReplicaChange change)
    {
        OvsdbReplicaSnapshot s = change.Snapshot;
        KeyValuePair<Guid, OvsdbRow>? root = s.Rows("Open_vSwitch").OrderBy(r => r.Key).Cast<KeyValuePair<Guid, OvsdbRow>?>().FirstOrDefault();
        if (root is not { } ovs)
        {
            return new VswitchConfig(null, ImmutableArray<BridgeConfig>.Empty, change);
        }

        var open = new OpenVSwitchConfig(ovs.Key, ovs.Value.Get("next_cfg").AsInteger() ?? 0, StringMap(ovs.Value, "other_config"), StringMap(ovs.Value, "external_ids"));
        ImmutableArray<BridgeConfig> bridges = Resolve(s, "Bridge", ovs.Value.Get("bridges"))
            .Select(b => ReadBridge(s, b.Key, b.Value))
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToImmutableArray();
        return new VswitchConfig(open, bridges, change);
    }

    private static BridgeConfig ReadBridge(OvsdbReplicaSnapshot s, Guid uuid, OvsdbRow r) => new(
        uuid,
        r.Get("name").AsString() ?? "",
        r.Get("datapath_type").AsString() ?? "",
        r.Get("fail_mode").AsString(),
        r.Get("protocols").AsStrings(),
        StringMap(r, "other_config"),
        StringMap(r, "external_ids"),
        Resolve(s, "Port", r.Get("ports")).Select(p => ReadPort(s, p.Key, p.Value)).OrderBy(p => p.Name, StringComparer.Ordinal).ToImmutableArray(),
        Resolve(s, "Controller", r.Get("controller")).Select(c => ReadController(c.Key, c.Value)).OrderBy(c => c.Target, StringComparer.Ordinal).ToImmutableArray(),
        r.Get("mcast_snooping_enable").AsBoolean() ?? false,
        r.Get("stp_enable").AsBoolean() ?? false,
        r.Get("rstp_enable").AsBoolean() ?? false,
        r.Get("flood_vlans").AsIntegers());

    private static PortConfig ReadPort(OvsdbReplicaSnapshot s, Guid uuid, OvsdbRow r) => new(
        uuid,
        r.Get("name").AsString() ?? "",
        Resolve(s, "Interface", r.Get("interfaces")).Select(i => ReadInterface(i.Key, i.Value)).OrderBy(i => i.Name, StringComparer.Ordinal).ToImmutableArray(),
        r.Get("tag").AsInteger(),
        r.Get("trunks").AsIntegers(),
        r.Get("vlan_mode").AsString(),
        StringMap(r, "other_config"),
        StringMap(r, "external_ids"));

    private static InterfaceConfig ReadInterface(Guid uuid, OvsdbRow r) => new(
        uuid,
        r.Get("name").AsString() ?? "",
        r.Get("type").AsString() ?? "",
        StringMap(r, "options"),
        r.Get("ofport_request").AsInteger(),
        r.Get("mtu_request").AsInteger(),
        r.Get("mac").AsString(),
        StringMap(r, "other_config"),
        StringMap(r, "external_ids"),
        r.Get("ofport").AsInteger());

    private static ControllerConfig ReadController(Guid uuid, OvsdbRow r) => new(
        uuid,
        r.Get("target").AsString() ?? "",
        r.Get("type").AsString(),
        r.Get("connection_mode").AsString(),
        r.Get("max_backoff").AsInteger(),
        r.Get("inactivity_probe").AsInteger(),
        r.Get("enable_async_messages").AsBoolean(),
        r.Get("controller_queue_size").AsInteger(),
        r.Get("controller_rate_limit").AsInteger(),
        r.Get("controller_burst_limit").AsInteger(),
        StringMap(r, "other_config"),
        StringMap(r, "external_ids"));

    private static IEnumerable<KeyValuePair<Guid, OvsdbRow>> Resolve(OvsdbReplicaSnapshot s, string table, OvsdbDatum refs)
    {
        foreach (Guid g in refs.AsUuids())
        {
            if (s.Row(table, g) is { } row)
            {
                yield return new(g, row);
            }
        }
    }

    private static ImmutableSortedDictionary<string, string> StringMap(OvsdbRow r, string column)
    {
        OvsdbDatum d = r.Get(column);
        return d.IsMap ? d.AsStringMap() : ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
    }
}
