using FastPath.Packets;

namespace FastPath.Datapath.Ports;

/// <summary>The <c>null</c> port: receives nothing, counts and drops everything sent to it.</summary>
public sealed class NullNetdev : INetdev
{
    private readonly NullTxQueue tx = new();
    private readonly EmptyRxQueue rx = new();

    /// <summary>Creates a null port.</summary>
    public NullNetdev(string name) => Name = name;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Type => "null";

    /// <inheritdoc />
    public int RxQueueCount => 1;

    /// <inheritdoc />
    public int TxQueueCount => 1;

    /// <inheritdoc />
    public IRxQueue GetRxQueue(int index) => index == 0 ? rx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public ITxQueue GetTxQueue(int index) => index == 0 ? tx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public NetdevStats GetStats() => NetdevStats.Sum([rx.Counters], [tx.Counters]);

    /// <inheritdoc />
    public void Dispose() => rx.Pool.Dispose();

    private sealed class EmptyRxQueue : IRxQueue
    {
        public PacketPool Pool { get; } = new(1);

        public QueueCounters Counters { get; } = new();

        public int Receive(ref PacketBatch batch) => 0;
    }
}
