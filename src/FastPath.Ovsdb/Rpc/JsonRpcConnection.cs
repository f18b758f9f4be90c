using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using FastPath.Ovsdb.Data;

namespace FastPath.Ovsdb.Rpc;

/// <summary>One JSON-RPC 1.0 connection as RFC 7047 §4 uses it: a stream of JSON objects with no delimiter,
/// requests matched to replies by id, notifications (id null), and the peer's "echo" answered here.</summary>
/// <remarks>
/// Input is framed incrementally: a <see cref="Utf8JsonReader"/> resumes where the last read stopped, so a large
/// message arriving in many reads is tokenised once, and a message over <see cref="JsonRpcOptions.MaxMessageBytes"/>
/// closes the connection instead of being buffered. Anything that is not a JSON object, or not a request, notification
/// or reply, closes the connection with an <see cref="OvsdbProtocolException"/> saying why: a byte stream cannot be
/// resynchronised after malformed JSON. Every pending request then fails with that reason; nothing waits forever.
/// Handlers (<see cref="NotificationHandler"/>, <see cref="RequestHandler"/>, the inline reply hooks) run on the
/// reading task, in the order messages arrived, and must not block.
/// </remarks>
public sealed class JsonRpcConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly JsonRpcOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;
    private long _lastReceived = Environment.TickCount64;
    private int _probeOutstanding;
    private long _probeSentAt;
    private int _started;
    private Exception? _closeReason;

    // The framer's progress through a message not yet complete: bytes tokenised and the reader's state there.
    private long _scanned;
    private JsonReaderState _state;

    /// <summary>A connection over <paramref name="stream"/> (owned: disposed on close). Call <see cref="Start"/> after
    /// setting the handlers.</summary>
    public JsonRpcConnection(Stream stream, JsonRpcOptions? options = null)
    {
        _stream = stream;
        _options = options ?? new JsonRpcOptions();
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>Called for every notification (a request with a null id): method and params.</summary>
    public Action<string, JsonElement>? NotificationHandler { get; set; }

    /// <summary>Answers the peer's requests other than "echo" (which is answered here); without a handler they get the
    /// error "unknown method".</summary>
    public Func<string, JsonElement, JsonRpcResult>? RequestHandler { get; set; }

    /// <summary>Completes with the reason once the connection has closed (for whatever reason, including disposal).</summary>
    public Task<Exception> Closed => _closed.Task;

    /// <summary>True until the connection closes.</summary>
    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>How many echo requests from the peer were answered.</summary>
    public long EchoRequestsAnswered { get; private set; }

    /// <summary>How many inactivity probes (our echo requests) were sent.</summary>
    public long ProbesSent { get; private set; }

    /// <summary>How many replies carried an id with no request waiting (late, after a timeout), and were dropped.</summary>
    public long UnexpectedReplies { get; private set; }

    /// <summary>Starts reading and probing.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("already started");
        }

        _ = Task.Run(ReadLoopAsync);
        if (_options.InactivityProbe > TimeSpan.Zero)
        {
            _ = Task.Run(ProbeLoopAsync);
        }
    }

    /// <summary>Sends a request and waits for its reply's result. <paramref name="writeParams"/> writes the elements of
    /// the params array; <paramref name="onReply"/>, when given, sees the result on the reading task before any later
    /// message is handled (so a monitor's initial contents are applied before its first update).</summary>
    /// <exception cref="OvsdbErrorException">The peer replied with an error.</exception>
    /// <exception cref="OvsdbConnectionException">The connection closed first.</exception>
    /// <exception cref="TimeoutException">No reply within <see cref="JsonRpcOptions.RequestTimeout"/>.</exception>
    public async Task<JsonElement> CallAsync(string method, Action<Utf8JsonWriter> writeParams, Action<JsonElement>? onReply = null, CancellationToken ct = default)
    {
        long id = Interlocked.Increment(ref _nextId);
        var pending = new Pending(method, onReply);
        _pending[id] = pending;
        if (!IsOpen)
        {
            _pending.TryRemove(id, out _);
            throw Lost(method);
        }

        try
        {
            byte[] bytes = Serialize(w =>
            {
                w.WriteStartObject();
                w.WriteString("method", method);
                w.WriteStartArray("params");
                writeParams(w);
                w.WriteEndArray();
                w.WriteNumber("id", id);
                w.WriteEndObject();
            });
            await SendAsync(bytes, ct).ConfigureAwait(false);
            return await pending.Reply.Task.WaitAsync(_options.RequestTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{method}: no reply within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Sends a notification (a request with a null id, which gets no reply).</summary>
    public Task NotifyAsync(string method, Action<Utf8JsonWriter> writeParams, CancellationToken ct = default) =>
        SendAsync(
            Serialize(w =>
            {
                w.WriteStartObject();
                w.WriteString("method", method);
                w.WriteStartArray("params");
                writeParams(w);
                w.WriteEndArray();
                w.WriteNull("id");
                w.WriteEndObject();
            }),
            ct);

    /// <summary>Closes the connection; pending requests fail.</summary>
    public ValueTask DisposeAsync()
    {
        Close(new OvsdbConnectionException("connection closed locally"));
        return ValueTask.CompletedTask;
    }

    // One writer and buffer per thread, reused: a message used to cost a fresh writer and a buffer grown from 256
    // bytes by doubling (a statistics transaction, every 5 s, threw away 30 KB that way); now it costs its bytes.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        Utf8JsonWriter w = t_writer ??= new Utf8JsonWriter(buffer, OvsdbJson.WriterOptions);
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        try
        {
            write(w);
            w.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            // A huge message (a big transaction) must not pin its buffer to the thread for good.
            if (buffer.Capacity > 64 * 1024)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    private OvsdbConnectionException Lost(string method) =>
        new($"{method}: connection lost: {_closeReason?.Message ?? "closed"}", _closeReason);

    private async Task SendAsync(byte[] bytes, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, _cts.Token);
        cts.CancelAfter(_options.SendTimeout);
        bool locked = false;
        try
        {
            await _writeLock.WaitAsync(cts.Token).ConfigureAwait(false);
            locked = true;
            FlushResult r = await _writer.WriteAsync(bytes, cts.Token).ConfigureAwait(false);
            if (r.IsCompleted)
            {
                throw Lost("send");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            if (!_cts.IsCancellationRequested)
            {
                Close(new OvsdbConnectionException($"send blocked for {_options.SendTimeout.TotalSeconds:0.#} s: the peer stopped reading"));
            }

            throw Lost("send");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Close(new OvsdbConnectionException("send failed: " + e.Message, e));
            throw Lost("send");
        }
        finally
        {
            if (locked)
            {
                _writeLock.Release();
            }
        }
    }

    private void SendInBackground(byte[] bytes) => _ = SendAsync(bytes, CancellationToken.None).ContinueWith(
        t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private async Task ReadLoopAsync()
    {
        Exception reason;
        try
        {
            while (true)
            {
                ReadResult r = await _reader.ReadAsync(_cts.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = r.Buffer;
                while (TryFrame(ref buffer, out ReadOnlySequence<byte> message))
                {
                    Dispatch(message);
                }

                if (_scanned > _options.MaxMessageBytes || buffer.Length > _options.MaxMessageBytes + 4096)
                {
                    throw new OvsdbProtocolException($"message longer than {_options.MaxMessageBytes} bytes");
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (r.IsCompleted)
                {
                    reason = IsBlank(buffer)
                        ? new OvsdbConnectionException("connection closed by peer")
                        : new OvsdbProtocolException($"connection closed by peer in the middle of a message ({buffer.Length} bytes unterminated)");
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            reason = _closeReason ?? new OvsdbConnectionException("connection closed locally");
        }
        catch (JsonException e)
        {
            reason = new OvsdbProtocolException($"malformed JSON from peer: {e.Message}", e);
        }
        catch (OvsdbProtocolException e)
        {
            reason = e;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            reason = new OvsdbConnectionException("connection lost: " + e.Message, e);
        }
        catch (Exception e)
        {
            // A handler's bug: the connection cannot go on in an unknown state, and the reason must not vanish.
            reason = new OvsdbException("message handler failed: " + e.Message, e);
        }

        Close(reason);
    }

    private static bool IsBlank(ReadOnlySequence<byte> buffer)
    {
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            foreach (byte b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool TryFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> message)
    {
        var reader = new Utf8JsonReader(buffer.Slice(_scanned), isFinalBlock: false, _state);
        while (reader.Read())
        {
            if (reader.CurrentDepth != 0)
            {
                continue;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                continue;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                long end = _scanned + reader.BytesConsumed;
                message = buffer.Slice(0, end);
                buffer = buffer.Slice(end);
                _scanned = 0;
                _state = default;
                return true;
            }

            throw new OvsdbProtocolException($"a JSON-RPC message is a JSON object, got {reader.TokenType}");
        }

        _scanned += reader.BytesConsumed;
        _state = reader.CurrentState;
        message = default;
        return false;
    }

    private void Dispatch(ReadOnlySequence<byte> bytes)
    {
        Volatile.Write(ref _lastReceived, Environment.TickCount64);
        Volatile.Write(ref _probeOutstanding, 0);
        using JsonDocument doc = JsonDocument.Parse(bytes);
        JsonElement m = doc.RootElement;
        bool hasId = m.TryGetProperty("id", out JsonElement id);
        if (m.TryGetProperty("method", out JsonElement method))
        {
            if (method.ValueKind != JsonValueKind.String)
            {
                throw new OvsdbProtocolException($"\"method\" must be a string, got {OvsdbJson.Abbreviate(method)}");
            }

            if (!m.TryGetProperty("params", out JsonElement parameters) || parameters.ValueKind != JsonValueKind.Array)
            {
                throw new OvsdbProtocolException($"request \"{method.GetString()}\" lacks a \"params\" array");
            }

            if (!hasId || id.ValueKind == JsonValueKind.Null)
            {
                NotificationHandler?.Invoke(method.GetString()!, parameters);
                return;
            }

            JsonRpcResult answer;
            if (method.GetString() == "echo")
            {
                EchoRequestsAnswered++;
                answer = JsonRpcResult.Ok(w => parameters.WriteTo(w));
            }
            else
            {
                answer = RequestHandler?.Invoke(method.GetString()!, parameters) ?? JsonRpcResult.Fail("unknown method", method.GetString());
            }

            SendInBackground(Serialize(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("result");
                if (answer.WriteResult is not null)
                {
                    answer.WriteResult(w);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WritePropertyName("error");
                if (answer.WriteError is not null)
                {
                    answer.WriteError(w);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WritePropertyName("id");
                id.WriteTo(w);
                w.WriteEndObject();
            }));
            return;
        }

        bool hasResult = m.TryGetProperty("result", out JsonElement result);
        bool hasError = m.TryGetProperty("error", out JsonElement error);
        if (!hasResult && !hasError)
        {
            throw new OvsdbProtocolException($"message is neither a request nor a reply: {OvsdbJson.Abbreviate(m)}");
        }

        if (!hasId || !id.TryGetInt64(out long n) || !_pending.TryRemove(n, out Pending? pending))
        {
            UnexpectedReplies++;
            return;
        }

        if (hasError && error.ValueKind != JsonValueKind.Null)
        {
            string text = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.String
                ? e.GetString()!
                : error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText();
            string? details = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("details", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            pending.Reply.TrySetException(new OvsdbErrorException(pending.Method, text, details, error.Clone()));
            return;
        }

        if (!hasResult)
        {
            pending.Reply.TrySetException(new OvsdbProtocolException($"{pending.Method}: reply has neither result nor error"));
            return;
        }

        try
        {
            pending.OnReply?.Invoke(result);
        }
        catch (Exception e)
        {
            pending.Reply.TrySetException(e is OvsdbProtocolException ? new OvsdbProtocolException($"{pending.Method}: {e.Message}", e) : e);
            throw;
        }

        pending.Reply.TrySetResult(result.Clone());
    }

    private async Task ProbeLoopAsync()
    {
        long probe = (long)_options.InactivityProbe.TotalMilliseconds;
        int tick = (int)Math.Clamp(probe / 4, 10, 1000);
        try
        {
            while (IsOpen)
            {
                await Task.Delay(tick, _cts.Token).ConfigureAwait(false);
                long now = Environment.TickCount64;
                long idle = now - Volatile.Read(ref _lastReceived);

                // Close only once a probe has gone unanswered for a whole interval: a loop that wakes late (a busy
                // machine) must not close a connection it never probed.
                if (idle >= 2 * probe && Volatile.Read(ref _probeOutstanding) == 1 && now - _probeSentAt >= probe)
                {
                    Close(new OvsdbConnectionException($"no message from the peer for {idle / 1000.0:0.#} s: inactivity probe timed out"));
                    return;
                }

                if (idle >= probe && Interlocked.Exchange(ref _probeOutstanding, 1) == 0)
                {
                    ProbesSent++;
                    _probeSentAt = now;
                    _ = CallAsync("echo", _ => { }).ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Close(Exception reason)
    {
        lock (_pending)
        {
            if (_closeReason is not null)
            {
                return;
            }

            _closeReason = reason;
        }

        _cts.Cancel();
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
        }

        foreach (KeyValuePair<long, Pending> p in _pending)
        {
            if (_pending.TryRemove(p.Key, out Pending? pending))
            {
                pending.Reply.TrySetException(Lost(pending.Method));
            }
        }

        _closed.TrySetResult(reason);
    }

    private sealed class Pending(string method, Action<JsonElement>? onReply)
    {
        public string Method { get; } = method;

        public Action<JsonElement>? OnReply { get; } = onReply;

        public TaskCompletionSource<JsonElement> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
