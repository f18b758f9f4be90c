using System.Collections.Immutable;
using System.Threading.Channels;
using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Monitoring;
using FastPath.Ovsdb.Schema;
using FastPath.Ovsdb.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastPath.Ovsdb.Replication;

/// <summary>An in-memory replica of some tables and columns of one database, kept current by a monitor (as Open vSwitch's
/// IDL): connects, fetches the schema, monitors, applies every update batch to a new immutable
/// <see cref="OvsdbReplicaSnapshot"/> and raises <see cref="Changed"/> with what changed. When the connection drops it
/// reconnects with exponential backoff, monitors again and resynchronises: the new initial contents replace the old,
/// and the difference (rows deleted, inserted or modified meanwhile) is reported as one change.</summary>
/// <remarks><see cref="Changed"/> is raised on the replica's own task, one batch at a time, in order, never on the
/// connection's reading task: a handler may start (even wait for) a transaction through <see cref="TransactAsync"/>; the
/// next change waits until it returns. A handler's exception is logged and does not stop the replica.</remarks>
public sealed class OvsdbReplica : IAsyncDisposable
{
    private readonly string _target;
    private readonly string _database;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>?> _tables;
    private readonly OvsdbReplicaOptions _options;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private OvsdbReplicaSnapshot _snapshot = OvsdbReplicaSnapshot.Empty;
    private volatile OvsdbClient? _client;
    private Task? _loop;
    private long _syncs;

    /// <summary>A replica of <paramref name="tables"/> (table name to the columns wanted, null for all) of
    /// <paramref name="database"/> at <paramref name="target"/>. Call <see cref="Start"/>.</summary>
    public OvsdbReplica(string target, string database, IReadOnlyDictionary<string, IReadOnlyList<string>?> tables, OvsdbReplicaOptions? options = null)
    {
        Rpc.OvsdbTarget.Parse(target);
        _target = target;
        _database = database;
        _tables = tables;
        _options = options ?? new OvsdbReplicaOptions();
        _log = _options.Logger ?? NullLogger.Instance;
    }

    /// <summary>Raised after every batch with a change that is not only in <see cref="OvsdbReplicaOptions.OmitAlert"/>
    /// columns, and after every (re)synchronisation.</summary>
    public event Action<OvsdbReplicaChange>? Changed;

    /// <summary>Raised when a connection ends (or an attempt fails), with the reason.</summary>
    public event Action<Exception>? Disconnected;

    /// <summary>The latest contents.</summary>
    public OvsdbReplicaSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>True while connected and synchronised.</summary>
    public bool IsConnected => _client is { IsConnected: true };

    /// <summary>How many times the replica has synchronised (1 after the first connection).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Why the last connection or attempt ended.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Starts connecting.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("already started");
        }

        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes once the replica has synchronised for the first time.</summary>
    public Task WaitForSyncAsync(CancellationToken ct = default) => _firstSync.Task.WaitAsync(ct);

    /// <summary>Runs a transaction on the current connection (one attempt: after a reconnect the caller decides
    /// whether its change still applies).</summary>
    /// <exception cref="OvsdbConnectionException">Not connected.</exception>
    public Task<OvsdbTransactionResult> TransactAsync(IReadOnlyList<OvsdbOperation> operations, CancellationToken ct = default)
    {
        OvsdbClient client = _client ?? throw new OvsdbConnectionException($"{_target}: not connected");
        return client.TransactAsync(_database, operations, ct);
    }

    /// <summary>Stops: closes the connection and waits for the replica's task.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_client is { } c)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        TimeSpan backoff = _options.MinBackoff;
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            long started = Environment.TickCount64;
            try
            {
                await RunConnectionAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LastError = e;
                _log.LogWarning("{Target}: {Reason}", _target, e.Message);
                RaiseDisconnected(e);
            }

            // A connection that lasted longer than the wait starts over at the minimum, as Open vSwitch's reconnect.
            backoff = Environment.TickCount64 - started > backoff.TotalMilliseconds
                ? _options.MinBackoff
                : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            try
            {
                await Task.Delay(backoff, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task RunConnectionAsync(CancellationToken stop)
    {
        await using OvsdbClient client = await OvsdbClient.ConnectAsync(_target, _options.Client, stop).ConfigureAwait(false);
        OvsdbSchema schema = await client.GetSchemaAsync(_database, stop).ConfigureAwait(false);
        var requests = new Dictionary<string, OvsdbMonitorRequest>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, IReadOnlyList<string>?> t in _tables)
        {
            OvsdbTableSchema table = schema.Tables.TryGetValue(t.Key, out OvsdbTableSchema? ts) ? ts
                : throw new OvsdbException($"database {_database} has no table {t.Key}");
            // "All columns" leaves out _version: it changes whenever the server reloads the file, which is not a change.
            IReadOnlyList<string> columns = (t.Value ?? table.Columns.Keys.Where(c => c is not ("_uuid" or "_version")).ToList())
                .Where(table.Columns.ContainsKey).ToList();
            if (t.Value is not null && columns.Count != t.Value.Count)
            {
                _log.LogWarning("{Table}: the server's schema lacks {Columns}", t.Key, string.Join(", ", t.Value.Except(columns)));
            }

            requests[t.Key] = new OvsdbMonitorRequest(columns);
        }

        var batches = Channel.CreateUnbounded<OvsdbTableUpdates>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = client.Closed.ContinueWith(t => batches.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await client.MonitorAsync(_database, requests, u => batches.Writer.TryWrite(u), stop).ConfigureAwait(false);
        _client = client;
        try
        {
            await foreach (OvsdbTableUpdates batch in batches.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                await ApplyAsync(batch, schema).ConfigureAwait(false);
            }
        }
        finally
        {
            _client = null;
            OvsdbReplicaSnapshot s = Snapshot;
            Volatile.Write(ref _snapshot, s with { IsSynced = false });
        }

        throw await client.Closed.ConfigureAwait(false);
    }

    private async Task ApplyAsync(OvsdbTableUpdates batch, OvsdbSchema schema)
    {
        OvsdbReplicaSnapshot before = Snapshot;
        var tables = before.Tables.ToBuilder();
        var changes = ImmutableSortedDictionary.CreateBuilder<string, ImmutableDictionary<Guid, OvsdbRowChange>>(StringComparer.Ordinal);
        bool alert = batch.IsInitial;
        if (batch.IsInitial)
        {
            foreach (string table in _tables.Keys)
            {
                ImmutableDictionary<Guid, OvsdbRow> old = before.Rows(table);
                ImmutableDictionary<Guid, OvsdbRowUpdate> fresh = batch.Tables.TryGetValue(table, out var f) ? f : ImmutableDictionary<Guid, OvsdbRowUpdate>.Empty;
                var rows = ImmutableDictionary.CreateBuilder<Guid, OvsdbRow>();
                var changed = ImmutableDictionary.CreateBuilder<Guid, OvsdbRowChange>();
                foreach (KeyValuePair<Guid, OvsdbRowUpdate> r in fresh)
                {
                    OvsdbRow row = r.Value.New ?? throw new OvsdbProtocolException($"monitor: initial row {table} {r.Key} lacks \"new\"");
                    rows[r.Key] = row;
                    if (!old.TryGetValue(r.Key, out OvsdbRow? previous))
                    {
                        changed[r.Key] = new OvsdbRowChange(null, row, row.Keys.ToImmutableArray());
                    }
                    else if (!previous.Equals(row))
                    {
                        changed[r.Key] = new OvsdbRowChange(previous, row, Differing(previous, row));
                    }
                }

                foreach (KeyValuePair<Guid, OvsdbRow> r in old)
                {
                    if (!fresh.ContainsKey(r.Key))
                    {
                        changed[r.Key] = new OvsdbRowChange(r.Value, null, r.Value.Keys.ToImmutableArray());
                    }
                }

                tables[table] = rows.ToImmutable();
                if (changed.Count > 0)
                {
                    changes[table] = changed.ToImmutable();
                }
            }
        }
        else
        {
            foreach (KeyValuePair<string, ImmutableDictionary<Guid, OvsdbRowUpdate>> t in batch.Tables)
            {
                ImmutableDictionary<Guid, OvsdbRow>.Builder rows = (tables.TryGetValue(t.Key, out var existing) ? existing : ImmutableDictionary<Guid, OvsdbRow>.Empty).ToBuilder();
                var changed = ImmutableDictionary.CreateBuilder<Guid, OvsdbRowChange>();
                foreach (KeyValuePair<Guid, OvsdbRowUpdate> r in t.Value)
                {
                    rows.TryGetValue(r.Key, out OvsdbRow? previous);
                    OvsdbRowChange change;
                    if (r.Value.New is null)
                    {
                        if (previous is null)
                        {
                            continue;
                        }

                        rows.Remove(r.Key);
                        change = new OvsdbRowChange(previous, null, previous.Keys.ToImmutableArray());
                    }
                    else if (previous is null)
                    {
                        rows[r.Key] = r.Value.New;
                        change = new OvsdbRowChange(null, r.Value.New, r.Value.New.Keys.ToImmutableArray());
                    }
                    else
                    {
                        OvsdbRow row = previous.With(r.Value.New);
                        rows[r.Key] = row;
                        ImmutableArray<string> columns = Differing(previous, row);
                        if (columns.IsEmpty)
                        {
                            continue;
                        }

                        change = new OvsdbRowChange(previous, row, columns);
                        if (columns.All(c => _options.OmitAlert.Contains(t.Key + "." + c)))
                        {
                            changed[r.Key] = change;
                            continue;
                        }
                    }

                    alert = true;
                    changed[r.Key] = change;
                }

                tables[t.Key] = rows.ToImmutable();
                if (changed.Count > 0)
                {
                    changes[t.Key] = changed.ToImmutable();
                }
            }
        }

        var after = new OvsdbReplicaSnapshot(schema, tables.ToImmutable(), before.Version + 1, true);
        Volatile.Write(ref _snapshot, after);
        if (batch.IsInitial)
        {
            Interlocked.Increment(ref _syncs);
            _firstSync.TrySetResult();
        }

        if (alert)
        {
            await RaiseChangedAsync(new OvsdbReplicaChange(after, changes.ToImmutable(), batch.IsInitial)).ConfigureAwait(false);
        }
    }

    private static ImmutableArray<string> Differing(OvsdbRow a, OvsdbRow b) =>
        a.Keys.Union(b.Keys).Where(c => !a.Get(c).Equals(b.Get(c))).Order(StringComparer.Ordinal).ToImmutableArray();

    private Task RaiseChangedAsync(OvsdbReplicaChange change)
    {
        try
        {
            Changed?.Invoke(change);
        }
        catch (Exception e)
        {
            _log.LogError(e, "{Target}: a Changed handler failed", _target);
        }

        return Task.CompletedTask;
    }

    private void RaiseDisconnected(Exception reason)
    {
        try
        {
            Disconnected?.Invoke(reason);
        }
        catch (Exception e)
        {
            _log.LogError(e, "{Target}: a Disconnected handler failed", _target);
        }
    }
}
