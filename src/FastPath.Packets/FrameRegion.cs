using System.Numerics;
using System.Runtime.InteropServices;

namespace FastPath.Packets;

/// <summary>
/// One unmanaged, page-aligned region of fixed-size packet frames (for AF_XDP: the UMEM) and its shared
/// free list. Threads never take frames from the region directly: each user (an rx queue, a tx queue)
/// gets a <see cref="PacketPool"/> of its own from <see cref="CreatePool"/>, a single-threaded cache that
/// refills from and spills to the region's lock-free ring in bursts, as DPDK's mempool caches do.
/// </summary>
/// <remarks>
/// This is what lets a frame received on one thread be freed on another (a zero-copy transmit completing
/// on the PMD that sent it, after its rx queue moved elsewhere) without two threads ever touching one free
/// stack: a frame belongs to whichever cache last took it, and caches meet only in the ring.
/// Frame i starts at i * FrameSize; a packet starts <see cref="Headroom"/> bytes into its frame.
/// </remarks>
public sealed unsafe class FrameRegion : IDisposable
{
    private readonly List<PacketPool> pools = [];
    private readonly Lock poolsLock = new();
    private byte* region;

    /// <summary>Allocates <paramref name="frameCount"/> frames of <paramref name="frameSize"/> bytes, all free in the shared ring.</summary>
    public FrameRegion(int frameCount, int frameSize = PacketPool.DefaultFrameSize, int headroom = PacketPool.DefaultHeadroom)
        : this(frameCount, frameSize, headroom, fillRing: true)
    {
    }

    internal FrameRegion(int frameCount, int frameSize, int headroom, bool fillRing)
    {
        if (frameCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frameCount), "at least one frame is needed");
        }

        if (frameSize < 256 || !BitOperations.IsPow2(frameSize))
        {
            throw new ArgumentOutOfRangeException(nameof(frameSize), "frame size must be a power of two, at least 256");
        }

        if (headroom < 0 || headroom > frameSize - 128)
        {
            throw new ArgumentOutOfRangeException(nameof(headroom), "headroom must leave at least 128 bytes of frame");
        }

        long size = (long)frameCount * frameSize;
        if (size > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(frameCount), "region must stay below 4 GiB (32-bit frame offsets)");
        }

        FrameCount = frameCount;
        FrameSize = frameSize;
        Headroom = headroom;
        RegionSize = (nuint)size;
        region = (byte*)NativeMemory.AlignedAlloc(RegionSize, 4096);
        NativeMemory.Clear(region, RegionSize);
        Shared = new FrameRing(frameCount);
        if (fillRing)
        {
            Span<uint> burst = stackalloc uint[256];
            for (int i = 0; i < frameCount; i += burst.Length)
            {
                int n = Math.Min(burst.Length, frameCount - i);
                for (int k = 0; k < n; k++)
                {
                    burst[k] = (uint)((i + k) * frameSize);
                }

                Shared.Enqueue(burst[..n]);
            }
        }
    }

    /// <summary>Number of frames in the region.</summary>
    public int FrameCount { get; }

    /// <summary>Size of each frame in bytes (a power of two).</summary>
    public int FrameSize { get; }

    /// <summary>Bytes reserved in front of each packet.</summary>
    public int Headroom { get; }

    /// <summary>Total size of the region in bytes.</summary>
    public nuint RegionSize { get; }

    /// <summary>The region's base address for interop layers that register it as UMEM.</summary>
    public nint BaseAddress => (nint)Base;

    /// <summary>
    /// Free frames: in the shared ring plus in every pool's cache. Exact only while no thread uses the
    /// region (an audit after stopping); a moving figure otherwise.
    /// </summary>
    public int FreeFrames
    {
        get
        {
            lock (poolsLock)
            {
                int n = Shared.Count;
                foreach (PacketPool p in pools)
                {
                    n += p.FreeCount;
                }

                return n;
            }
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => region == null;

    internal byte* Base => region != null ? region : throw new ObjectDisposedException(nameof(FrameRegion));

    internal FrameRing Shared { get; }

    /// <summary>
    /// A new single-threaded pool over this region, caching up to <paramref name="cacheSize"/> free frames:
    /// give one to each queue, and let only the thread driving that queue use it.
    /// </summary>
    public PacketPool CreatePool(int cacheSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheSize, 2);
        return new PacketPool(this, Math.Min(cacheSize, FrameCount), ownsRegion: false);
    }

    /// <summary>Every frame offset free now, for audits of a stopped region: each must appear once.</summary>
    public List<uint> SnapshotFreeFrames()
    {
        lock (poolsLock)
        {
            var all = new List<uint>(FrameCount);
            foreach (PacketPool p in pools)
            {
                p.CopyFreeFramesTo(all);
            }

            Shared.CopyTo(all);
            return all;
        }
    }

    /// <summary>Frees the memory. Every pool over it becomes unusable.</summary>
    public void Dispose()
    {
        lock (poolsLock)
        {
            if (region == null)
            {
                return;
            }

            foreach (PacketPool p in pools)
            {
                p.Detach();
            }

            pools.Clear();
            NativeMemory.AlignedFree(region);
            region = null;
            Shared.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the memory if <see cref="Dispose"/> was not called.</summary>
    ~FrameRegion()
    {
        if (region != null)
        {
            NativeMemory.AlignedFree(region);
            Shared.Dispose();
        }
    }

    internal void Attach(PacketPool pool)
    {
        lock (poolsLock)
        {
            ObjectDisposedException.ThrowIf(region == null, this);
            pools.Add(pool);
        }
    }

    internal void Detach(PacketPool pool)
    {
        lock (poolsLock)
        {
            pools.Remove(pool);
        }
    }
}
