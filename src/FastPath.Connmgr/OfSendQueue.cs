namespace FastPath.Connmgr;

/// <summary>
/// The bounded output queue of one connection. Droppable messages (packet-ins, snoop copies) are refused once
/// the queue holds <see cref="OfConnectionOptions.MaxQueuedDroppable"/> of them or passes the soft byte limit,
/// as Open vSwitch's rconn drops packet-ins beyond its backlog. Anything else (replies, port-status,
/// flow-removed) is never dropped: past the hard limits the queue refuses it and the connection closes, since
/// a peer that does not drain what it asked for cannot be served.
/// </summary>
internal sealed class OfSendQueue(OfConnectionOptions options)
{
    private readonly Lock gate = new();
    private readonly Queue<(byte[] Bytes, bool Droppable, OfSendCounter? Counter)> items = new();
    private readonly SemaphoreSlim ready = new(0);
    private TaskCompletionSource? drained;
    private long bytes;
    private int droppable;

    /// <summary>What an enqueue did.</summary>
    public enum Outcome
    {
        /// <summary>Queued.</summary>
        Queued,

        /// <summary>A droppable message was dropped.</summary>
        Dropped,

        /// <summary>An undroppable message would pass the hard limits.</summary>
        Overflow,
    }

    /// <summary>Bytes queued and not yet written.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
            {
                return bytes;
            }
        }
    }

    /// <summary>Messages queued and not yet written.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    /// <summary>Whether the queue is above its soft limits (reading pauses).</summary>
    public bool OverSoftLimit
    {
        get
        {
            lock (gate)
            {
                return OverSoft();
            }
        }
    }

    /// <summary>Adds one encoded message, counted by <paramref name="counter"/> (if any) until it is written.</summary>
    public Outcome Enqueue(byte[] message, bool isDroppable, OfSendCounter? counter = null)
    {
        lock (gate)
        {
            if (isDroppable)
            {
                if (droppable >= options.MaxQueuedDroppable || bytes + message.Length > options.SoftQueueBytes)
                {
                    return Outcome.Dropped;
                }

                droppable++;
            }
            else if (bytes + message.Length > options.HardQueueBytes || items.Count >= options.HardQueueMessages)
            {
                return Outcome.Overflow;
            }

            items.Enqueue((message, isDroppable, counter));
            bytes += message.Length;
            counter?.Queued(message.Length);
        }

        ready.Release();
        return Outcome.Queued;
    }

    /// <summary>Waits until something was queued (may wake with nothing left: the writer drains in batches).</summary>
    public Task WaitAsync(CancellationToken ct) => ready.WaitAsync(ct);

    /// <summary>Wakes the writer without queuing anything (it then sees a pending close).</summary>
    public void Wake() => ready.Release();

    /// <summary>Takes up to <paramref name="max"/> messages into <paramref name="into"/> (they still count until <see cref="Written"/>).</summary>
    public void Peek(List<byte[]> into, int max)
    {
        lock (gate)
        {
            foreach ((byte[] b, bool _, OfSendCounter? _) in items)
            {
                if (into.Count >= max)
                {
                    break;
                }

                into.Add(b);
            }
        }
    }

    /// <summary>The first <paramref name="count"/> messages are on the wire: forget them, and wake a paused reader if the queue fell below its soft limits.</summary>
    public void Written(int count)
    {
        TaskCompletionSource? wake = null;
        List<(OfSendCounter, int)>? counted = null;
        lock (gate)
        {
            for (int i = 0; i < count; i++)
            {
                (byte[] b, bool d, OfSendCounter? c) = items.Dequeue();
                bytes -= b.Length;
                if (d)
                {
                    droppable--;
                }

                if (c is not null)
                {
                    (counted ??= []).Add((c, b.Length));
                }
            }

            if (drained is not null && !OverSoft())
            {
                wake = drained;
                drained = null;
            }
        }

        wake?.TrySetResult();

        // Outside the lock: a counter's Drained handler may queue more.
        if (counted is not null)
        {
            foreach ((OfSendCounter c, int length) in counted)
            {
                c.Written(length);
            }
        }
    }

    /// <summary>Completes once the queue is below its soft limits (at once if it is already).</summary>
    public Task BelowSoftLimitAsync()
    {
        lock (gate)
        {
            if (!OverSoft())
            {
                return Task.CompletedTask;
            }

            drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return drained.Task;
        }
    }

    private bool OverSoft() => bytes > options.SoftQueueBytes || items.Count > options.SoftQueueMessages;
}
