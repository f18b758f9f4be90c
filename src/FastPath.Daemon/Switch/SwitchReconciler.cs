using System.Collections.Immutable;
using System.Globalization;
using FastPath.Daemon.Ports;
using FastPath.Datapath;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Ofproto.Upcalls;
using FastPath.OpenFlow.Text;
using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Vswitch;
using Microsoft.Extensions.Logging;

namespace FastPath.Daemon.Switch;

/// <summary>
/// Makes the running switch match the configuration read from OVSDB, change by change, without a restart:
/// bridges of <c>datapath_type=netdev</c> (or system, run the same way) come and go, their interfaces and controllers follow their rows. It
/// then says what ovs-vswitchd writes back (<see cref="WriteStatus"/>). Called from one task at a time.
/// </summary>
public sealed class SwitchReconciler(string runDir, ILoggerFactory loggers) : IAsyncDisposable
{
    /// <summary>
    /// The datapath types this switch runs (Open_vSwitch <c>datapath_types</c>): netdev, and system (the default of a
    /// plain <c>ovs-vsctl add-br</c>), which FastPath serves with the same userspace datapath, as ovs-vswitchd
    /// serves every bridge with its dummy datapath under <c>--enable-dummy=override</c> (the tutorials' sandbox).
    /// </summary>
    public static readonly IReadOnlyList<string> DatapathTypes = ["netdev", "system"];

    private readonly ILogger logger = loggers.CreateLogger("bridge");
    private readonly Dictionary<string, RunningBridge> bridges = new(StringComparer.Ordinal);
    private readonly HashSet<string> refused = new(StringComparer.Ordinal);
    private readonly HashSet<string> servedAsNetdev = new(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, RunningBridge> published = new Dictionary<string, RunningBridge>();
    private int? appliedEmc;
    private string? appliedMask;
    private string? appliedAssign;
    private bool pmdSettingsSeen;

    // What WriteStatistics last wrote, per Interface and Controller row: only changes are written again.
    private readonly Dictionary<Guid, WrittenInterface> writtenInterfaces = [];
    private readonly Dictionary<Guid, string> writtenControllers = [];

    /// <summary>How rx queues are placed on rebalancing (Open_vSwitch <c>other_config:pmd-rxq-assign</c>).</summary>
    public RxqAssignment RxqAssignment { get; private set; } = RxqAssignment.Cycles;

    /// <summary>The running bridges by name: a copy replaced after each change, safe to read from any thread.</summary>
    public IReadOnlyDictionary<string, RunningBridge> Bridges => published;

    /// <summary>Applies <paramref name="config"/>.</summary>
    public async Task ApplyAsync(VswitchConfig config)
    {
        OpenVSwitchConfig? ovs = config.OpenVSwitch;
        var wanted = config.Bridges.Where(Supported).ToDictionary(b => b.Name, StringComparer.Ordinal);
        foreach (string name in bridges.Keys.Where(n => !wanted.ContainsKey(n)).ToList())
        {
            logger.LogInformation("bridge {Bridge}: deleted", name);
            await bridges[name].DisposeAsync().ConfigureAwait(false);
            bridges.Remove(name);
        }

        foreach (BridgeConfig b in wanted.Values)
        {
            if (!bridges.TryGetValue(b.Name, out RunningBridge? running))
            {
                try
                {
                    running = RunningBridge.Create(b, Cores(ovs), PmdOptionsOf(ovs), runDir, loggers.CreateLogger("bridge"));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    logger.LogError("bridge {Bridge}: could not be created: {Error}", b.Name, e.Message);
                    continue;
                }

                bridges[b.Name] = running;
                logger.LogInformation("bridge {Bridge}: added (datapath_type={Type})", b.Name, DatapathTypeOf(b));
            }

            await running.ApplyAsync(b).ConfigureAwait(false);
        }

        ApplyPmdSettings(ovs);
        published = new Dictionary<string, RunningBridge>(bridges, StringComparer.Ordinal);
    }

    /// <summary>
    /// The Open_vSwitch PMD tunables at run time, as ovs-vswitchd applies them on every reconfiguration:
    /// emc-insert-inv-prob reaches every PMD through its command ring, a new pmd-rxq-assign re-places every rx
    /// queue with the new policy, a new pmd-cpu-mask re-creates the PMDs on its cores (<see cref="ApplyPmdCores"/>).
    /// </summary>
    private void ApplyPmdSettings(OpenVSwitchConfig? ovs)
    {
        int emc = PmdOptionsOf(ovs).EmcInsertInvProb;
        if (emc != appliedEmc)
        {
            foreach (RunningBridge b in bridges.Values)
            {
                b.Datapath.SetEmcInsertInvProb(emc);
            }

            if (appliedEmc is not null)
            {
                logger.LogInformation("EMC insertion probability set to 1/{N}", emc);
            }

            appliedEmc = emc;
        }

        UpcallHandlerOptions upcalls = UpcallOptionsOf(ovs);
        foreach (RunningBridge b in bridges.Values)
        {
            if (b.UpcallOptions != upcalls)
            {
                b.UpcallOptions = upcalls;
                logger.LogInformation(
                    "bridge {Bridge}: upcall rate limit {State}", b.Name,
                    upcalls.RateLimit ? string.Create(CultureInfo.InvariantCulture, $"{upcalls.UpcallsPerSecondPerPort}/s per port, burst {upcalls.UpcallBurstPerPort}") : "off");
            }
        }

        string? mask = ovs?.PmdCpuMask;
        if (pmdSettingsSeen && mask != appliedMask)
        {
            ApplyPmdCores(Cores(ovs));
        }

        appliedMask = mask;
        pmdSettingsSeen = true;
        string? assign = ovs?.PmdRxqAssign;
        if (assign != appliedAssign)
        {
            RxqAssignment mode = assign switch
            {
                "roundrobin" => RxqAssignment.RoundRobin,

                // group: each queue, busiest first, onto the least-loaded PMD, which is how FastPath's cycles mode works.
                null or "" or "cycles" or "group" => RxqAssignment.Cycles,
                _ => Invalid(assign),
            };
            if (bridges.Count > 0)
            {
                foreach (RunningBridge b in bridges.Values)
                {
                    b.Datapath.Rebalance(mode);
                }

                logger.LogInformation("rxq assignment policy set to {Mode}", assign ?? "cycles");
            }

            RxqAssignment = mode;
            appliedAssign = assign;
        }

        RxqAssignment Invalid(string value)
        {
            logger.LogWarning("Invalid pmd-rxq-assign value '{Value}'; defaulting to 'cycles'", value);
            return RxqAssignment.Cycles;
        }
    }

    /// <summary>
    /// A new pmd-cpu-mask, as ovs-vswitchd's reconfigure_pmd_threads: every bridge whose PMDs are not on exactly
    /// <paramref name="cores"/> gets new PMDs there, its rx queues placed on them, its OpenFlow rules and ports kept.
    /// </summary>
    private void ApplyPmdCores(IReadOnlyList<int> cores)
    {
        foreach (RunningBridge b in bridges.Values)
        {
            int[] now = [.. b.Datapath.Pmds.Select(p => p.CoreId)];
            if (now.SequenceEqual(cores))
            {
                continue;
            }

            try
            {
                b.Host.SetPmdCores(cores);
                foreach (int core in now.Except(cores))
                {
                    logger.LogInformation("bridge {Bridge}: PMD thread on core {Core} destroyed", b.Name, core);
                }

                logger.LogInformation("bridge {Bridge}: PMD threads on cores {Cores}", b.Name, string.Join(",", cores));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or ArgumentException)
            {
                logger.LogError("bridge {Bridge}: moving PMDs to cores {Cores} failed: {Error}", b.Name, string.Join(",", cores), e.Message);
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> what ovs-vswitchd writes after a reconfiguration: each interface's
    /// ofport, error, link state, MAC and MTU, each bridge's datapath_id, cur_cfg, and the supported types.
    /// Failed interfaces get ofport -1, as in Open vSwitch.
    /// </summary>
    public void WriteStatus(VswitchWriteBatch batch, VswitchConfig config)
    {
        foreach (BridgeConfig b in config.Bridges)
        {
            if (!bridges.TryGetValue(b.Name, out RunningBridge? running))
            {
                string why = Supported(b)
                    ? $"bridge {b.Name} could not be created"
                    : $"datapath type {DatapathTypeOf(b)} is not supported (FastPath runs datapath_type=netdev)";
                foreach (InterfaceConfig i in b.Interfaces)
                {
                    batch.Interface(i.Uuid, new InterfaceStatus { Ofport = -1, Error = why });
                }

                continue;
            }

            batch.BridgeDatapathId(b.Uuid, running.DatapathIdText);
            foreach (InterfaceConfig i in b.Interfaces)
            {
                RunningInterface? r = running.Interfaces.GetValueOrDefault(i.Name);
                batch.Interface(i.Uuid, r?.Device is INetdev dev ? StatusOf(r, dev) : new InterfaceStatus { Ofport = -1, Error = r?.Error ?? "not added" });
            }
        }

        batch.SupportedTypes(DatapathTypes, NetdevFactory.Types);
        if (config.OpenVSwitch is OpenVSwitchConfig ovs)
        {
            batch.CurCfg(ovs.NextCfg);
        }
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> every interface's <c>statistics</c> and <c>link_state</c> and every
    /// controller's connection state that changed since they were last added (the periodic refresh). What did not
    /// change is not written again: the database holds it already, and an idle switch then writes nothing at all
    /// (each transaction costs the daemon tens of kilobytes of garbage to build, send and read back). After a write
    /// fails or the configuration changes (a new database connection included, whose ephemeral columns start
    /// empty), <see cref="ForgetWrittenStatistics"/> makes the next refresh write everything.
    /// </summary>
    public void WriteStatistics(VswitchWriteBatch batch)
    {
        foreach (RunningBridge b in bridges.Values)
        {
            foreach (RunningInterface i in b.Interfaces.Values)
            {
                if (i.Device is INetdev dev)
                {
                    NetdevStats s = dev.GetStats();
                    Coverage.DaemonCoverage.NetdevGetStats.Add(1);
                    string link = LinkState(dev);
                    ref WrittenInterface last = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(writtenInterfaces, i.Config.Uuid, out bool known);
                    if (!known || last.Stats != s)
                    {
                        batch.InterfaceStatistics(i.Config.Uuid, StatisticsOf(s));
                    }

                    if (!known || last.LinkState != link)
                    {
                        batch.InterfaceLinkState(i.Config.Uuid, link);
                    }

                    last = new WrittenInterface(s, link);
                }
            }

            foreach ((ControllerConfig c, Connmgr.OfRemote remote) in b.Controllers)
            {
                Connmgr.OfConnection? conn = null;
                foreach (Connmgr.OfConnection x in remote.Connections)
                {
                    if (x.State == Connmgr.OfConnectionState.Active)
                    {
                        conn = x;
                        break;
                    }
                }

                string? role = conn == null ? null : RoleName(conn.Role);
                if (!writtenControllers.TryGetValue(c.Uuid, out string? written) || written != (role ?? ""))
                {
                    batch.ControllerStatus(c.Uuid, conn != null, role);
                    writtenControllers[c.Uuid] = role ?? "";
                }
            }
        }
    }

    /// <summary>Makes the next <see cref="WriteStatistics"/> write every interface's and controller's state again.</summary>
    public void ForgetWrittenStatistics()
    {
        writtenInterfaces.Clear();
        writtenControllers.Clear();
    }

    private readonly record struct WrittenInterface(NetdevStats Stats, string LinkState);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (RunningBridge b in bridges.Values)
        {
            await b.DisposeAsync().ConfigureAwait(false);
        }

        bridges.Clear();
        published = new Dictionary<string, RunningBridge>();
    }

    // Interface statistics keys in OVSDB's order (ordinal), so that a refresh builds its map datum without sorting.
    private static readonly ImmutableArray<OvsdbAtom> StatisticsKeys =
        [.. new[] { "rx_bytes", "rx_dropped", "rx_errors", "rx_packets", "tx_bytes", "tx_dropped", "tx_errors", "tx_packets" }.Select(OvsdbAtom.FromString)];

    private static OvsdbDatum StatisticsOf(NetdevStats s) => OvsdbDatum.SortedMap(
        StatisticsKeys,
        [s.RxBytes, s.RxDropped, s.RxErrors, s.RxPackets, s.TxBytes, s.TxDropped, s.TxErrors, s.TxPackets]);

    private static string RoleName(Connmgr.OfControllerRole role) => role switch
    {
        Connmgr.OfControllerRole.Master => "master",
        Connmgr.OfControllerRole.Slave => "slave",
        _ => "other",
    };

    private static InterfaceStatus StatusOf(RunningInterface r, INetdev dev) => new()
    {
        Ofport = r.OfPort == OpenFlow.Fields.OfPorts.Local ? 65534 : r.OfPort,
        Error = null,
        LinkState = LinkState(dev),
        AdminState = "up",
        MacInUse = r.HwAddr is ulong mac ? FieldText.FormatEthernet(mac) : null,
        Mtu = (dev.Type is "null" or "replay" ? null : KernelMtu(dev.Name)) ?? r.Config.MtuRequest ?? 1500,
    };

    private static string DatapathTypeOf(BridgeConfig b) => b.DatapathType.Length == 0 ? "system" : b.DatapathType;

    private bool Supported(BridgeConfig b)
    {
        if (b.DatapathType == "netdev")
        {
            return true;
        }

        if (b.DatapathType is "" or "system")
        {
            // FastPath has no kernel datapath: a system bridge runs in the userspace one, said once in the log.
            if (servedAsNetdev.Add(b.Name))
            {
                logger.LogInformation("bridge {Bridge}: datapath type system runs in FastPath's userspace datapath (as netdev)", b.Name);
            }

            return true;
        }

        if (refused.Add(b.Name))
        {
            logger.LogWarning("bridge {Bridge}: datapath type {Type} is not supported; set datapath_type=netdev", b.Name, DatapathTypeOf(b));
        }

        return false;
    }

    private IReadOnlyList<int> Cores(OpenVSwitchConfig? ovs)
    {
        try
        {
            return PmdCpuMask.Cores(ovs?.PmdCpuMask, Environment.ProcessorCount);
        }
        catch (FormatException e)
        {
            logger.LogWarning("{Error}; using the default", e.Message);
            return PmdCpuMask.Cores(null, Environment.ProcessorCount);
        }
    }

    private static PmdOptions PmdOptionsOf(OpenVSwitchConfig? ovs)
    {
        var options = new PmdOptions();
        if (ovs?.EmcInsertInvProb is long p and >= 0 and <= uint.MaxValue)
        {
            options = options with { EmcInsertInvProb = (int)Math.Min(p, int.MaxValue) };
        }

        return options;
    }

    // other_config:upcall-rl, upcall-rate, upcall-burst; a rate or burst that is not a positive number keeps the default.
    private static UpcallHandlerOptions UpcallOptionsOf(OpenVSwitchConfig? ovs)
    {
        var options = new UpcallHandlerOptions { RateLimit = ovs?.UpcallRateLimit ?? false };
        if (ovs?.UpcallRate is long rate and > 0)
        {
            options = options with { UpcallsPerSecondPerPort = rate };
        }

        if (ovs?.UpcallBurst is long burst and > 0)
        {
            options = options with { UpcallBurstPerPort = burst };
        }

        return options;
    }

    private static string LinkState(INetdev dev)
    {
        if (dev.Type is "afxdp" or "pcap" or "tap" && ReadOperState(dev.Name) is { } state)
        {
            return state is "up" or "unknown" ? "up" : "down";
        }

        return "up";
    }

    /// <summary>
    /// The kernel's operstate of <paramref name="name"/>, read into a stack buffer (File.ReadAllText takes 8 KB of
    /// buffers for a word, every 5 s per kernel port); null when there is no such device.
    /// </summary>
    private static string? ReadOperState(string name)
    {
        Span<byte> text = stackalloc byte[32];
        int n;
        try
        {
            using Microsoft.Win32.SafeHandles.SafeFileHandle f = File.OpenHandle($"/sys/class/net/{name}/operstate");
            n = RandomAccess.Read(f, text, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        ReadOnlySpan<byte> read = text[..n];
        ReadOnlySpan<byte> word = read[System.Text.Ascii.Trim(read)];
        foreach (string known in OperStates)
        {
            if (System.Text.Ascii.Equals(word, known))
            {
                return known;
            }
        }

        return System.Text.Encoding.ASCII.GetString(word);
    }

    // The kernel's IF_OPER_* names (include/linux/netdevice.h, operstates[]).
    private static readonly string[] OperStates = ["up", "down", "unknown", "notpresent", "lowerlayerdown", "testing", "dormant"];

    private static long? KernelMtu(string name)
    {
        string path = $"/sys/class/net/{name}/mtu";
        return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long mtu) ? mtu : null;
    }
}
