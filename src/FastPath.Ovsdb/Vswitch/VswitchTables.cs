namespace FastPath.Ovsdb.Vswitch;

/// <summary>The tables and columns of the vswitch schema the daemon monitors: the configuration it reads, and ofport
/// (whose changes it causes itself, so they raise no change). Columns the daemon only writes (status, statistics,
/// cur_cfg, …) are not monitored, so its write-backs cost it nothing.</summary>
public static class VswitchTables
{
    /// <summary>The database's name.</summary>
    public const string Database = "Open_vSwitch";

    /// <summary>Table to monitored columns.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>?> Monitored { get; } = new Dictionary<string, IReadOnlyList<string>?>
    {
        ["Open_vSwitch"] = ["bridges", "next_cfg", "other_config", "external_ids"],
        ["Bridge"] = ["name", "datapath_type", "fail_mode", "protocols", "other_config", "external_ids", "ports", "controller", "mcast_snooping_enable", "stp_enable", "rstp_enable", "flood_vlans"],
        ["Port"] = ["name", "interfaces", "tag", "trunks", "vlan_mode", "other_config", "external_ids"],
        ["Interface"] = ["name", "type", "options", "ofport_request", "mtu_request", "mac", "other_config", "external_ids", "ofport"],
        ["Controller"] = ["target", "type", "connection_mode", "max_backoff", "inactivity_probe", "enable_async_messages", "controller_queue_size", "controller_rate_limit", "controller_burst_limit", "other_config", "external_ids"],
    };

    /// <summary>Monitored columns whose changes alone raise no configuration change.</summary>
    public static IReadOnlySet<string> OmitAlert { get; } = new HashSet<string> { "Interface.ofport" };
}
