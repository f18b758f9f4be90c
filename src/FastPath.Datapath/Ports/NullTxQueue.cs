using FastPath.Packets;

namespace FastPath.Datapath.Ports;

/// <summary>A transmit queue that counts packets and frees them: the sink of benchmarks.</summary>
public sealed class NullTxQueue : ITxQueue
{
    /// <inheritdoc />
    public QueueCounters Counters { get; } = new();

    /// <inheritdoc />
    public void Send(PacketPool from, ref PacketBatch batch)
    {
        foreach (ref Packet p in batch.Packets)
        {
            Counters.Count(p.Length);
            from.Free(p);
        }

        batch.Clear();
    }

    /// <inheritdoc />
    public void Poll()
    {
    }
}
