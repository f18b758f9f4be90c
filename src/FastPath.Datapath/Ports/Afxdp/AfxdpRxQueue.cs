using System.Runtime.CompilerServices;
using FastPath.Native;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Afxdp;

/// <summary>
/// The receive side of one AF_XDP queue. Its <see cref="PacketPool"/> is its own cache over the UMEM
/// (a <see cref="FrameRegion"/>): frames go pool -> fill ring -> (kernel) -> rx ring -> datapath, and the
/// datapath frees them back to <see cref="Pool"/>.
/// </summary>
/// <remarks>
/// The pool is used only by the thread polling this queue. The tx queue of the same index, and with
/// <see cref="AfxdpOptions.ShareUmemWith"/> the other port's queues, have pools of their own over the
/// same region, so each queue may be driven by a different thread and move between threads on its own.
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
        Pool = memory.CreatePool();
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
        int want = fillTarget - framesInKernel;
        int got = 0;
        while (got < want && Pool.TryAllocFrame(out uint frame))
        {
            fillScratch[got++] = frame;
        }

        if (got == 0)
        {
            return;
        }

        int put = socket.Fill(fillScratch.AsSpan(0, got));
        if (put < 0)
        {
            put = 0;
        }

        // Cannot happen while framesInKernel bounds the ring's occupancy; kept so a frame is never lost.
        for (int i = put; i < got; i++)
        {
            Pool.FreeFrame((uint)fillScratch[i]);
        }

        framesInKernel += put;
    }

    /// <summary>Closes the socket, then releases the pools and UMEM: the kernel must stop writing before the memory goes.</summary>
    internal void Close(AfxdpTxQueue? tx)
    {
        socket.Dispose();
        Pool.Dispose();
        tx?.Pool.Dispose();
        memory.Release();
    }
}
