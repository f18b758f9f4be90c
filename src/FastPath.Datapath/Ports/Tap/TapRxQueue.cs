using FastPath.Packets;

namespace FastPath.Datapath.Ports.Tap;

/// <summary>The receive side of a tap port: reads frames the host sent out of the tap interface, one read each.</summary>
public sealed unsafe class TapRxQueue : IRxQueue
{
    private readonly int fd;

    internal TapRxQueue(int fd, PacketPool pool)
    {
        this.fd = fd;
        Pool = pool;
    }

    /// <inheritdoc />
    public PacketPool Pool { get; }

    /// <inheritdoc />
    public QueueCounters Counters { get; } = new();

    /// <inheritdoc />
    public int Receive(ref PacketBatch batch)
    {
        int room = PacketBatch.Capacity - batch.Count;
        int added = 0;
        for (int i = 0; i < room; i++)
        {
            if (!Pool.TryAlloc(out Packet p))
            {
                // Leave the frame in the kernel's queue: it is read once a frame is free.
                break;
            }

            // Read into the frame's whole tail so an oversized frame shows as a full buffer, not a short one.
            nint n = TapNative.Read(fd, (byte*)Pool.BaseAddress + p.Addr, Pool.MaxPacketLength);

            if (n <= 0)
            {
                Pool.Free(p);
                if (n < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is not (TapNative.EAgain or TapNative.EIntr))
                {
                    Counters.Errors++;
                }

                break;
            }

            if (n >= Pool.MaxPacketLength)
            {
                Pool.Free(p);
                Counters.Errors++;
                continue;
            }

            p.Length = (ushort)n;
            batch.TryAdd(p);
            Counters.Count((int)n);
            added++;
        }

        return added;
    }
}
