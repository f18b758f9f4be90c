namespace FastPath.Connmgr;

/// <summary>
/// Counts the messages of one kind a connection has queued and not yet written (Open vSwitch's
/// rconn_packet_counter): flow monitoring uses it to pause updates while the peer lags and to resume once they are
/// on the wire. Updated by the connection's writer; read anywhere.
/// </summary>
public sealed class OfSendCounter
{
    private long bytes;
    private int messages;

    /// <summary>Bytes queued and not yet written.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>Messages queued and not yet written.</summary>
    public int Messages => Volatile.Read(ref messages);

    /// <summary>Called (on the connection's writer) each time the last counted message has been written.</summary>
    public event Action? Drained;

    internal void Queued(int length)
    {
        Interlocked.Add(ref bytes, length);
        Interlocked.Increment(ref messages);
    }

    internal void Written(int length)
    {
        Interlocked.Add(ref bytes, -length);
        if (Interlocked.Decrement(ref messages) == 0)
        {
            Drained?.Invoke();
        }
    }
}
