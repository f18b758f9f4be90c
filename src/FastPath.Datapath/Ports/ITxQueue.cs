using FastPath.Packets;

namespace FastPath.Datapath.Ports;

/// <summary>One transmit queue of a port. Used by exactly one PMD thread at a time.</summary>
public interface ITxQueue
{
    /// <summary>Queue counters, written only by the sending thread.</summary>
    QueueCounters Counters { get; }

    /// <summary>
    /// Sends every packet of <paramref name="batch"/>, whose frames belong to <paramref name="from"/>, and takes
    /// ownership of them: each frame is returned to <paramref name="from"/> once sent (or dropped and counted
    /// when the queue is full). Never blocks. The batch is empty afterwards.
    /// </summary>
    void Send(PacketPool from, ref PacketBatch batch);

    /// <summary>Reclaims frames whose transmission completed and kicks the device if it needs a wakeup.</summary>
    void Poll();
}
