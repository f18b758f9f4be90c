using System.Collections.Concurrent;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Memory;

/// <summary>
/// The in-memory port for tests and the demo: packets injected from any thread are received, and sent
/// packets are kept as byte arrays. It allocates per packet, so it is never part of a benchmark.
/// </summary>
public sealed class MemoryNetdev : INetdev
{
    private readonly MemoryRxQueue rx;
    private readonly MemoryTxQueue tx = new();

    /// <summary>Creates a memory port whose received packets live in a pool of <paramref name="frameCount"/> frames.</summary>
    public MemoryNetdev(string name, int frameCount = 256)
    {
        Name = name;
        rx = new MemoryRxQueue(new PacketPool(frameCount));
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Type => "memory";

    /// <inheritdoc />
    public int RxQueueCount => 1;

    /// <inheritdoc />
    public int TxQueueCount => 1;

    /// <summary>Packets sent to this port, oldest first.</summary>
    public ConcurrentQueue<byte[]> Sent => tx.Sent;

    /// <summary>Queues a packet to be received.</summary>
    public void Inject(byte[] packet) => rx.Incoming.Enqueue(packet);

    /// <inheritdoc />
    public IRxQueue GetRxQueue(int index) => index == 0 ? rx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public ITxQueue GetTxQueue(int index) => index == 0 ? tx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public NetdevStats GetStats() => NetdevStats.Sum([rx.Counters], [tx.Counters]);

    /// <inheritdoc />
    public void Dispose() => rx.Pool.Dispose();

    private sealed class MemoryRxQueue(PacketPool pool) : IRxQueue
    {
        public readonly ConcurrentQueue<byte[]> Incoming = new();

        public PacketPool Pool { get; } = pool;

        public QueueCounters Counters { get; } = new();

        public int Receive(ref PacketBatch batch)
        {
            int added = 0;
            while (!batch.IsFull && Incoming.TryDequeue(out byte[]? bytes))
            {
                if (!Pool.TryCopyIn(bytes, 0, out Packet p))
                {
                    Counters.Dropped++;
                    continue;
                }

                batch.TryAdd(p);
                Counters.Count(bytes.Length);
                added++;
            }

            return added;
        }
    }

    private sealed class MemoryTxQueue : ITxQueue
    {
        public readonly ConcurrentQueue<byte[]> Sent = new();

        public QueueCounters Counters { get; } = new();

        public void Send(PacketPool from, ref PacketBatch batch)
        {
            foreach (ref Packet p in batch.Packets)
            {
                Sent.Enqueue(from.GetData(p).ToArray());
                Counters.Count(p.Length);
                from.Free(p);
            }

            batch.Clear();
        }

        public void Poll()
        {
        }
    }
}
