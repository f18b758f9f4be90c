using System.Globalization;
using FastPath.Connmgr;
using FastPath.Daemon.Ports;
using FastPath.Datapath;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Ofproto.Bridge;
using FastPath.Ofproto.Upcalls;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Text;
using FastPath.Ovsdb.Vswitch;
using Microsoft.Extensions.Logging;

namespace FastPath.Daemon.Switch;

/// <summary>
/// One bridge of the configuration as it runs: a datapath with its PMDs, the <see cref="BridgeHost"/> (slow path,
/// OpenFlow service, connections), its management and snoop sockets in the run directory, its interfaces and
/// controllers. <see cref="ApplyAsync"/> moves it to a new Bridge row without restarting it: flows survive.
/// </summary>
public sealed class RunningBridge : IAsyncDisposable
{
    private readonly ILogger logger;
    private readonly Dictionary<string, RunningInterface> interfaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ControllerConfig Config, OfRemote Remote)> controllers = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, Ofproto.Normal.PortVlanConfig> vlans = [];
    private readonly Dictionary<string, (INetdev Device, long Mtu)> mtuApplied = new(StringComparer.Ordinal);
    private readonly string managementTarget;
    private OfRemote management;
    private uint allowedVersions;
    private int disposed;

    private RunningBridge(BridgeConfig config, NetdevDatapath datapath, BridgeHost host, string runDir, ILogger logger)
    {
        Config = config;
        Datapath = datapath;
        Host = host;
        this.logger = logger;
        allowedVersions = BridgeProtocols.AllowedVersions(config.Protocols, out string? refused);
        LogRefused(config, refused);
        managementTarget = $"punix:{Path.Combine(runDir, config.Name + ".mgmt")}";
        management = host.Listen(managementTarget, ServiceOptions());
        host.Connections.AddSnoop($"punix:{Path.Combine(runDir, config.Name + ".snoop")}");
    }

    /// <summary>The Bridge row last applied.</summary>
    public BridgeConfig Config { get; private set; }

    /// <summary>The bridge's name.</summary>
    public string Name => Config.Name;

    /// <summary>The datapath (one per bridge: its PMDs poll this bridge's ports).</summary>
    public NetdevDatapath Datapath { get; }

    /// <summary>The slow path, OpenFlow service and connections.</summary>
    public BridgeHost Host { get; }

    /// <summary>The interfaces, by name (failed ones included, with their error).</summary>
    public IReadOnlyDictionary<string, RunningInterface> Interfaces => interfaces;

    /// <summary>The controllers, by target.</summary>
    public IEnumerable<(ControllerConfig Config, OfRemote Remote)> Controllers => controllers.Values;

    /// <summary>The datapath id as 16 hexadecimal digits (Bridge <c>datapath_id</c>).</summary>
    public string DatapathIdText => Host.OpenFlow.DatapathId.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Starts a bridge for <paramref name="config"/>: PMDs on <paramref name="cores"/>, sockets in <paramref name="runDir"/>.</summary>
    public static RunningBridge Create(BridgeConfig config, IReadOnlyList<int> cores, PmdOptions pmdOptions, string runDir, ILogger logger)
    {
        var datapath = new NetdevDatapath(cores, pmdOptions);
        BridgeHost? host = null;
        try
        {
            host = new BridgeHost(config.Name, datapath, new BridgeHostOptions { FailMode = FailModeOf(config) });
            var bridge = new RunningBridge(config, datapath, host, runDir, logger);
            datapath.Start();
            host.Start();
            return bridge;
        }
        catch
        {
            if (host != null)
            {
                host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            datapath.Dispose();
            throw;
        }
    }

    /// <summary>The upcall handler's bounds (other_config:upcall-rl, upcall-rate, upcall-burst), set on the slow path's thread.</summary>
    public UpcallHandlerOptions UpcallOptions
    {
        get => Host.Bridge.Thread.Upcalls.Options;
        set => Host.Bridge.Invoke(() => Host.Bridge.Thread.Upcalls.Options = value);
    }

    /// <summary>Moves the bridge to <paramref name="config"/>: fail mode, interfaces added, removed or reopened, controllers, datapath id.</summary>
    public async Task ApplyAsync(BridgeConfig config)
    {
        Config = config;
        Host.Connections.FailMode = FailModeOf(config);
        ApplyInterfaces(config);
        ApplyMtu();
        ApplyVlans(config);
        ApplyMacLearning(config);
        uint versions = BridgeProtocols.AllowedVersions(config.Protocols, out string? refused);
        bool versionsChanged = versions != allowedVersions;
        if (versionsChanged)
        {
            // As Open vSwitch's connmgr: a listener whose allowed versions change is torn down with its connections
            // and opened again, so every connection from now on negotiates within the new set.
            LogRefused(config, refused);
            allowedVersions = versions;
            await Host.RemoveRemoteAsync(management).ConfigureAwait(false);
            management = Host.Listen(managementTarget, ServiceOptions());
            logger.LogInformation("bridge {Bridge}: OpenFlow versions now {Versions}", Name, BridgeProtocols.Format(versions));
        }

        await ApplyControllersAsync(config, versionsChanged).ConfigureAwait(false);
        Host.OpenFlow.DatapathId = DatapathIdOf(config);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Connections first (the management and snoop sockets go with them), so no request races the teardown.
        await Host.Connections.DisposeAsync().ConfigureAwait(false);
        foreach (RunningInterface i in interfaces.Values)
        {
            try
            {
                RemoveInterface(i);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ObjectDisposedException)
            {
                logger.LogWarning("bridge {Bridge}: removing {Interface}: {Error}", Name, i.Config.Name, e.Message);
            }
        }

        interfaces.Clear();
        await Host.DisposeAsync().ConfigureAwait(false);
        Datapath.Dispose();
    }

    private static OfFailMode FailModeOf(BridgeConfig config) => config.FailMode == "secure" ? OfFailMode.Secure : OfFailMode.Standalone;

    private void ApplyInterfaces(BridgeConfig config)
    {
        var wanted = config.Interfaces.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (RunningInterface running in interfaces.Values.ToList())
        {
            if (!wanted.TryGetValue(running.Config.Name, out InterfaceConfig? w) || !running.Matches(w) || running.Error != null)
            {
                // A failed interface is retried on every change, as ovs-vswitchd retries on every reconfiguration.
                RemoveInterface(running);
                interfaces.Remove(running.Config.Name);
            }
            else
            {
                interfaces[w.Name] = new RunningInterface(w, running.Device, running.OfPort, null) { HwAddr = running.HwAddr };
            }
        }

        // The bridge's own port first, so it is LOCAL before anything else can claim the name.
        foreach (InterfaceConfig w in wanted.Values.OrderBy(i => i.Name == config.Name ? 0 : 1))
        {
            if (!interfaces.ContainsKey(w.Name))
            {
                interfaces[w.Name] = OpenInterface(config, w);
            }
        }
    }

    /// <summary>
    /// Interface <c>mtu_request</c> on the kernel devices behind the ports (tap, afxdp, system), as ovs-vswitchd
    /// sets it through netdev_set_mtu: once per new request, a failure logged (the <c>mtu</c> written back is then
    /// the device's own). FastPath's own ports (null, replay) have no kernel device: their <c>mtu</c> is the request.
    /// </summary>
    private void ApplyMtu()
    {
        foreach (RunningInterface i in interfaces.Values)
        {
            // Keyed by device too: a reopened device starts from its default MTU and gets the request again.
            if (i.Device is not INetdev dev || i.Config.MtuRequest is not long mtu
                || (mtuApplied.TryGetValue(i.Config.Name, out var done) && ReferenceEquals(done.Device, dev) && done.Mtu == mtu))
            {
                continue;
            }

            mtuApplied[i.Config.Name] = (dev, mtu);
            string path = $"/sys/class/net/{dev.Name}/mtu";
            if (dev.Type is "null" or "replay" || !File.Exists(path))
            {
                continue;
            }

            try
            {
                File.WriteAllText(path, mtu.ToString(CultureInfo.InvariantCulture));
                logger.LogInformation("{Interface}: MTU set to {Mtu}", dev.Name, mtu);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("failed to set MTU for network device {Interface}: {Error}", dev.Name, e.Message);
            }
        }

        foreach (string gone in mtuApplied.Keys.Where(n => interfaces.GetValueOrDefault(n)?.Config.MtuRequest is null).ToList())
        {
            mtuApplied.Remove(gone);
        }
    }

    private void ApplyVlans(BridgeConfig config)
    {
        var settings = new List<(uint Port, Ofproto.Normal.PortVlanConfig Vlan)>();
        foreach (PortConfig port in config.Ports)
        {
            // A bond's interfaces would share the port's VLANs; FastPath's ports have one interface each.
            foreach (InterfaceConfig i in port.Interfaces)
            {
                if (interfaces.GetValueOrDefault(i.Name)?.OfPort is uint ofport)
                {
                    Ofproto.Normal.PortVlanConfig vlan = PortVlans.From(port, out string? warning);
                    if (warning is not null && vlan.ToString() != vlans.GetValueOrDefault(ofport)?.ToString())
                    {
                        logger.LogWarning("port {Port}: {Warning}", port.Name, warning);
                    }

                    settings.Add((ofport, vlan));
                }
            }
        }

        vlans.Clear();
        foreach ((uint p, Ofproto.Normal.PortVlanConfig v) in settings)
        {
            vlans[p] = v;
        }

        // Unchanged settings change nothing (no flush of learned addresses, no revalidation).
        Host.Bridge.Invoke(() =>
        {
            foreach ((uint p, Ofproto.Normal.PortVlanConfig v) in settings)
            {
                Host.Bridge.Ports.Normal.SetVlan(p, v);
            }

            return true;
        });
    }

    /// <summary>
    /// NORMAL's forwarding database as the Bridge row sets it, as ovs-vswitchd's bridge_configure_mac_table does:
    /// other_config:mac-aging-time and mac-table-size (Open vSwitch's defaults when absent or not a number; the
    /// table clamps them to OVS's limits) and flood_vlans (VLANs that never learn). Unchanged values change nothing.
    /// </summary>
    private void ApplyMacLearning(BridgeConfig config)
    {
        int aging = Setting(config, "mac-aging-time", Ofproto.Normal.MacLearningTable.DefaultAgingSeconds);
        int size = Setting(config, "mac-table-size", Ofproto.Normal.MacLearningTable.DefaultMaxEntries);
        int[] flood = [.. config.FloodVlans.Where(v => v is >= 0 and <= Ofproto.Normal.MacLearningTable.MaxVlan).Select(v => (int)v)];
        Host.Bridge.Invoke(() =>
        {
            Ofproto.Normal.MacLearningTable table = Host.Bridge.Ports.Normal.Table;
            table.AgingSeconds = aging;
            table.MaxEntries = size;
            table.SetFloodVlans(flood);
            return true;
        });

        static int Setting(BridgeConfig config, string key, int fallback) =>
            int.TryParse(config.OtherConfig.GetValueOrDefault(key), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : fallback;
    }

    private RunningInterface OpenInterface(BridgeConfig config, InterfaceConfig w)
    {
        bool local = w.Name == config.Name && w.Type is "internal" or "";
        INetdev? dev = null;
        try
        {
            dev = local ? NetdevFactory.Create(w.Name, "internal", w.Options) : NetdevFactory.Create(w.Name, w.Type, w.Options);
            uint? request = local ? OfPorts.Local : RequestedPort(w);
            uint ofport = Host.AddPort(dev, request);
            ulong? mac = Host.Bridge.Invoke(() => Host.Ports.Find(ofport)?.HwAddr);
            logger.LogInformation("bridge {Bridge}: added interface {Interface} on port {Port}", config.Name, w.Name, OfPorts.Format(ofport));
            return new RunningInterface(w, dev, ofport, null) { HwAddr = mac };
        }
        catch (Exception e) when (e is NetdevConfigException or ArgumentException or InvalidOperationException)
        {
            dev?.Dispose();
            string error = e is NetdevConfigException ? e.Message : $"could not add network device {w.Name} to ofproto ({e.Message})";
            logger.LogWarning("bridge {Bridge}: {Error}", config.Name, error);
            return new RunningInterface(w, null, null, error);
        }
    }

    private uint? RequestedPort(InterfaceConfig w)
    {
        // OVS honours ofport_request when the number is valid and free, and otherwise picks one itself.
        if (w.OfportRequest is long r and >= 1 and <= OfPorts.Max && !interfaces.Values.Any(i => i.OfPort == (uint)r))
        {
            return (uint)r;
        }

        return null;
    }

    private void RemoveInterface(RunningInterface running)
    {
        if (running.OfPort is uint p)
        {
            INetdev? dev = Host.RemovePort(p);
            dev?.Dispose();
            logger.LogInformation("bridge {Bridge}: deleted interface {Interface} on port {Port}", Name, running.Config.Name, OfPorts.Format(p));
        }
    }

    private async Task ApplyControllersAsync(BridgeConfig config, bool reconnectAll)
    {
        var wanted = config.Controllers.ToDictionary(c => c.Target, StringComparer.Ordinal);
        var replaced = new List<OfRemote>();
        foreach ((string target, (ControllerConfig c, OfRemote remote)) in controllers.ToList())
        {
            if (!wanted.TryGetValue(target, out ControllerConfig? w))
            {
                await Host.RemoveRemoteAsync(remote).ConfigureAwait(false);
                controllers.Remove(target);
            }
            else if (reconnectAll || !SameConnection(c, w))
            {
                // Removed once its successor is in place, so the bridge never passes through "no controllers"
                // (which would flush its flow tables).
                replaced.Add(remote);
                controllers.Remove(target);
            }
        }

        foreach (ControllerConfig w in wanted.Values)
        {
            if (!controllers.ContainsKey(w.Target))
            {
                try
                {
                    controllers[w.Target] = (w, Host.AddController(w.Target, RemoteOptions(w)));
                }
                catch (Exception e) when (e is ArgumentException or FormatException or IOException or System.Net.Sockets.SocketException)
                {
                    logger.LogWarning("bridge {Bridge}: controller {Target}: {Error}", config.Name, w.Target, e.Message);
                }
            }
            else
            {
                controllers[w.Target] = (w, controllers[w.Target].Remote);
            }
        }

        foreach (OfRemote old in replaced)
        {
            await Host.RemoveRemoteAsync(old).ConfigureAwait(false);
        }
    }

    private OfRemoteOptions ServiceOptions() => new() { Connection = new OfConnectionOptions { AllowedVersions = allowedVersions } };

    private void LogRefused(BridgeConfig config, string? refused)
    {
        if (refused is not null)
        {
            logger.LogWarning("bridge {Bridge}: protocols: FastPath does not speak {Refused}; it allows {Versions}", config.Name, refused, BridgeProtocols.Format(allowedVersions));
        }
    }

    private static bool SameConnection(ControllerConfig a, ControllerConfig b) =>
        a.MaxBackoff == b.MaxBackoff && a.InactivityProbe == b.InactivityProbe &&
        a.ControllerRateLimit == b.ControllerRateLimit && a.ControllerBurstLimit == b.ControllerBurstLimit;

    private OfRemoteOptions RemoteOptions(ControllerConfig c)
    {
        var connection = new OfConnectionOptions { AllowedVersions = allowedVersions };
        if (c.InactivityProbe is long probe)
        {
            // 0 turns the probe off; OVS clamps small values up to 5 s.
            connection = connection with { InactivityProbe = probe == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(probe, 5000)) };
        }

        if (c.ControllerRateLimit is long rate and > 0)
        {
            long burst = c.ControllerBurstLimit is long b and > 0 ? b : Math.Max(rate / 4, 1);
            connection = connection with { PacketInRateLimit = (int)Math.Min(rate, int.MaxValue), PacketInBurstLimit = (int)Math.Min(burst, int.MaxValue) };
        }

        var options = new OfRemoteOptions { Connection = connection };
        if (c.MaxBackoff is long max and > 0)
        {
            options = options with { MaxBackoff = TimeSpan.FromMilliseconds(Math.Max(max, 1000)) };
        }

        return options;
    }

    private ulong DatapathIdOf(BridgeConfig config)
    {
        if (config.RequestedDatapathId is string text)
        {
            string hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
            if (hex.Length == 16 && ulong.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong id))
            {
                return id;
            }

            logger.LogWarning("bridge {Bridge}: other_config:datapath-id '{Id}' is not 16 hexadecimal digits; ignored", config.Name, text);
        }

        // As OVS: the bridge's Ethernet address (other_config:hwaddr, else its own port's) in the low 48 bits.
        if (config.OtherConfig.GetValueOrDefault("hwaddr") is string hw && FieldText.TryParseEthernet(hw, out UInt128 mac))
        {
            return (ulong)mac;
        }

        return interfaces.GetValueOrDefault(config.Name)?.HwAddr ?? Host.OpenFlow.DatapathId;
    }
}
