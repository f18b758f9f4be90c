using FastPath.Native;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Afxdp;

/// <summary>
/// A queue's packet pool and the UMEM registered over it, counted by the sockets that use them: a
/// port that shares another port's UMEM (XDP_SHARED_UMEM) keeps both alive after the owner closes.
/// </summary>
internal sealed class AfxdpQueueMemory
{
    private int users = 1;

    public AfxdpQueueMemory(PacketPool pool, AfxdpUmem umem)
    {
        Pool = pool;
        Umem = umem;
    }

    public PacketPool Pool { get; }

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

    /// <summary>Drops a user; the last one unregisters the UMEM and then frees the pool (its sockets must be closed first).</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref users) == 0)
        {
            Umem.Dispose();
            Pool.Dispose();
        }
    }
}
