using System.Runtime.CompilerServices;
using FastPath.Native;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Afxdp;

/// <summary>
/// The receive side of one AF_XDP queue. It owns the queue's <see cref="PacketPool"/>, which is the
/// UMEM of its socket: frames go pool -> fill ring -> (kernel) -> rx ring -> datapath, and the
/// datapath frees them back to <see cref="Pool"/>.
/// </summary>
/// <remarks>
/// The pool is single-threaded and shared with the queue's <see cref="AfxdpTxQueue"/> (and, with
/// <see cref="AfxdpOptions.ShareUmemWith"/>, with the other port's queue), so one thread drives all
/// queues over one pool, as a PMD owns a port's queue pair.
/// </remarks>
public sealed class AfxdpRxQueue : IRxQueue
{
    private readonly AfxdpSocket socket;
    private readonly AfxdpQueueMemory memory;
    private readonly int fillTarget;

    // Pinned once so the ring calls' `fixed` costs nothing and nothing is allocated per batch.
    private readonly ulong[] fillScratch;
    private readonly AfxdpDescriptor[] rxScratch = GC.AllocateArray<AfxdpDescriptor>(PacketBatch.Capacity, pinned: true);

    // Frames handed to the kernel (fill ring, rx ring or the kernel's own free list) and not yet received.
    private int framesInKernel;

    internal AfxdpRxQueue(int queueId, AfxdpQueueMemory memory, AfxdpSocket socket, int fillTarget)
    {
        QueueId = queueId;
        Pool = memory.Pool;
        this.memory = memory;
        this.socket = socket;
        this.fillTarget = fillTarget;
        fillScratch = GC.AllocateArray<ulong>(fillTarget, pinned: true);
        Refill();
    }

    /// <summary>Queue index on the interface.</summary>
    public int QueueId { get; }

    /// <inheritdoc />
    public PacketPool Pool { get; }

    /// <inheritdoc />
    public QueueCounters Counters { get; } = new();

    /// <summary>Frames given to the kernel through the fill ring and not received yet.</summary>
    public int FramesInKernel => framesInKernel;

    /// <summary>The socket of this queue (shared with the tx queue of the same index).</summary>
    public AfxdpSocket Socket => socket;

    /// <summary>The pool and UMEM, possibly shared with another port's queue.</summary>
    internal AfxdpQueueMemory Memory => memory;

    /// <inheritdoc />
    public int Receive(ref PacketBatch batch)
    {
        int room = PacketBatch.Capacity - batch.Count;
        if (room <= 0)
        {
            return 0;
        }

        if (fillTarget - framesInKernel >= PacketBatch.Capacity)
        {
            Refill();
        }

        int n = socket.Receive(rxScratch.AsSpan(0, room));
        if (n <= 0)
        {
            // Zero-copy drivers stop taking fill frames until poked; copy mode never asks.
            if (n == 0 && socket.FillNeedsWakeup)
            {
                socket.WakeupRx();
            }

            return 0;
        }

        framesInKernel -= n;
        for (int i = 0; i < n; i++)
        {
            ref AfxdpDescriptor d = ref rxScratch[i];
            batch.TryAdd(new Packet
            {
                Addr = (uint)d.Addr,
                Length = (ushort)d.Length,
                L3Offset = Packet.NoOffset,
                L4Offset = Packet.NoOffset,
                VlanOffset = Packet.NoOffset,
            });
            Counters.Count((int)d.Length);
        }

        return n;
    }

    /// <summary>Tops the fill ring up to its target with free frames of the pool.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void Refill()
    {
        int want = Math.Min(fillTarget - framesInKernel, Pool.FreeCount);
        if (want <= 0)
        {
            return;
        }

        for (int i = 0; i < want; i++)
        {
            Pool.TryAllocFrame(out uint frame);
            fillScratch[i] = frame;
        }

        int put = socket.Fill(fillScratch.AsSpan(0, want));
        if (put < 0)
        {
            put = 0;
        }

        // Cannot happen while framesInKernel bounds the ring's occupancy; kept so a frame is never lost.
        for (int i = put; i < want; i++)
        {
            Pool.FreeFrame((uint)fillScratch[i]);
        }

        framesInKernel += put;
    }

    /// <summary>Closes the socket, then releases the UMEM and pool: the kernel must stop writing before the memory goes.</summary>
    internal void Close()
    {
        socket.Dispose();
        memory.Release();
    }
}
