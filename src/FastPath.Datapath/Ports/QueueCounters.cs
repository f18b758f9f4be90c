namespace FastPath.Datapath.Ports;

/// <summary>Counters of one queue: one writer (the thread that owns the queue), any number of readers.</summary>
public sealed class QueueCounters
{
    /// <summary>Packets received or sent.</summary>
    public long Packets;

    /// <summary>Bytes received or sent.</summary>
    public long Bytes;

    /// <summary>Packets dropped because a ring or pool was full.</summary>
    public long Dropped;

    /// <summary>Packets dropped because they were damaged or the device reported an error.</summary>
    public long Errors;

    /// <summary>Adds one packet of <paramref name="length"/> bytes.</summary>
    public void Count(int length)
    {
        Packets++;
        Bytes += length;
    }
}
