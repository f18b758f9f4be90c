using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using FastPath.Ovsdb.Data;
using FastPath.Ovsdb.Monitoring;
using FastPath.Ovsdb.Rpc;
using FastPath.Ovsdb.Schema;
using FastPath.Ovsdb.Transactions;

namespace FastPath.Ovsdb;

/// <summary>An OVSDB client (RFC 7047 §4.1) on one connection: list_dbs, get_schema, transact, monitor,
/// monitor_cancel, echo. Thread-safe; requests may overlap.</summary>
/// <remarks>The client does not reconnect: when <see cref="Closed"/> completes it is done. OvsdbReplica
/// reconnects and re-monitors. Schemas fetched with <see cref="GetSchemaAsync"/> are remembered and type the values
/// of later replies for that database (JSON alone cannot tell the integer 1 from the real 1).</remarks>
public sealed class OvsdbClient : IAsyncDisposable
{
    private readonly JsonRpcConnection _rpc;
    private readonly ConcurrentDictionary<string, OvsdbSchema> _schemas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (OvsdbSchema? Schema, Action<OvsdbTableUpdates> OnUpdate)> _monitors = new(StringComparer.Ordinal);
    private long _nextMonitor;

    private OvsdbClient(JsonRpcConnection rpc, string target)
    {
        _rpc = rpc;
        Target = target;
        _rpc.NotificationHandler = OnNotification;
        _rpc.Start();
    }

    /// <summary>The target connected to.</summary>
    public string Target { get; }

    /// <summary>Completes with the reason when the connection ends.</summary>
    public Task<Exception> Closed => _rpc.Closed;

    /// <summary>True until the connection ends.</summary>
    public bool IsConnected => _rpc.IsOpen;

    /// <summary>The underlying connection (its counters: echoes answered, probes sent).</summary>
    public JsonRpcConnection Connection => _rpc;

    /// <summary>Connects to <paramref name="target"/> (<c>unix:PATH</c> or <c>tcp:IP:PORT</c>).</summary>
    /// <exception cref="OvsdbConnectionException">The connection could not be made in time.</exception>
    public static async Task<OvsdbClient> ConnectAsync(string target, OvsdbClientOptions? options = null, CancellationToken ct = default)
    {
        options ??= new OvsdbClientOptions();
        OvsdbTarget t = OvsdbTarget.Parse(target);
        Stream stream = await t.ConnectAsync(options.ConnectTimeout, ct).ConfigureAwait(false);
        return new OvsdbClient(new JsonRpcConnection(stream, options.Rpc), target);
    }

    /// <summary>A client over an already connected stream (owned).</summary>
    public static OvsdbClient Attach(Stream stream, OvsdbClientOptions? options = null, string target = "stream") =>
        new(new JsonRpcConnection(stream, (options ?? new OvsdbClientOptions()).Rpc), target);

    /// <summary>list_dbs (§4.1.1): the databases the server holds.</summary>
    public async Task<ImmutableArray<string>> ListDbsAsync(CancellationToken ct = default)
    {
        JsonElement r = await _rpc.CallAsync("list_dbs", _ => { }, null, ct).ConfigureAwait(false);
        if (r.ValueKind != JsonValueKind.Array || r.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new OvsdbProtocolException($"list_dbs: expected an array of strings, got {OvsdbJson.Abbreviate(r)}");
        }

        return r.EnumerateArray().Select(e => e.GetString()!).ToImmutableArray();
    }

    /// <summary>get_schema (§4.1.2): the database's schema, remembered to type later replies.</summary>
    public async Task<OvsdbSchema> GetSchemaAsync(string database, CancellationToken ct = default)
    {
        JsonElement r = await _rpc.CallAsync("get_schema", w => w.WriteStringValue(database), null, ct).ConfigureAwait(false);
        OvsdbSchema schema;
        try
        {
            schema = OvsdbSchemaParser.Parse(r);
        }
        catch (OvsdbProtocolException e)
        {
            throw new OvsdbProtocolException("get_schema: " + e.Message, e);
        }

        _schemas[database] = schema;
        return schema;
    }

    /// <summary>The schema fetched for <paramref name="database"/>, if any.</summary>
    public OvsdbSchema? KnownSchema(string database) => _schemas.TryGetValue(database, out OvsdbSchema? s) ? s : null;

    /// <summary>transact (§4.1.3): runs <paramref name="operations"/> atomically.</summary>
    /// <exception cref="OvsdbTransactionException">An operation or the commit failed; nothing was changed.</exception>
    /// <exception cref="OvsdbErrorException">The request itself was refused (unknown database…).</exception>
    public async Task<OvsdbTransactionResult> TransactAsync(string database, IReadOnlyList<OvsdbOperation> operations, CancellationToken ct = default)
    {
        JsonElement r = await _rpc.CallAsync(
            "transact",
            w =>
            {
                w.WriteStringValue(database);
                foreach (OvsdbOperation op in operations)
                {
                    op.WriteTo(w);
                }
            },
            null,
            ct).ConfigureAwait(false);
        return ReadTransactResult(r, operations, KnownSchema(database));
    }

    /// <summary>transact with the operations given inline.</summary>
    public Task<OvsdbTransactionResult> TransactAsync(string database, params OvsdbOperation[] operations) =>
        TransactAsync(database, (IReadOnlyList<OvsdbOperation>)operations, CancellationToken.None);

    /// <summary>monitor (§4.1.5): <paramref name="onUpdate"/> first receives the initial contents, then every "update"
    /// notification, always in order on the connection's reading task (it must not block). Values are typed by the
    /// schema fetched for the database, if any.</summary>
    public async Task<OvsdbMonitor> MonitorAsync(string database, IReadOnlyDictionary<string, OvsdbMonitorRequest> requests, Action<OvsdbTableUpdates> onUpdate, CancellationToken ct = default)
    {
        string id = "m" + Interlocked.Increment(ref _nextMonitor).ToString(System.Globalization.CultureInfo.InvariantCulture);
        OvsdbSchema? schema = KnownSchema(database);
        OvsdbTableUpdates? initial = null;

        // Registered before the request goes out: an update may follow the reply at once.
        _monitors[id] = (schema, onUpdate);
        try
        {
            await _rpc.CallAsync(
                "monitor",
                w =>
                {
                    w.WriteStringValue(database);
                    w.WriteStringValue(id);
                    w.WriteStartObject();
                    foreach (KeyValuePair<string, OvsdbMonitorRequest> t in requests)
                    {
                        w.WriteStartObject(t.Key);
                        if (t.Value.Columns is { } columns)
                        {
                            w.WriteStartArray("columns");
                            foreach (string c in columns)
                            {
                                w.WriteStringValue(c);
                            }

                            w.WriteEndArray();
                        }

                        w.WriteStartObject("select");
                        w.WriteBoolean("initial", t.Value.Initial);
                        w.WriteBoolean("insert", t.Value.Insert);
                        w.WriteBoolean("delete", t.Value.Delete);
                        w.WriteBoolean("modify", t.Value.Modify);
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                },
                result =>
                {
                    initial = OvsdbTableUpdates.Read(result, schema, isInitial: true);
                    onUpdate(initial);
                },
                ct).ConfigureAwait(false);
        }
        catch
        {
            _monitors.TryRemove(id, out _);
            throw;
        }

        return new OvsdbMonitor(this, database, id, initial!);
    }

    /// <summary>monitor_cancel (§4.1.7): stops the monitor's updates.</summary>
    public async Task MonitorCancelAsync(OvsdbMonitor monitor, CancellationToken ct = default)
    {
        await _rpc.CallAsync("monitor_cancel", w => w.WriteStringValue(monitor.Id), null, ct).ConfigureAwait(false);
        _monitors.TryRemove(monitor.Id, out _);
    }

    /// <summary>echo (§4.1.11): a round trip.</summary>
    public Task EchoAsync(CancellationToken ct = default) =>
        _rpc.CallAsync("echo", w => w.WriteStringValue("fastpath"), null, ct);

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync() => _rpc.DisposeAsync();

    private static OvsdbTransactionResult ReadTransactResult(JsonElement r, IReadOnlyList<OvsdbOperation> operations, OvsdbSchema? schema)
    {
        if (r.ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbProtocolException($"transact: expected an array of results, got {OvsdbJson.Abbreviate(r)}");
        }

        if (r.GetArrayLength() < operations.Count && !r.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("error", out _)))
        {
            throw new OvsdbProtocolException($"transact: {r.GetArrayLength()} results for {operations.Count} operations and no error");
        }

        var results = ImmutableArray.CreateBuilder<OvsdbOperationResult?>();
        int index = 0;
        foreach (JsonElement e in r.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.Null)
            {
                results.Add(null);
                index++;
                continue;
            }

            if (e.ValueKind != JsonValueKind.Object)
            {
                throw new OvsdbProtocolException($"transact: result {index} must be an object or null, got {OvsdbJson.Abbreviate(e)}");
            }

            Guid? uuid = null;
            if (e.TryGetProperty("uuid", out JsonElement u))
            {
                OvsdbAtom a = OvsdbJson.ReadAtom(u);
                uuid = a.Kind == OvsdbAtomKind.Uuid ? a.Uuid : throw new OvsdbProtocolException($"transact: result {index} uuid is not a uuid");
            }

            long? count = e.TryGetProperty("count", out JsonElement c) ? (c.TryGetInt64(out long n) ? n : throw new OvsdbProtocolException($"transact: result {index} count is not an integer")) : null;
            ImmutableArray<OvsdbRow>? rows = null;
            if (e.TryGetProperty("rows", out JsonElement rs))
            {
                OvsdbTableSchema? table = null;
                if (index < operations.Count && operations[index] is OvsdbSelect select)
                {
                    schema?.Tables.TryGetValue(select.Table, out table);
                }

                rows = rs.ValueKind == JsonValueKind.Array
                    ? rs.EnumerateArray().Select(row => OvsdbJson.ReadRow(row, table)).ToImmutableArray()
                    : throw new OvsdbProtocolException($"transact: result {index} rows is not an array");
            }

            string? error = e.TryGetProperty("error", out JsonElement er) && er.ValueKind != JsonValueKind.Null ? (er.ValueKind == JsonValueKind.String ? er.GetString() : er.GetRawText()) : null;
            string? details = e.TryGetProperty("details", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            results.Add(new OvsdbOperationResult(uuid, count, rows, error, details));
            index++;
        }

        ImmutableArray<OvsdbOperationResult?> all = results.ToImmutable();
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i] is { Failed: true } failed)
            {
                string op = i < operations.Count ? operations[i].Op : "commit";
                throw new OvsdbTransactionException(i, op, failed.Error!, failed.Details, all);
            }
        }

        if (all.Length != operations.Count || all.Any(x => x is null))
        {
            throw new OvsdbProtocolException($"transact: {all.Length} results for {operations.Count} operations, none failed");
        }

        var named = ImmutableDictionary.CreateBuilder<string, Guid>(StringComparer.Ordinal);
        for (int i = 0; i < operations.Count; i++)
        {
            if (operations[i] is OvsdbInsert { UuidName: { } name } && all[i]!.Uuid is { } g)
            {
                named[name] = g;
            }
        }

        return new OvsdbTransactionResult(all.Select(x => x!).ToImmutableArray(), named.ToImmutable());
    }

    private void OnNotification(string method, JsonElement parameters)
    {
        if (method != "update")
        {
            return;
        }

        if (parameters.GetArrayLength() != 2)
        {
            throw new OvsdbProtocolException($"update: params must be [monitor-id, table-updates], got {OvsdbJson.Abbreviate(parameters)}");
        }

        JsonElement id = parameters[0];
        if (id.ValueKind != JsonValueKind.String || !_monitors.TryGetValue(id.GetString()!, out var monitor))
        {
            // A monitor cancelled a moment ago: its last updates may still arrive.
            return;
        }

        monitor.OnUpdate(OvsdbTableUpdates.Read(parameters[1], monitor.Schema, isInitial: false));
    }
}
