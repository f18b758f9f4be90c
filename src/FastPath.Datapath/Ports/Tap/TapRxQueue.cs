using FastPath.Native;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Tap;

/// <summary>
/// The receive side of a tap port: reads frames the host sent out of the tap interface, one read each. While the
/// host sends nothing, reads are spaced by an <see cref="IdlePollBackoff"/>.
/// </summary>
public sealed unsafe class TapRxQueue : IRxQueue
{
    private readonly int fd;
    private IdlePollBackoff backoff;

    internal TapRxQueue(int fd, PacketPool pool, ulong idleIntervalCycles)
    {
        this.fd = fd;
        Pool = pool;
        backoff = new IdlePollBackoff(idleIntervalCycles);
    }

    /// <inheritdoc />
    public PacketPool Pool { get; }

    /// <inheritdoc />
    public QueueCounters Counters { get; } = new();

    /// <summary>Reads that found nothing (each one a system call): what the idle backoff keeps down.</summary>
    public long EmptyReads { get; private set; }

    /// <inheritdoc />
    public int Receive(ref PacketBatch batch)
    {
        ulong now = Cpu.ReadTsc();
        if (!backoff.ShouldPoll(now))
        {
            return 0;
        }

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
                if (added == 0)
                {
                    EmptyReads++;
                    backoff.Empty(now);
                }

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
