using FastPath.Packets;

namespace FastPath.Datapath.Ports.Tap;

/// <summary>The transmit side of a tap port: writes each frame to the tap descriptor, which hands it to the host's stack.</summary>
public sealed unsafe class TapTxQueue : ITxQueue
{
    private readonly int fd;

    internal TapTxQueue(int fd) => this.fd = fd;

    /// <inheritdoc />
    public QueueCounters Counters { get; } = new();

    /// <inheritdoc />
    public void Send(PacketPool from, ref PacketBatch batch)
    {
        foreach (ref Packet p in batch.Packets)
        {
            Span<byte> data = from.GetData(p);
            fixed (byte* b = data)
            {
                // A tap that is down refuses writes (EIO); the packet is lost as on a down link.
                if (TapNative.Write(fd, b, data.Length) == data.Length)
                {
                    Counters.Count(data.Length);
                }
                else
                {
                    Counters.Dropped++;
                }
            }

            from.Free(p);
        }

        batch.Clear();
    }

    /// <inheritdoc />
    public void Poll()
    {
        // Writes complete inside write(2): nothing to reclaim.
    }
}
