using System.Diagnostics;
using FastPath.Ofproto.Normal;

namespace FastPath.Ofproto.Xlate;

/// <summary>
/// What the NORMAL action needs of a bridge beyond its port list: each port's VLAN configuration (the Port
/// table's vlan_mode, tag, trunks and other_config:priority-tags), the learning switch and its MAC table, and
/// the clock the table ages by. <see cref="BridgePorts.Normal"/> owns one; like the ports, it belongs to the
/// ofproto thread.
/// </summary>
/// <remarks>
/// As in ovs-vswitchd, a port's learned addresses are flushed when its VLAN configuration changes or the port
/// goes (a stale entry would send a VLAN's traffic to a port that no longer carries it), and every change that
/// can change a decision moves <see cref="Version"/>, which is part of the translator's version: megaflows made
/// by NORMAL are re-translated when an address is learned, moves or ages out.
/// </remarks>
public sealed class NormalBridge
{
    private readonly Dictionary<uint, PortVlanConfig> vlans = [];
    private readonly Func<long> clock;
    private NormalPort[] cache = [];
    private long cachedPortsVersion = -1;
    private long cachedConfigVersion = -1;

    /// <summary>
    /// NORMAL's state for a bridge, learning into <paramref name="table"/> (a new one with Open vSwitch's defaults
    /// when null) by <paramref name="clock"/> (<see cref="Stopwatch.GetTimestamp"/> when null).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="table"/> does not count time in Stopwatch ticks.</exception>
    public NormalBridge(MacLearningTable? table = null, Func<long>? clock = null)
    {
        if (table is not null && table.TicksPerSecond != Stopwatch.Frequency)
        {
            throw new ArgumentException($"the table must count Stopwatch ticks ({Stopwatch.Frequency} per second), as the ofproto thread's timers do", nameof(table));
        }

        Switch = new NormalSwitch(table ?? new MacLearningTable(Stopwatch.Frequency));
        this.clock = clock ?? Stopwatch.GetTimestamp;
    }

    /// <summary>The learning switch (its <see cref="NormalSwitch.ForwardBpdu"/> is the bridge's other_config:forward-bpdu).</summary>
    public NormalSwitch Switch { get; }

    /// <summary>The forwarding database (mac-aging-time is its <see cref="MacLearningTable.AgingSeconds"/>, 300 s by default).</summary>
    public MacLearningTable Table => Switch.Table;

    /// <summary>Changes whenever a NORMAL decision could change: a port's VLAN configuration, the MAC table, forward-bpdu.</summary>
    public long Version => ConfigVersion + (long)Switch.Version;

    /// <summary>The time now, in Stopwatch ticks, by this bridge's clock.</summary>
    public long Now => clock();

    /// <summary>Changes with every port VLAN configuration change.</summary>
    internal long ConfigVersion { get; private set; }

    /// <summary>Port <paramref name="port"/>'s VLAN configuration (<see cref="PortVlanConfig.Default"/>, a trunk of every VLAN, unless set).</summary>
    public PortVlanConfig VlanOf(uint port) => vlans.GetValueOrDefault(port, PortVlanConfig.Default);

    /// <summary>
    /// Sets port <paramref name="port"/>'s VLAN configuration (it applies while the port is in the bridge, and is
    /// forgotten when the port is removed). A change flushes the addresses learned on the port.
    /// </summary>
    public void SetVlan(uint port, PortVlanConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        PortVlanConfig old = VlanOf(port);
        if (SameConfig(old, config))
        {
            return;
        }

        vlans[port] = config;
        Table.FlushPort(port);
        ConfigVersion++;
    }

    /// <summary>
    /// Removes the addresses idle for the aging time at <paramref name="nowTicks"/> (Stopwatch ticks): Open
    /// vSwitch's mac_learning_run. The ofproto thread calls it from a timer (see <see cref="OfXlate.RunPeriodic"/>).
    /// </summary>
    /// <returns>How many expired.</returns>
    public int Expire(long nowTicks) => Table.Expire(nowTicks);

    /// <summary>A port left the bridge: its configuration and learned addresses go.</summary>
    internal void ForgetPort(uint port)
    {
        vlans.Remove(port);
        Table.FlushPort(port);
        ConfigVersion++;
    }

    /// <summary>The bridge's ports as <see cref="NormalSwitch.Decide"/> takes them, rebuilt only when ports or their VLANs changed.</summary>
    internal ReadOnlySpan<NormalPort> PortsOf(BridgePorts ports)
    {
        if (ports.Version != cachedPortsVersion || ConfigVersion != cachedConfigVersion)
        {
            var list = new List<NormalPort>();
            foreach (uint p in ports.Numbers)
            {
                list.Add(new NormalPort(p, VlanOf(p), Flood: !ports.IsNoFlood(p)));
            }

            cache = [.. list];
            cachedPortsVersion = ports.Version;
            cachedConfigVersion = ConfigVersion;
        }

        return cache;
    }

    // Configurations are immutable and compared by what they decide, so setting the same columns again flushes nothing.
    private static bool SameConfig(PortVlanConfig a, PortVlanConfig b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Mode != b.Mode || a.Vlan != b.Vlan || a.PriorityTags != b.PriorityTags)
        {
            return false;
        }

        for (ushort v = 0; v <= MacLearningTable.MaxVlan; v++)
        {
            if (a.Trunks(v) != b.Trunks(v))
            {
                return false;
            }
        }

        return true;
    }
}
