using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using FastPath.OpenFlow;
using FastPath.OpenFlow.Wire;
using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.Connmgr;

/// <summary>
/// One OpenFlow connection over any stream: frames messages by their header's length, exchanges hellos and
/// negotiates the version, answers echo requests, probes an idle peer, decodes everything else and hands it to
/// the <see cref="IOfMessageHandler"/>, and writes what the switch sends through a bounded queue. Reading,
/// writing and the timers run on their own tasks; nothing here ever blocks the caller of <see cref="Send"/>.
/// </summary>
public sealed class OfConnection : IAsyncDisposable
{
    private const int WriteBatch = 64;

    // The most of a request an error about it can carry (a standard error's 12-byte head leaves this much; the codec
    // cuts it further for the longer vendor forms), as Open vSwitch 3.1 fills a 64 KiB error with a 64 KiB request.
    private const int MaxErrorData = ushort.MaxValue - OfHeader.Size - 4;
    private static long lastId;

    private readonly Stream stream;
    private readonly IOfMessageHandler handler;
    private readonly OfConnectionOptions options;
    private readonly IOfConnectionObserver? observer;
    private readonly OfSendQueue queue;
    private readonly PacketInRateLimiter? limiter;
    private readonly CancellationTokenSource cts = new();
    private readonly Lock sessionLock = new();
    private readonly long startedMs;
    private OfSession session = new(OpenFlowVersion.OF13);
    private OfAsyncConfig asyncConfig = OfAsyncConfig.Default(OpenFlowVersion.OF13);
    private int state = (int)OfConnectionState.Negotiating;
    private int role = (int)OfControllerRole.Equal;
    private int missSendLength;
    private string? closeReason;
    private string? pendingCloseReason;
    private long graceDeadlineMs;
    private long lastReceiveMs;
    private long probeSentMs;
    private long partialSinceMs;
    private long skipRemaining;
    private int nextXid = 0x40000000;
    private byte peerVersion = (byte)OpenFlowVersion.OF13;
    private bool wasActive;
    private Task completion = Task.CompletedTask;
    private Task? admission;

    private OfConnection(Stream stream, IOfMessageHandler handler, OfConnectionOptions options, OfConnectionKind kind, string name, EndPoint? remote, IOfConnectionObserver? observer)
    {
        options.Validate();
        this.stream = stream;
        this.handler = handler;
        this.options = options;
        this.observer = observer;
        Kind = kind;
        Name = name;
        RemoteEndPoint = remote;
        Id = Interlocked.Increment(ref lastId);
        queue = new OfSendQueue(options);
        startedMs = lastReceiveMs = Environment.TickCount64;
        missSendLength = kind == OfConnectionKind.Controller ? DefaultMissSendLength : 0;
        if (options.PacketInRateLimit > 0)
        {
            limiter = new PacketInRateLimiter(options.PacketInRateLimit, options.PacketInBurstLimit, startedMs);
        }
    }

    /// <summary>OFP_DEFAULT_MISS_SEND_LEN: what a controller connection starts with (service connections start at 0, as in Open vSwitch).</summary>
    public const int DefaultMissSendLength = 128;

    /// <summary>A number unique to this connection in the process.</summary>
    public long Id { get; }

    /// <summary>What the connection is called in logs (its target, or the listener and the peer).</summary>
    public string Name { get; }

    /// <summary>Controller, service or snoop.</summary>
    public OfConnectionKind Kind { get; }

    /// <summary>The peer's address, when the transport has one.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Counters of traffic, errors and drops.</summary>
    public OfConnectionCounters Counters { get; } = new();

    /// <summary>Where the connection is in its life.</summary>
    public OfConnectionState State => (OfConnectionState)Volatile.Read(ref state);

    /// <summary>Why the connection closed, or null while it is open.</summary>
    public string? CloseReason => Volatile.Read(ref closeReason);

    /// <summary>Completes when the connection has closed and the handler has heard of it.</summary>
    public Task Completion => completion;

    /// <summary>
    /// The negotiated version and the encodings the peer chose (flow format, packet-in format). The handler
    /// changes it when the peer sends NXT_SET_FLOW_FORMAT or NXT_SET_PACKET_IN_FORMAT; messages sent afterwards
    /// are encoded with the new session.
    /// </summary>
    public OfSession Session
    {
        get
        {
            lock (sessionLock)
            {
                return session;
            }
        }

        set
        {
            lock (sessionLock)
            {
                session = value;
            }
        }
    }

    /// <summary>The controller role (equal until a role request changes it through <see cref="OfConnectionManager.RequestRole"/>).</summary>
    public OfControllerRole Role
    {
        get => (OfControllerRole)Volatile.Read(ref role);
        internal set => Volatile.Write(ref role, (int)value);
    }

    /// <summary>Whether state-changing requests must be refused with OFPBRC_IS_SLAVE.</summary>
    public bool IsSlave => Role == OfControllerRole.Slave;

    /// <summary>Which asynchronous messages this connection receives (OFPT_SET_ASYNC sets it; reset to the version's default at negotiation).</summary>
    public OfAsyncConfig AsyncConfig
    {
        get => Volatile.Read(ref asyncConfig);
        set => Volatile.Write(ref asyncConfig, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// Bytes of a missed packet a packet-in carries (OFPT_SET_CONFIG's miss_send_len). A service connection
    /// receives no asynchronous message at all while this is 0, as in Open vSwitch (<c>ovs-ofctl monitor</c> sets it).
    /// </summary>
    public int MissSendLength
    {
        get => Volatile.Read(ref missSendLength);
        set => Volatile.Write(ref missSendLength, value);
    }

    /// <summary>Bytes waiting to be written to the peer.</summary>
    public long QueuedBytes => queue.Bytes;

    /// <summary>Messages waiting to be written to the peer.</summary>
    public int QueuedMessages => queue.Count;

    /// <summary>Packet-ins the rate limiter holds back.</summary>
    public int RateLimitedPacketIns => limiter?.Queued ?? 0;

    /// <summary>
    /// Starts serving <paramref name="stream"/> (a socket's NetworkStream, an SslStream, any duplex stream): our
    /// hello goes out at once. The connection owns the stream and disposes it when it closes.
    /// </summary>
    public static OfConnection Start(Stream stream, IOfMessageHandler handler, OfConnectionOptions? options = null, OfConnectionKind kind = OfConnectionKind.Service, string? name = null, EndPoint? remote = null) =>
        Start(stream, handler, options ?? new OfConnectionOptions(), kind, name ?? "stream", remote, null);

    /// <summary>
    /// Queues <paramref name="message"/> (a reply, or anything else that must not be lost), encoded with the
    /// current <see cref="Session"/>. Never blocks. False if the connection is closed, or if the message would
    /// pass the queue's hard limits, in which case the connection closes (the peer is not draining).
    /// </summary>
    public bool Send(OfMessage message, uint xid)
    {
        // A multipart reply longer than one message goes as several, flagged OFPMPF_REPLY_MORE but the last.
        foreach (byte[] frame in OfCodec.EncodeAll(message, Session, xid))
        {
            if (!SendEncoded(frame, false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Queues <paramref name="message"/> as <see cref="Send(OfMessage, uint)"/> does, each of its messages counted by
    /// <paramref name="counter"/> until written (flow monitor updates: Open vSwitch's monitor_counter).
    /// </summary>
    public bool SendCounted(OfMessage message, uint xid, OfSendCounter counter)
    {
        foreach (byte[] frame in OfCodec.EncodeAll(message, Session, xid))
        {
            if (!SendEncoded(frame, false, counter))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Queues <paramref name="message"/> unless the queue is full of droppable messages already (then it is dropped and counted).</summary>
    public bool SendDroppable(OfMessage message, uint xid) => SendEncoded(OfCodec.Encode(message, Session, xid), true);

    /// <summary>Answers <paramref name="request"/> with <paramref name="error"/> (OFPT_ERROR on its xid carrying its first bytes).</summary>
    public bool SendError(OfError error, in OfRequest request) => Send(new ErrorMessage(error, request.Head), request.Xid);

    /// <summary>
    /// Whether this connection receives an asynchronous message of <paramref name="kind"/> for
    /// <paramref name="reason"/>: connected, not a snoop, a service connection only once it set a miss_send_len,
    /// and allowed by <see cref="AsyncConfig"/> for its <see cref="Role"/>.
    /// </summary>
    public bool ReceivesAsync(OfAsyncKind kind, int reason) =>
        State == OfConnectionState.Active
        && Kind != OfConnectionKind.Snoop
        && (Kind != OfConnectionKind.Service || MissSendLength > 0)
        && AsyncConfig.Allows(kind, Role, reason);

    /// <summary>
    /// Sends an asynchronous message if <see cref="ReceivesAsync"/> allows it. Packet-ins pass the rate limiter
    /// (when configured) and are droppable; port-status and flow-removed are not. True if it was sent or queued.
    /// </summary>
    public bool SendAsyncMessage(OfAsyncKind kind, int reason, OfMessage message)
    {
        if (!ReceivesAsync(kind, reason))
        {
            return false;
        }

        byte[] bytes = OfCodec.Encode(message, Session, 0);
        if (kind != OfAsyncKind.PacketIn)
        {
            return SendEncoded(bytes, false);
        }

        if (limiter is not null)
        {
            switch (limiter.Offer(bytes, Environment.TickCount64))
            {
                case PacketInRateLimiter.Verdict.Queued:
                    Interlocked.Increment(ref Counters.packetInsRateQueued);
                    return true;
                case PacketInRateLimiter.Verdict.Dropped:
                    Interlocked.Increment(ref Counters.packetInsRateDropped);
                    return false;
            }
        }

        return SendEncoded(bytes, true);
    }

    /// <summary>Closes the connection at once (queued output is discarded). Returns without waiting; see <see cref="Completion"/>.</summary>
    public void Close(string reason = "closed by the switch")
    {
        if (Interlocked.CompareExchange(ref closeReason, reason, null) is not null)
        {
            return;
        }

        // Cancelling runs I/O callbacks; keep them off the caller's thread (the ofproto thread calls Send).
        ThreadPool.UnsafeQueueUserWorkItem(
            static c =>
            {
                c.cts.Cancel();
                try
                {
                    c.stream.Dispose();
                }
                catch (Exception)
                {
                    // The stream's own failure to close changes nothing: the connection is gone.
                }
            },
            this,
            preferLocal: false);
    }

    /// <summary>Closes the connection and waits until it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        Close("disposed");
        await Completion.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} #{Id} ({Kind}, {State})";

    internal static OfConnection Start(Stream stream, IOfMessageHandler handler, OfConnectionOptions options, OfConnectionKind kind, string name, EndPoint? remote, IOfConnectionObserver? observer)
    {
        var c = new OfConnection(stream, handler, options, kind, name, remote, observer);
        ConnmgrCoverage.VconnOpen.Add(1);
        c.completion = Task.Run(c.RunAsync);
        return c;
    }

    /// <summary>Whether the hello exchange ever succeeded.</summary>
    internal bool HasBeenActive => Volatile.Read(ref wasActive);

    /// <summary>Queues bytes encoded elsewhere (snoop copies, echo replies).</summary>
    internal bool SendEncoded(byte[] bytes, bool droppable, OfSendCounter? counter = null)
    {
        if (CloseReason is not null || Volatile.Read(ref pendingCloseReason) is not null)
        {
            return false;
        }

        switch (queue.Enqueue(bytes, droppable, counter))
        {
            case OfSendQueue.Outcome.Dropped:
                Interlocked.Increment(ref Counters.droppedMessages);
                ConnmgrCoverage.RconnDiscarded.Add(1);
                return false;
            case OfSendQueue.Outcome.Overflow:
                ConnmgrCoverage.RconnOverflow.Add(1);
                Close($"send queue overflow ({queue.Bytes} bytes, {queue.Count} messages queued): the peer does not drain");
                return false;
        }

        ConnmgrCoverage.RconnQueued.Add(1);
        if (Kind == OfConnectionKind.Controller)
        {
            observer?.OnFrame(this, bytes, inbound: false);
        }

        return true;
    }

    private uint NextXid() => (uint)Interlocked.Increment(ref nextXid);

    private async Task RunAsync()
    {
        CancellationToken ct = cts.Token;
        Task writer = Task.CompletedTask;
        Task ticker = Task.CompletedTask;
        try
        {
            queue.Enqueue(OfCodec.EncodeHello(options.AllowedVersions & OfVersions.Supported, NextXid()), false);
            writer = WriteLoopAsync(ct);
            ticker = TickLoopAsync(ct);
            await ReadLoopAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Close(CloseReason ?? $"read failed: {e.Message}");
        }
        finally
        {
            if (Volatile.Read(ref pendingCloseReason) is { } pending)
            {
                // A final message (hello failure, bad length) is draining: the writer closes once it is out.
                await Task.WhenAny(writer, Task.Delay(options.CloseGrace)).ConfigureAwait(false);
                Close(pending);
            }
            else
            {
                Close("connection closed by peer");
            }

            await SwallowAsync(writer).ConfigureAwait(false);
            await SwallowAsync(ticker).ConfigureAwait(false);
            Volatile.Write(ref state, (int)OfConnectionState.Closed);
            if (wasActive)
            {
                try
                {
                    handler.OnDisconnected(this);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref Counters.handlerFaults);
                }
            }

            observer?.OnClosed(this);
        }
    }

    private static async Task SwallowAsync(Task t)
    {
        try
        {
            await t.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loops end by cancellation or a broken stream; the close reason already says why.
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: OfConnectionOptions.ReadSize, minimumReadSize: 1024, leaveOpen: true));
        try
        {
            while (!ct.IsCancellationRequested && Volatile.Read(ref pendingCloseReason) is null)
            {
                await AwaitAdmissionAsync(ct).ConfigureAwait(false);
                await queue.BelowSoftLimitAsync().WaitAsync(ct).ConfigureAwait(false);
                ReadResult result = await reader.ReadAsync(ct).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                Counters.NoteInput(buffer.Length);
                if (buffer.Length > options.MaxInputBufferBytes)
                {
                    Close($"input buffer cap of {options.MaxInputBufferBytes} bytes reached");
                    return;
                }

                bool completed = Process(ref buffer, out bool paused);
                reader.AdvanceTo(buffer.Start, paused ? buffer.Start : buffer.End);
                if (completed)
                {
                    Volatile.Write(ref partialSinceMs, 0);
                }

                if ((buffer.Length > 0 || skipRemaining > 0) && Volatile.Read(ref partialSinceMs) == 0)
                {
                    Volatile.Write(ref partialSinceMs, Environment.TickCount64);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Handles every whole message at the front of <paramref name="buffer"/>; true if at least one completed.</summary>
    private bool Process(ref ReadOnlySequence<byte> buffer, out bool paused)
    {
        paused = false;
        bool completed = false;
        Span<byte> head = stackalloc byte[OfHeader.Size];
        while (CloseReason is null && Volatile.Read(ref pendingCloseReason) is null)
        {
            if (skipRemaining > 0)
            {
                long n = Math.Min(skipRemaining, buffer.Length);
                buffer = buffer.Slice(n);
                skipRemaining -= n;
                Interlocked.Add(ref Counters.bytesReceived, n);
                if (skipRemaining > 0)
                {
                    return completed;
                }

                completed = true;
                continue;
            }

            if (admission is not null || queue.OverSoftLimit)
            {
                // The handler has no room for another request yet, or replies are piling up: serve no more requests
                // until it has room and they drain (Open vSwitch's OFCONN_REPLY_MAX). The read loop waits for both.
                paused = true;
                return completed;
            }

            if (buffer.Length < OfHeader.Size)
            {
                return completed;
            }

            buffer.Slice(0, OfHeader.Size).CopyTo(head);
            OfHeader.TryRead(head, out OfHeader h);
            if (h.Length < OfHeader.Size)
            {
                // Nothing after this can be framed: say why, then close.
                ReplyError(OfError.BadRequestBadLen, head.ToArray(), h.Xid);
                CloseAfterFlush($"message length {h.Length} is shorter than the header: the stream cannot be framed");
                return completed;
            }

            if (h.Length > options.MaxMessageBytes)
            {
                int keep = Math.Min(OfRequest.ErrorDataBytes, (int)h.Length);
                if (buffer.Length < keep)
                {
                    return completed;
                }

                byte[] first = buffer.Slice(0, keep).ToArray();
                Interlocked.Increment(ref Counters.oversizeMessages);
                if (State == OfConnectionState.Active)
                {
                    ReplyError(OfError.BadRequestBadLen, first, h.Xid);
                }
                else
                {
                    CloseAfterFlush($"a {h.Length}-byte message before the hello exchange");
                }

                buffer = buffer.Slice(keep);
                Interlocked.Add(ref Counters.bytesReceived, keep);
                skipRemaining = h.Length - keep;
                continue;
            }

            if (buffer.Length < h.Length)
            {
                return completed;
            }

            ReadOnlySequence<byte> frame = buffer.Slice(0, h.Length);
            if (frame.IsSingleSegment)
            {
                HandleFrame(frame.FirstSpan, h);
            }
            else
            {
                byte[] rented = ArrayPool<byte>.Shared.Rent(h.Length);
                try
                {
                    frame.CopyTo(rented);
                    HandleFrame(rented.AsSpan(0, h.Length), h);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }

            buffer = buffer.Slice(h.Length);
            completed = true;
        }

        return completed;
    }

    private void HandleFrame(ReadOnlySpan<byte> frame, OfHeader h)
    {
        Interlocked.Increment(ref Counters.messagesReceived);
        Interlocked.Add(ref Counters.bytesReceived, frame.Length);
        ConnmgrCoverage.VconnReceived.Add(1);
        Volatile.Write(ref lastReceiveMs, Environment.TickCount64);
        Volatile.Write(ref probeSentMs, 0);
        if (Kind == OfConnectionKind.Controller)
        {
            observer?.OnFrame(this, frame, inbound: true);
        }

        if (State == OfConnectionState.Negotiating)
        {
            HandleHello(frame, h);
            return;
        }

        switch (h.Type)
        {
            case (byte)Of13Type.EchoRequest:
                byte[] reply = frame.ToArray();
                reply[1] = (byte)Of13Type.EchoReply;
                SendEncoded(reply, false);
                Interlocked.Increment(ref Counters.echoRequestsAnswered);
                return;
            case (byte)Of13Type.EchoReply:
                return;
        }

        // An error about a request carries the request whole (cut to what one error message holds), as Open vSwitch 3.1 does.
        byte[] first = frame[..Math.Min(frame.Length, MaxErrorData)].ToArray();
        if (h.Type == (byte)Of13Type.Hello)
        {
            // A second hello is a request nobody serves; Open vSwitch answers it as an unknown type.
            ReplyError(OfError.BadRequestBadType, first, h.Xid);
            return;
        }

        if (Kind == OfConnectionKind.Snoop)
        {
            return;
        }

        OfMessage message;
        try
        {
            message = OfCodec.Decode(frame, Session);
        }
        catch (OfErrorException e)
        {
            Interlocked.Increment(ref Counters.decodeErrors);
            if (e.Error == OfError.BadRequestBadVersion)
            {
                ReplyBadVersion(first, h);
            }
            else
            {
                ReplyError(e.Error, first, h.Xid);
            }

            return;
        }

        try
        {
            ValueTask accepted = handler.OnMessageAsync(this, new OfRequest(message, h.Xid, first));
            if (!accepted.IsCompletedSuccessfully)
            {
                admission = accepted.AsTask();
            }
        }
        catch (OfErrorException e)
        {
            ReplyError(e.Error, first, h.Xid);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref Counters.handlerFaults);
        }
    }

    // Waits until the handler has taken the last request (it had no room for it); a failure is the handler's fault.
    private async Task AwaitAdmissionAsync(CancellationToken ct)
    {
        Task? pending = admission;
        if (pending is null)
        {
            return;
        }

        admission = null;
        Interlocked.Increment(ref Counters.handlerWaits);
        try
        {
            await pending.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Increment(ref Counters.handlerFaults);
        }
    }

    private void HandleHello(ReadOnlySpan<byte> frame, OfHeader h)
    {
        if (h.Type != (byte)Of13Type.Hello)
        {
            Close($"received message type {h.Type} while expecting hello");
            return;
        }

        uint? bitmap = null;
        try
        {
            if (OfCodec.Decode(frame, new OfSession(OpenFlowVersion.OF13)) is Hello hello && hello.VersionBitmap is { } b && (b & ~1u) != 0)
            {
                // There is no version 0; a bitmap offering nothing else is ignored, as Open vSwitch does.
                bitmap = b & ~1u;
            }
        }
        catch (OfErrorException)
        {
            // A malformed hello element leaves the header's version to negotiate with.
        }

        peerVersion = h.Version;
        uint ours = options.AllowedVersions & OfVersions.Supported;
        if (OfVersions.Negotiate(ours, h.Version, bitmap) is not { } version)
        {
            uint theirs = bitmap ?? (h.Version >= 31 ? uint.MaxValue & ~1u : ((2u << h.Version) - 1) & ~1u);
            string text = OfVersionText.Incompatible(ours, theirs);
            byte errorVersion = theirs == 0 ? h.Version : (byte)(31 - System.Numerics.BitOperations.LeadingZeroCount(theirs));
            byte[] error = OfCodec.Encode(new ErrorMessage(OfError.HelloIncompatible, System.Text.Encoding.ASCII.GetBytes(text)), new OfSession((OpenFlowVersion)errorVersion), 0);
            queue.Enqueue(error, false);
            CloseAfterFlush($"version negotiation failed: {text}");
            return;
        }

        Session = new OfSession(version);
        AsyncConfig = OfAsyncConfig.Default(version);
        Volatile.Write(ref state, (int)OfConnectionState.Active);
        wasActive = true;
        observer?.OnActive(this);
        try
        {
            handler.OnConnected(this);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref Counters.handlerFaults);
        }
    }

    private void ReplyError(OfError error, byte[] data, uint xid)
    {
        OfSession s = State == OfConnectionState.Active
            ? Session
            : new OfSession(OfVersions.IsSupported(peerVersion) ? (OpenFlowVersion)peerVersion : OpenFlowVersion.OF13);
        SendEncoded(OfCodec.Encode(new ErrorMessage(error, data), s, xid), false);
    }

    // Open vSwitch 3.1 answers a message of another version in that version (1.1 and 1.2 included: OFPBRC_BAD_VERSION
    // is laid out as in 1.3 there), and one of a version no OpenFlow has in 1.0.
    private void ReplyBadVersion(byte[] data, OfHeader h)
    {
        byte version = h.Version is >= 1 and <= 6 ? h.Version : (byte)OpenFlowVersion.OF10;
        OpenFlowVersion layout = OfVersions.IsSupported(version) ? (OpenFlowVersion)version : OpenFlowVersion.OF13;
        byte[] error = OfCodec.Encode(new ErrorMessage(OfError.BadRequestBadVersion, data), new OfSession(layout), h.Xid);
        error[0] = version;
        SendEncoded(error, false);
    }

    private void CloseAfterFlush(string reason)
    {
        if (Interlocked.CompareExchange(ref pendingCloseReason, reason, null) is null)
        {
            Volatile.Write(ref graceDeadlineMs, Environment.TickCount64 + (long)options.CloseGrace.TotalMilliseconds);
            queue.Wake();
        }
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        PipeWriter writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        var batch = new List<byte[]>(WriteBatch);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                batch.Clear();
                queue.Peek(batch, WriteBatch);
                if (batch.Count == 0)
                {
                    if (Volatile.Read(ref pendingCloseReason) is { } reason)
                    {
                        Close(reason);
                        return;
                    }

                    await queue.WaitAsync(ct).ConfigureAwait(false);
                    continue;
                }

                long bytes = 0;
                foreach (byte[] b in batch)
                {
                    writer.Write(b);
                    bytes += b.Length;
                }

                FlushResult flushed = await writer.FlushAsync(ct).ConfigureAwait(false);
                queue.Written(batch.Count);
                Interlocked.Add(ref Counters.messagesSent, batch.Count);
                ConnmgrCoverage.VconnSent.Add(batch.Count);
                ConnmgrCoverage.RconnSent.Add(batch.Count);
                Interlocked.Add(ref Counters.bytesSent, bytes);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Close(CloseReason ?? $"write failed: {e.Message}");
        }
    }

    private async Task TickLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TickPeriod());
        var released = new List<byte[]>();
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            long now = Environment.TickCount64;
            if (Volatile.Read(ref pendingCloseReason) is { } pending)
            {
                if (now >= Volatile.Read(ref graceDeadlineMs))
                {
                    Close(pending);
                }

                continue;
            }

            if (State == OfConnectionState.Negotiating && now - startedMs >= (long)options.HelloTimeout.TotalMilliseconds)
            {
                Close($"no hello within {options.HelloTimeout.TotalSeconds:0.###} s");
                continue;
            }

            long probeMs = (long)options.InactivityProbe.TotalMilliseconds;
            if (probeMs > 0 && State == OfConnectionState.Active)
            {
                long sent = Volatile.Read(ref probeSentMs);
                if (sent == 0 && now - Volatile.Read(ref lastReceiveMs) >= probeMs)
                {
                    Volatile.Write(ref probeSentMs, now);
                    Interlocked.Increment(ref Counters.probesSent);
                    SendEncoded(OfCodec.Encode(new Echo(false, []), Session, NextXid()), false);
                }
                else if (sent != 0 && now - sent >= probeMs)
                {
                    Close($"no response to inactivity probe after {options.InactivityProbe.TotalSeconds:0.###} s");
                    continue;
                }
            }

            long partial = Volatile.Read(ref partialSinceMs);
            if (partial != 0 && now - partial >= (long)options.PartialMessageTimeout.TotalMilliseconds)
            {
                Close($"a message stayed incomplete for {options.PartialMessageTimeout.TotalSeconds:0.###} s");
                continue;
            }

            if (limiter is not null)
            {
                released.Clear();
                limiter.Drain(now, released);
                foreach (byte[] packetIn in released)
                {
                    SendEncoded(packetIn, true);
                }
            }
        }
    }

    private TimeSpan TickPeriod()
    {
        TimeSpan shortest = options.HelloTimeout;
        if (options.InactivityProbe > TimeSpan.Zero && options.InactivityProbe < shortest)
        {
            shortest = options.InactivityProbe;
        }

        if (options.PartialMessageTimeout < shortest)
        {
            shortest = options.PartialMessageTimeout;
        }

        TimeSpan tick = shortest / 8;
        if (limiter is not null && tick > TimeSpan.FromMilliseconds(20))
        {
            tick = TimeSpan.FromMilliseconds(20);
        }

        return tick < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10)
            : tick > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : tick;
    }
}
