using FastPath.Datapath.CaptureFiles;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Replay;

/// <summary>
/// The <c>replay</c> port: a pcap preloaded into memory, looped a number of times or forever. Each
/// packet is copied into a fresh frame, as a NIC would deliver it. Transmit drops and counts.
/// </summary>
public sealed class ReplayNetdev : INetdev
{
    private readonly ReplayRxQueue rx;
    private readonly NullTxQueue tx = new();

    /// <summary>Replays <paramref name="capture"/> <paramref name="loops"/> times (0 = forever) into frames of a new pool.</summary>
    public ReplayNetdev(string name, PcapFile capture, long loops, int frameCount = 4096)
    {
        if (capture.Count == 0)
        {
            throw new ArgumentException($"replay port '{name}': the capture holds no packets", nameof(capture));
        }

        Name = name;
        rx = new ReplayRxQueue(capture, loops, new PacketPool(frameCount));
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Type => "replay";

    /// <inheritdoc />
    public int RxQueueCount => 1;

    /// <inheritdoc />
    public int TxQueueCount => 1;

    /// <summary>Whether every loop has been delivered.</summary>
    public bool Finished => rx.Finished;

    /// <inheritdoc />
    public IRxQueue GetRxQueue(int index) => index == 0 ? rx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public ITxQueue GetTxQueue(int index) => index == 0 ? tx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public NetdevStats GetStats() => NetdevStats.Sum([rx.Counters], [tx.Counters]);

    /// <inheritdoc />
    public void Dispose() => rx.Pool.Dispose();
}
