using FastPath.Native;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Afxdp;

/// <summary>
/// The transmit side of one AF_XDP queue, sharing the socket and UMEM of the rx queue of the same
/// index. Frames of that UMEM are sent without copying and come back from the completion ring into this
/// queue's own <see cref="Pool"/>; frames of any other region are copied into frames of this one and freed
/// at once.
/// </summary>
/// <remarks>
/// Driven by one thread at a time, not necessarily the one polling the rx queue of the same index: the two
/// meet only in the region's lock-free ring.
/// </remarks>
public sealed class AfxdpTxQueue : ITxQueue
{
    private const int CompletionBatch = 256;

    private readonly AfxdpSocket socket;
    private readonly PacketPool pool;
    private readonly AfxdpDescriptor[] txScratch = GC.AllocateArray<AfxdpDescriptor>(PacketBatch.Capacity, pinned: true);
    private readonly ulong[] completionScratch = GC.AllocateArray<ulong>(CompletionBatch, pinned: true);

    // Frames on the tx ring or in flight in the kernel, not yet back from the completion ring.
    private int outstanding;

    internal AfxdpTxQueue(int queueId, PacketPool pool, AfxdpSocket socket)
    {
        QueueId = queueId;
        this.pool = pool;
        this.socket = socket;
    }

    /// <summary>This queue's own cache of the UMEM's frames (copies and completions).</summary>
    public PacketPool Pool => pool;

    /// <summary>Queue index on the interface.</summary>
    public int QueueId { get; }

    /// <inheritdoc />
    public QueueCounters Counters { get; } = new();

    /// <summary>Frames submitted and not yet completed.</summary>
    public int Outstanding => outstanding;

    /// <summary>Packets sent without a copy because they already lived in this queue's UMEM (the frame leaves <c>from</c> and comes back into this queue's pool).</summary>
    public long ZeroCopySubmits { get; private set; }

    /// <summary>Packets copied in from another pool.</summary>
    public long CopiedSubmits { get; private set; }

    /// <summary>Kicks that failed with something other than "busy, try later".</summary>
    public long KickErrors { get; private set; }

    /// <summary>The errno of the last failed kick, 0 if none failed.</summary>
    public int LastKickErrno { get; private set; }

    /// <inheritdoc />
    public void Send(PacketPool from, ref PacketBatch batch)
    {
        int count = batch.Count;
        if (count == 0)
        {
            return;
        }

        Span<Packet> packets = batch.Packets;
        Span<AfxdpDescriptor> descs = txScratch.AsSpan(0, count);
        int n = 0;
        if (ReferenceEquals(from.Region, pool.Region))
        {
            foreach (ref Packet p in packets)
            {
                descs[n++] = new AfxdpDescriptor(p.Addr, p.Length);
            }

            ZeroCopySubmits += n;
        }
        else
        {
            foreach (ref Packet p in packets)
            {
                if (p.Length > pool.MaxPacketLength)
                {
                    Counters.Errors++;
                }
                else if (pool.TryAlloc(out Packet copy))
                {
                    copy.Length = p.Length;
                    from.GetData(p).CopyTo(pool.GetData(copy));
                    descs[n++] = new AfxdpDescriptor(copy.Addr, copy.Length);
                }
                else
                {
                    // Every frame is in flight or in the fill ring: the device is saturated.
                    Counters.Dropped++;
                }

                from.Free(p);
            }

            CopiedSubmits += n;
        }

        batch.Clear();
        int sent = Submit(descs[..n]);
        if (sent < n)
        {
            // The ring is full: let the kernel drain it and take back what it finished, then retry once.
            Kick();
            Reclaim();
            sent += Submit(descs[sent..n]);
        }

        for (int i = sent; i < n; i++)
        {
            pool.FreeFrame((uint)descs[i].Addr);
            Counters.Dropped++;
        }

        if (sent > 0)
        {
            Kick();
        }

        Reclaim();
    }

    /// <inheritdoc />
    public void Poll()
    {
        Reclaim();
        if (outstanding > 0)
        {
            // Copy mode transmits only inside the syscall, a bounded number per call: keep kicking until done.
            Kick();
        }
    }

    private int Submit(ReadOnlySpan<AfxdpDescriptor> descs)
    {
        if (descs.IsEmpty)
        {
            return 0;
        }

        int sent = socket.Transmit(descs);
        if (sent <= 0)
        {
            return 0;
        }

        for (int i = 0; i < sent; i++)
        {
            Counters.Count((int)descs[i].Length);
        }

        outstanding += sent;
        return sent;
    }

    private void Kick()
    {
        int rc = socket.Kick();
        if (rc < 0 && rc != -AfxdpErrno.EAGAIN && rc != -AfxdpErrno.EBUSY && rc != -AfxdpErrno.ENOBUFS && rc != -AfxdpErrno.EINTR)
        {
            KickErrors++;
            LastKickErrno = -rc;
        }
    }

    private void Reclaim()
    {
        while (outstanding > 0)
        {
            int n = socket.Complete(completionScratch);
            if (n <= 0)
            {
                return;
            }

            for (int i = 0; i < n; i++)
            {
                pool.FreeFrame((uint)completionScratch[i]);
            }

            outstanding -= n;
            if (n < CompletionBatch)
            {
                return;
            }
        }
    }
}
