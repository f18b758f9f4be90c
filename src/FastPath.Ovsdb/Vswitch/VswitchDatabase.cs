using FastPath.Ovsdb.Replication;

namespace FastPath.Ovsdb.Vswitch;

/// <summary>The daemon's view of Open vSwitch's configuration database: a replica of the vswitch tables that turns every
/// change into a <see cref="VswitchConfig"/>, and the write-backs (<see cref="BeginWrite"/>), each one transaction.
/// Reconnects by itself; after a reconnect the first configuration is a resync (<c>Change.IsResync</c>).</summary>
public sealed class VswitchDatabase : IAsyncDisposable
{
    private readonly TaskCompletionSource<VswitchConfig> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private VswitchConfig? _current;

    private VswitchDatabase(string target, OvsdbReplicaOptions? options)
    {
        options ??= new OvsdbReplicaOptions();
        Replica = new OvsdbReplica(target, VswitchTables.Database, VswitchTables.Monitored, options with
        {
            OmitAlert = new HashSet<string>(options.OmitAlert.Concat(VswitchTables.OmitAlert)),
        });
        Replica.Changed += OnChanged;
    }

    /// <summary>Raised with the new configuration after every change (and every resync), in order, on the replica's task.</summary>
    public event Action<VswitchConfig>? ConfigChanged;

    /// <summary>The replica underneath (snapshot, connection state, raw transactions).</summary>
    public OvsdbReplica Replica { get; }

    /// <summary>The latest configuration; null before the first sync. (Interface ofport is as of the last change: its own
    /// changes raise none; the replica's snapshot always holds the latest.)</summary>
    public VswitchConfig? Current => Volatile.Read(ref _current);

    /// <summary>Starts replicating the database at <paramref name="target"/> (<c>unix:PATH</c>, <c>tcp:IP:PORT</c>).
    /// Subscribe to <see cref="ConfigChanged"/> before calling <see cref="Start"/> to see the first configuration.</summary>
    public static VswitchDatabase Create(string target, OvsdbReplicaOptions? options = null) => new(target, options);

    /// <summary>Starts connecting.</summary>
    public void Start() => Replica.Start();

    /// <summary>Waits for the first configuration.</summary>
    public Task<VswitchConfig> WaitForConfigAsync(CancellationToken ct = default) => _first.Task.WaitAsync(ct);

    /// <summary>A batch of write-backs, sent as one transaction by <see cref="VswitchWriteBatch.CommitAsync"/>.</summary>
    public VswitchWriteBatch BeginWrite() => new(this);

    /// <summary>Writes an interface's status (one transaction).</summary>
    public Task<long> SetInterfaceStatusAsync(Guid iface, InterfaceStatus status, CancellationToken ct = default) =>
        BeginWrite().Interface(iface, status).CommitAsync(ct);

    /// <summary>Writes many interfaces' statistics (one transaction).</summary>
    public Task<long> SetInterfaceStatisticsAsync(IEnumerable<KeyValuePair<Guid, IReadOnlyDictionary<string, long>>> statistics, CancellationToken ct = default)
    {
        VswitchWriteBatch w = BeginWrite();
        foreach (KeyValuePair<Guid, IReadOnlyDictionary<string, long>> s in statistics)
        {
            w.InterfaceStatistics(s.Key, s.Value);
        }

        return w.CommitAsync(ct);
    }

    /// <summary>Writes a bridge's datapath_id (one transaction).</summary>
    public Task<long> SetBridgeDatapathIdAsync(Guid bridge, string datapathId, CancellationToken ct = default) =>
        BeginWrite().BridgeDatapathId(bridge, datapathId).CommitAsync(ct);

    /// <summary>Writes a controller's is_connected and role (one transaction).</summary>
    public Task<long> SetControllerStatusAsync(Guid controller, bool isConnected, string? role, CancellationToken ct = default) =>
        BeginWrite().ControllerStatus(controller, isConnected, role).CommitAsync(ct);

    /// <summary>Writes cur_cfg (one transaction): the configuration <paramref name="curCfg"/> is applied.</summary>
    public Task<long> SetCurCfgAsync(long curCfg, CancellationToken ct = default) => BeginWrite().CurCfg(curCfg).CommitAsync(ct);

    /// <summary>Stops replicating.</summary>
    public ValueTask DisposeAsync() => Replica.DisposeAsync();

    private void OnChanged(OvsdbReplicaChange change)
    {
        VswitchConfig config = VswitchConfig.Read(change);
        Volatile.Write(ref _current, config);
        _first.TrySetResult(config);
        ConfigChanged?.Invoke(config);
    }
}
