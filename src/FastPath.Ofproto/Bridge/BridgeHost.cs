using FastPath.Connmgr;
using FastPath.Datapath;
using FastPath.Datapath.Ports;
using FastPath.Ofproto.Service;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Wire.Ports;

namespace FastPath.Ofproto.Bridge;

/// <summary>
/// One OpenFlow bridge as a process hosts it: its ports on a datapath, its slow path (<see cref="OfBridge"/>),
/// its OpenFlow service (<see cref="OpenFlowEndpoint"/>) and its connections (controllers, and listeners for
/// tools such as <c>ovs-ofctl</c>). What <c>fastpathd</c> runs for each bridge of its configuration; tests
/// host one in-process.
/// </summary>
public sealed class BridgeHost : IAsyncDisposable
{
    /// <summary>
    /// The datapath number of the bridge's own port (OpenFlow's LOCAL): OpenFlow and datapath numbers are equal in
    /// FastPath except here, and the datapath numbers ports below 1024, so LOCAL takes the last of them.
    /// </summary>
    public const uint LocalDatapathPort = 1023;

    private readonly NetdevDatapath datapath;
    private readonly BridgeHostOptions options;
    private readonly List<uint> datapathPorts = [];
    private int disposed;
    private bool started;

    /// <summary>A bridge named <paramref name="name"/> over <paramref name="datapath"/>'s PMDs (started: call <see cref="Start"/> after adding ports, or before; either works).</summary>
    public BridgeHost(string name, NetdevDatapath datapath, BridgeHostOptions? options = null)
    {
        this.datapath = datapath;
        this.options = options ?? new BridgeHostOptions();
        OpenFlow = new OpenFlowEndpoint(this.options.OpenFlow);
        Bridge = new OfBridge(name, datapath.Pmds, this.options.Bridge, OpenFlow, OpenFlow, new Meters.NetdevDatapathMeters(datapath));
        Ports = new PortTable(Bridge.Ports);
        OpenFlow.Attach(Bridge, Ports);
        Connections = new OfConnectionManager(OpenFlow, this.options.FailMode);
        OpenFlow.Manager = Connections;
        Connections.ForwardNormallyChanged += _ => UpdateFailOpen();
    }

    /// <summary>The bridge's name.</summary>
    public string Name => Bridge.Name;

    /// <summary>The datapath the bridge's ports and megaflows are on (possibly shared with other bridges).</summary>
    public NetdevDatapath Datapath => datapath;

    /// <summary>The slow path.</summary>
    public OfBridge Bridge { get; }

    /// <summary>The OpenFlow service.</summary>
    public OpenFlowEndpoint OpenFlow { get; }

    /// <summary>The connections: controllers, listeners, snoopers.</summary>
    public OfConnectionManager Connections { get; }

    /// <summary>The ports. Owned by the ofproto thread: read them inside <see cref="OfBridge.Invoke{T}"/>.</summary>
    public PortTable Ports { get; }

    /// <summary>
    /// Starts the slow path and sets up the flow table as Open vSwitch does when it creates a bridge: empty,
    /// except that a standalone bridge without controllers gets priority=0,actions=NORMAL.
    /// </summary>
    public void Start()
    {
        Bridge.Start();
        started = true;
        ResetFlows();
        UpdateFailOpen();
    }

    /// <summary>
    /// Adds <paramref name="netdev"/> as OpenFlow port <paramref name="portNo"/> (the lowest free number when
    /// null; <see cref="OfPorts.Local"/> makes it the bridge's own port), with Ethernet address
    /// <paramref name="hwAddr"/> (the interface's own when null and the device is a kernel interface, else one
    /// made up from the port number). Returns the OpenFlow port number.
    /// </summary>
    public uint AddPort(INetdev netdev, uint? portNo = null, ulong? hwAddr = null)
    {
        uint? datapathNo = portNo == OfPorts.Local ? LocalDatapathPort : portNo;
        uint dp = datapath.AddPort(netdev, datapathNo);
        uint ofport = portNo == OfPorts.Local ? OfPorts.Local : dp;
        ulong mac = hwAddr ?? InterfaceAddress(netdev.Name) ?? (0xaa55aa550000ul | (dp & 0xffff));
        var description = new OfPortDesc(ofport, mac, netdev.Name, 0, OfPortDesc.StateLive);
        try
        {
            Bridge.Invoke(() =>
            {
                Ports.Add(ofport, dp, netdev, description);
                return true;
            });
        }
        catch
        {
            datapath.RemovePort(dp);
            throw;
        }

        datapathPorts.Add(dp);
        OfprotoCoverage.DpifPortAdd.Add(1);
        OfprotoCoverage.OfprotoUpdatePort.Add(1);
        return ofport;
    }

    /// <summary>
    /// Removes OpenFlow port <paramref name="ofport"/> (the bridge sends port-status DELETE, as OVS does when a port
    /// leaves the configuration), stops the datapath polling it and returns its device, which the caller disposes.
    /// Null if there is no such port. Flows that name the port stay, as in OVS.
    /// </summary>
    public INetdev? RemovePort(uint ofport)
    {
        (INetdev? dev, uint dp) = Bridge.Invoke(() =>
        {
            INetdev? d = Ports.Device(ofport);
            uint datapathNo = ofport == OfPorts.Local ? LocalDatapathPort : ofport;
            return d != null && Ports.Remove(ofport) ? (d, datapathNo) : ((INetdev?)null, 0u);
        });
        if (dev == null)
        {
            return null;
        }

        datapath.RemovePort(dp);
        datapathPorts.Remove(dp);
        OfprotoCoverage.DpifPortDel.Add(1);
        OfprotoCoverage.OfprotoUpdatePort.Add(1);
        return dev;
    }

    /// <summary>
    /// Moves the bridge's datapath to new PMDs on <paramref name="cores"/>, as ovs-vswitchd does on a new
    /// pmd-cpu-mask: the megaflows' last traffic is credited to their rules, the PMDs stop, new ones take every
    /// port and rx queue, and the slow path serves the new PMDs' upcalls. OpenFlow rules, ports and connections stay;
    /// megaflows go with the old PMDs and are made again by the next packets. The datapath must be this bridge's alone.
    /// </summary>
    public void SetPmdCores(IReadOnlyList<int> cores)
    {
        ArgumentNullException.ThrowIfNull(cores);
        IReadOnlyList<Datapath.Pmd.PmdThread> old = Bridge.Invoke(() =>
        {
            // On the ofproto thread, so nothing reads the old PMDs' rings while they go.
            if (datapath.Pmds.All(p => p.IsRunning))
            {
                Bridge.Thread.Revalidator.Run(System.Diagnostics.Stopwatch.GetTimestamp());
            }

            IReadOnlyList<Datapath.Pmd.PmdThread> stopped = datapath.ReplacePmds(cores);
            Bridge.Thread.Upcalls.ReplacePmds(datapath.Pmds);
            return stopped;
        });
        foreach (Datapath.Pmd.PmdThread p in old)
        {
            p.Dispose();
        }
    }

    /// <summary>Adds a passive listener for tools (<c>ptcp:PORT[:IP]</c>, <c>punix:PATH</c>, <c>pssl:...</c>).</summary>
    public OfRemote Listen(string target, OfRemoteOptions? remoteOptions = null) =>
        Connections.AddRemote(target, (remoteOptions ?? new OfRemoteOptions()) with { Kind = OfConnectionKind.Service });

    /// <summary>
    /// Adds a controller (<c>tcp:IP[:PORT]</c>, <c>ssl:...</c>, <c>unix:PATH</c>, or a passive target the controllers
    /// connect to). The first controller of a bridge flushes its flow tables, as Open vSwitch's connmgr does when a
    /// bridge goes from no controllers to some: the standalone NORMAL rule goes, and the controller starts from empty
    /// tables.
    /// </summary>
    public OfRemote AddController(string target, OfRemoteOptions? remoteOptions = null)
    {
        bool had = Connections.HasControllers;
        OfRemote remote = Connections.AddRemote(target, (remoteOptions ?? new OfRemoteOptions()) with { Kind = OfConnectionKind.Controller });
        FlushIfControllersChanged(had);
        UpdateFailOpen();
        return remote;
    }

    /// <summary>
    /// Removes a controller or listener added before and closes its connections. Removing the last controller
    /// flushes the flow tables (a standalone bridge gets its NORMAL rule back), as Open vSwitch does.
    /// </summary>
    public async Task RemoveRemoteAsync(OfRemote remote)
    {
        bool had = Connections.HasControllers;
        await Connections.RemoveRemoteAsync(remote).ConfigureAwait(false);
        FlushIfControllersChanged(had);
        UpdateFailOpen();
    }

    /// <summary>
    /// Open vSwitch's flush (ofproto_flush_flows): deletes every rule, then a standalone bridge without
    /// controllers gets back its priority=0,actions=NORMAL rule.
    /// </summary>
    public void ResetFlows()
    {
        Bridge.Apply(new FlowMod(FlowModCommand.Delete, new FlowRule(), AllTables: true));
        OfprotoCoverage.OfprotoFlush.Add(1);
        if (Connections.FailMode == OfFailMode.Standalone && !Connections.HasControllers)
        {
            Bridge.AddFlows(["priority=0,actions=NORMAL"]);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await Connections.DisposeAsync().ConfigureAwait(false);
        Bridge.Dispose();
        foreach (uint dp in datapathPorts)
        {
            datapath.RemovePort(dp);
        }
    }

    // Open vSwitch's connmgr_set_controllers: the tables are flushed whenever the bridge goes from no controller to
    // some or back (before Start, Start does it).
    private void FlushIfControllersChanged(bool had)
    {
        if (had != Connections.HasControllers && started)
        {
            ResetFlows();
        }
    }

    // Fail-open is for bridges whose configured controllers are lost; without controllers the NORMAL rule does it.
    private void UpdateFailOpen()
    {
        bool failOpen = Connections.ForwardNormally && Connections.HasControllers;
        Bridge.Thread.InvokeAsync(() => Bridge.Xlate.FailOpen = failOpen);
    }

    private static ulong? InterfaceAddress(string name)
    {
        try
        {
            string path = Path.Combine("/sys/class/net", name, "address");
            if (!File.Exists(path))
            {
                return null;
            }

            string text = File.ReadAllText(path).Trim().Replace(":", string.Empty, StringComparison.Ordinal);
            return text.Length == 12 ? Convert.ToUInt64(text, 16) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
