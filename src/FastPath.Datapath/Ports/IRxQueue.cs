using FastPath.Packets;

namespace FastPath.Datapath.Ports;

/// <summary>One receive queue of a port. Polled by exactly one PMD thread at a time.</summary>
public interface IRxQueue
{
    /// <summary>The pool that holds the frames of received packets (for AF_XDP: the UMEM).</summary>
    PacketPool Pool { get; }

    /// <summary>Queue counters, written only by the polling thread.</summary>
    QueueCounters Counters { get; }

    /// <summary>
    /// Appends up to <c>PacketBatch.Capacity - batch.Count</c> received packets to <paramref name="batch"/>;
    /// returns how many were added. Never blocks. The caller owns the frames and frees them to <see cref="Pool"/>.
    /// </summary>
    int Receive(ref PacketBatch batch);
}
