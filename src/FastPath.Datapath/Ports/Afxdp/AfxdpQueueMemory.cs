using FastPath.Native;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Afxdp;

/// <summary>
/// A queue's frame region and the UMEM registered over it, counted by the sockets that use them: a
/// port that shares another port's UMEM (XDP_SHARED_UMEM) keeps both alive after the owner closes.
/// Every queue over it takes frames through a <see cref="PacketPool"/> of its own.
/// </summary>
internal sealed class AfxdpQueueMemory
{
    private int users = 1;

    public AfxdpQueueMemory(FrameRegion region, AfxdpUmem umem)
    {
        Region = region;
        Umem = umem;
    }

    public FrameRegion Region { get; }

    public AfxdpUmem Umem { get; }

    /// <summary>Adds a user; false when the memory is already gone.</summary>
    public bool TryAcquire()
    {
        int n = Volatile.Read(ref users);
        while (n > 0)
        {
            int seen = Interlocked.CompareExchange(ref users, n + 1, n);
            if (seen == n)
            {
                return true;
            }

            n = seen;
        }

        return false;
    }

    /// <summary>Drops a user; the last one unregisters the UMEM and then frees the region (its sockets must be closed first).</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref users) == 0)
        {
            Umem.Dispose();
            Region.Dispose();
        }
    }

    /// <summary>
    /// A pool over the region for one queue. Its cache is an eighth of the region (64 to 512 frames): big
    /// enough that the shared ring is touched once per many packets, small enough that frames idling in
    /// one queue's cache cannot starve the fill ring of another.
    /// </summary>
    public PacketPool CreatePool() => Region.CreatePool(Math.Clamp(Region.FrameCount / 8, 64, 512));
}
