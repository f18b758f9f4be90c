namespace FastPath.Connmgr;

/// <summary>What happened on one connection; every counter is safe to read from any thread.</summary>
public sealed class OfConnectionCounters
{
    internal long messagesReceived;
    internal long bytesReceived;
    internal long messagesSent;
    internal long bytesSent;
    internal long decodeErrors;
    internal long oversizeMessages;
    internal long droppedMessages;
    internal long packetInsRateQueued;
    internal long packetInsRateDropped;
    internal long echoRequestsAnswered;
    internal long probesSent;
    internal long handlerFaults;
    internal long handlerWaits;
    internal long inputHighWater;

    /// <summary>Whole messages received (hello and echo included).</summary>
    public long MessagesReceived => Volatile.Read(ref messagesReceived);

    /// <summary>Bytes received.</summary>
    public long BytesReceived => Volatile.Read(ref bytesReceived);

    /// <summary>Messages written to the peer.</summary>
    public long MessagesSent => Volatile.Read(ref messagesSent);

    /// <summary>Bytes written to the peer.</summary>
    public long BytesSent => Volatile.Read(ref bytesSent);

    /// <summary>Messages the codec refused (each answered with an OFPT_ERROR).</summary>
    public long DecodeErrors => Volatile.Read(ref decodeErrors);

    /// <summary>Messages longer than the connection's cap, refused and skipped.</summary>
    public long OversizeMessages => Volatile.Read(ref oversizeMessages);

    /// <summary>Droppable messages (packet-ins, snoop copies) dropped because the send queue was full.</summary>
    public long DroppedMessages => Volatile.Read(ref droppedMessages);

    /// <summary>Packet-ins held back by the rate limiter (sent later).</summary>
    public long PacketInsRateQueued => Volatile.Read(ref packetInsRateQueued);

    /// <summary>Packet-ins dropped by the rate limiter because its queue was full.</summary>
    public long PacketInsRateDropped => Volatile.Read(ref packetInsRateDropped);

    /// <summary>Echo requests from the peer answered.</summary>
    public long EchoRequestsAnswered => Volatile.Read(ref echoRequestsAnswered);

    /// <summary>Inactivity probes (echo requests) sent.</summary>
    public long ProbesSent => Volatile.Read(ref probesSent);

    /// <summary>Exceptions thrown by the message handler other than <see cref="FastPath.OpenFlow.Wire.OfErrorException"/>.</summary>
    public long HandlerFaults => Volatile.Read(ref handlerFaults);

    /// <summary>Times reading stopped because the handler had no room for another request (backpressure).</summary>
    public long HandlerWaits => Volatile.Read(ref handlerWaits);

    /// <summary>The most input bytes ever held for this connection at once.</summary>
    public long InputHighWater => Volatile.Read(ref inputHighWater);

    internal void NoteInput(long buffered)
    {
        long seen = Volatile.Read(ref inputHighWater);
        while (buffered > seen)
        {
            long was = Interlocked.CompareExchange(ref inputHighWater, buffered, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
