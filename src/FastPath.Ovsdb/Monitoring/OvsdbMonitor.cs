namespace FastPath.Ovsdb.Monitoring;

/// <summary>A monitor in place on a connection: its id, the contents it started from, and its cancellation.</summary>
public sealed class OvsdbMonitor
{
    private readonly OvsdbClient _client;

    internal OvsdbMonitor(OvsdbClient client, string database, string id, OvsdbTableUpdates initial)
    {
        _client = client;
        Database = database;
        Id = id;
        Initial = initial;
    }

    /// <summary>The monitored database.</summary>
    public string Database { get; }

    /// <summary>The monitor id the updates carry.</summary>
    public string Id { get; }

    /// <summary>The rows the monitor reply returned.</summary>
    public OvsdbTableUpdates Initial { get; }

    /// <summary>Sends <c>monitor_cancel</c>: no update follows its reply.</summary>
    public Task CancelAsync(CancellationToken ct = default) => _client.MonitorCancelAsync(this, ct);
}
