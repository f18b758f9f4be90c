using System.Collections.Immutable;
using System.Globalization;

namespace FastPath.Ovsdb.Vswitch;

/// <summary>The Open_vSwitch table's single row, as the daemon reads it.</summary>
/// <param name="Uuid">The row.</param>
/// <param name="NextCfg">The configuration sequence number ovs-vsctl raises with every change it waits for; the daemon
/// writes it back as cur_cfg once applied.</param>
/// <param name="OtherConfig">other_config (pmd-cpu-mask, emc-insert-inv-prob, pmd-rxq-assign, …).</param>
/// <param name="ExternalIds">external_ids.</param>
public sealed record OpenVSwitchConfig(Guid Uuid, long NextCfg, ImmutableSortedDictionary<string, string> OtherConfig, ImmutableSortedDictionary<string, string> ExternalIds)
{
    /// <summary>other_config:pmd-cpu-mask, the hexadecimal mask of cores for PMD threads.</summary>
    public string? PmdCpuMask => OtherConfig.GetValueOrDefault("pmd-cpu-mask");

    /// <summary>other_config:emc-insert-inv-prob: insert into the EMC once per this many misses (0 disables it).</summary>
    public long? EmcInsertInvProb => Integer("emc-insert-inv-prob");

    /// <summary>other_config:pmd-rxq-assign ("cycles", "roundrobin", "group").</summary>
    public string? PmdRxqAssign => OtherConfig.GetValueOrDefault("pmd-rxq-assign");

    /// <summary>other_config:upcall-rl: whether misses are rate-limited per port ("true"; absent or anything else: no limit, as Open vSwitch).</summary>
    public bool UpcallRateLimit => OtherConfig.GetValueOrDefault("upcall-rl") == "true";

    /// <summary>other_config:upcall-rate: with <see cref="UpcallRateLimit"/>, misses per second a port may send to the slow path.</summary>
    public long? UpcallRate => Integer("upcall-rate");

    /// <summary>other_config:upcall-burst: with <see cref="UpcallRateLimit"/>, misses a port may send at once above the rate.</summary>
    public long? UpcallBurst => Integer("upcall-burst");

    /// <summary>An other_config value read as an integer; null when absent or not a number.</summary>
    public long? Integer(string key) =>
        OtherConfig.TryGetValue(key, out string? s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : null;
}
