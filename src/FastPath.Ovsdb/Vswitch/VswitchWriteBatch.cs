using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Transactions;

namespace FastPath.Ovsdb.Vswitch;

/// <summary>Write-backs gathered into one transaction: the daemon's reports (Interface ofport, error, link state,
/// statistics; Bridge datapath_id; Controller is_connected and role; Open_vSwitch cur_cfg, datapath_types, iface_types).
/// Columns set for the same row merge into one update; a row deleted meanwhile is simply not updated.</summary>
public sealed class VswitchWriteBatch
{
    private readonly VswitchDatabase _db;
    private readonly Dictionary<(string Table, Guid Row), Dictionary<string, OvsdbDatum>> _rows = new();
    private readonly Dictionary<string, OvsdbDatum> _openVSwitch = new(StringComparer.Ordinal);

    internal VswitchWriteBatch(VswitchDatabase db) => _db = db;

    /// <summary>True when nothing has been set.</summary>
    public bool IsEmpty => _rows.Count == 0 && _openVSwitch.Count == 0;

    /// <summary>Sets every column of <paramref name="status"/> on the interface.</summary>
    public VswitchWriteBatch Interface(Guid iface, InterfaceStatus status)
    {
        Dictionary<string, OvsdbDatum> row = Row("Interface", iface);
        row["ofport"] = Optional(status.Ofport);
        row["error"] = Optional(status.Error);
        row["link_state"] = Optional(status.LinkState);
        row["admin_state"] = Optional(status.AdminState);
        row["mac_in_use"] = Optional(status.MacInUse);
        row["mtu"] = Optional(status.Mtu);
        row["link_speed"] = Optional(status.LinkSpeed);
        row["ifindex"] = Optional(status.Ifindex);
        row["status"] = OvsdbDatum.Map(status.Status ?? new Dictionary<string, string>());
        return this;
    }

    /// <summary>Sets the interface's ofport (-1: could not be added; null: none).</summary>
    public VswitchWriteBatch InterfaceOfport(Guid iface, long? ofport) => Set("Interface", iface, "ofport", Optional(ofport));

    /// <summary>Sets or clears the interface's error.</summary>
    public VswitchWriteBatch InterfaceError(Guid iface, string? error) => Set("Interface", iface, "error", Optional(error));

    /// <summary>Sets the interface's link_state ("up", "down").</summary>
    public VswitchWriteBatch InterfaceLinkState(Guid iface, string? linkState) => Set("Interface", iface, "link_state", Optional(linkState));

    /// <summary>Sets the interface's mac_in_use.</summary>
    public VswitchWriteBatch InterfaceMacInUse(Guid iface, string? mac) => Set("Interface", iface, "mac_in_use", Optional(mac));

    /// <summary>Sets the interface's mtu.</summary>
    public VswitchWriteBatch InterfaceMtu(Guid iface, long? mtu) => Set("Interface", iface, "mtu", Optional(mtu));

    /// <summary>Replaces the interface's statistics (rx_packets, rx_bytes, tx_packets, tx_bytes, rx_dropped, …).</summary>
    public VswitchWriteBatch InterfaceStatistics(Guid iface, IReadOnlyDictionary<string, long> statistics) =>
        Set("Interface", iface, "statistics", OvsdbDatum.Map(statistics));

    /// <summary>Replaces the interface's statistics with <paramref name="statistics"/>, a string-to-integer map datum
    /// (see <see cref="OvsdbDatum.SortedMap"/>, which builds one from a fixed key set without sorting).</summary>
    public VswitchWriteBatch InterfaceStatistics(Guid iface, OvsdbDatum statistics) => Set("Interface", iface, "statistics", statistics);

    /// <summary>Sets the bridge's datapath_id (16 hexadecimal digits, as ovs-vswitchd writes it).</summary>
    public VswitchWriteBatch BridgeDatapathId(Guid bridge, string? datapathId) => Set("Bridge", bridge, "datapath_id", Optional(datapathId));

    /// <summary>Sets the controller's is_connected and role ("master", "slave", "other"; null when not connected).</summary>
    public VswitchWriteBatch ControllerStatus(Guid controller, bool isConnected, string? role, IReadOnlyDictionary<string, string>? status = null)
    {
        Set("Controller", controller, "is_connected", OvsdbDatum.Atom(isConnected));
        Set("Controller", controller, "role", Optional(role));
        if (status is not null)
        {
            Set("Controller", controller, "status", OvsdbDatum.Map(status));
        }

        return this;
    }

    /// <summary>Sets Open_vSwitch cur_cfg: the next_cfg the daemon has applied (what <c>ovs-vsctl</c> without
    /// --no-wait waits for).</summary>
    public VswitchWriteBatch CurCfg(long curCfg)
    {
        _openVSwitch["cur_cfg"] = OvsdbDatum.Atom(curCfg);
        return this;
    }

    /// <summary>Sets Open_vSwitch datapath_types and iface_types: what this switch supports.</summary>
    public VswitchWriteBatch SupportedTypes(IEnumerable<string> datapathTypes, IEnumerable<string> ifaceTypes)
    {
        _openVSwitch["datapath_types"] = OvsdbDatum.Set(datapathTypes.Select(t => (OvsdbAtom)t));
        _openVSwitch["iface_types"] = OvsdbDatum.Set(ifaceTypes.Select(t => (OvsdbAtom)t));
        return this;
    }

    /// <summary>Sets Open_vSwitch ovs_version (and db_version, when given).</summary>
    public VswitchWriteBatch Versions(string ovsVersion, string? dbVersion = null)
    {
        _openVSwitch["ovs_version"] = OvsdbDatum.Atom(ovsVersion);
        if (dbVersion is not null)
        {
            _openVSwitch["db_version"] = OvsdbDatum.Atom(dbVersion);
        }

        return this;
    }

    /// <summary>The operations the batch sends, in a stable order.</summary>
    public IReadOnlyList<OvsdbOperation> ToOperations()
    {
        var ops = new List<OvsdbOperation>();
        if (_openVSwitch.Count > 0)
        {
            ops.Add(new OvsdbUpdate("Open_vSwitch", [], new Dictionary<string, OvsdbDatum>(_openVSwitch)));
        }

        foreach (KeyValuePair<(string Table, Guid Row), Dictionary<string, OvsdbDatum>> r in _rows.OrderBy(r => r.Key.Table, StringComparer.Ordinal).ThenBy(r => r.Key.Row))
        {
            ops.Add(new OvsdbUpdate(r.Key.Table, [OvsdbCondition.Row(r.Key.Row)], new Dictionary<string, OvsdbDatum>(r.Value)));
        }

        return ops;
    }

    /// <summary>Sends the batch as one transaction (nothing when empty). Returns how many rows were updated.</summary>
    /// <exception cref="OvsdbConnectionException">Not connected to the database.</exception>
    /// <exception cref="OvsdbTransactionException">The server refused a value (an enum outside its set…).</exception>
    public async Task<long> CommitAsync(CancellationToken ct = default)
    {
        if (IsEmpty)
        {
            return 0;
        }

        OvsdbTransactionResult r = await _db.Replica.TransactAsync(ToOperations(), ct).ConfigureAwait(false);
        return r.Results.Sum(x => x.Count ?? 0);
    }

    private static OvsdbDatum Optional(string? s) => s is null ? OvsdbDatum.Empty : OvsdbDatum.Atom(s);

    private static OvsdbDatum Optional(long? n) => n is { } v ? OvsdbDatum.Atom(v) : OvsdbDatum.Empty;

    private VswitchWriteBatch Set(string table, Guid row, string column, OvsdbDatum value)
    {
        Row(table, row)[column] = value;
        return this;
    }

    private Dictionary<string, OvsdbDatum> Row(string table, Guid row)
    {
        if (!_rows.TryGetValue((table, row), out Dictionary<string, OvsdbDatum>? columns))
        {
            _rows[(table, row)] = columns = new Dictionary<string, OvsdbDatum>(StringComparer.Ordinal);
        }

        return columns;
    }
}
