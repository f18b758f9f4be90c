using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Packets;

/// <summary>
/// A single-threaded cache of free frames of one <see cref="FrameRegion"/>, and the packet operations on
/// them: alloc, free, data access, push and pull. Owned by one thread at a time (the one driving the queue
/// it belongs to): no locks, no GC allocation per packet.
/// </summary>
/// <remarks>
/// <c>new PacketPool(n)</c> makes a private region whose frames all stay in this pool, as a NIC ring's own
/// memory. <see cref="FrameRegion.CreatePool"/> makes one of several pools over a shared region (an AF_XDP
/// UMEM): when its cache runs dry it takes a burst from the region's lock-free ring, and when it overflows
/// it gives half back, so frames freed by one queue's thread reach another queue's thread without either
/// touching the other's stack.
/// The region is laid out as an AF_XDP UMEM in aligned-chunk mode: frame i starts at i * FrameSize,
/// and a packet starts <see cref="Headroom"/> bytes into its frame so VLAN tags and tunnel headers
/// can be pushed without moving the payload.
/// </remarks>
public sealed unsafe class PacketPool : IDisposable
{
    /// <summary>Default frame size: 2 KiB, as an AF_XDP UMEM chunk.</summary>
    public const int DefaultFrameSize = 2048;

    /// <summary>Default headroom in front of each packet (XDP_PACKET_HEADROOM).</summary>
    public const int DefaultHeadroom = 256;

    private readonly FrameRegion owner;
    private readonly bool ownsRegion;
    private readonly int capacity;
    private uint* freeStack;
    private int freeCount;
    private byte* region;

    /// <summary>Allocates a private region of <paramref name="frameCount"/> frames of <paramref name="frameSize"/> bytes, all free in this pool.</summary>
    public PacketPool(int frameCount, int frameSize = DefaultFrameSize, int headroom = DefaultHeadroom)
        : this(new FrameRegion(frameCount, frameSize, headroom, fillRing: false), frameCount, ownsRegion: true)
    {
        // Lowest frames on top so a fresh pool hands out frames in address order.
        for (int i = 0; i < frameCount; i++)
        {
            freeStack[i] = (uint)((frameCount - 1 - i) * frameSize);
        }

        freeCount = frameCount;
    }

    /// <summary>A pool over <paramref name="region"/> caching up to <paramref name="cacheSize"/> frames, empty at first.</summary>
    internal PacketPool(FrameRegion region, int cacheSize, bool ownsRegion)
    {
        owner = region;
        this.ownsRegion = ownsRegion;
        capacity = cacheSize;
        FrameCount = region.FrameCount;
        FrameSize = region.FrameSize;
        Headroom = region.Headroom;
        RegionSize = region.RegionSize;
        this.region = region.Base;
        freeStack = (uint*)NativeMemory.Alloc((nuint)cacheSize, sizeof(uint));
        region.Attach(this);
    }

    /// <summary>The region this pool's frames live in (shared with other pools, or private).</summary>
    public FrameRegion Region => owner;

    /// <summary>Number of frames in the region.</summary>
    public int FrameCount { get; }

    /// <summary>Size of each frame in bytes (a power of two).</summary>
    public int FrameSize { get; }

    /// <summary>Bytes reserved in front of each packet.</summary>
    public int Headroom { get; }

    /// <summary>Largest packet a frame holds.</summary>
    public int MaxPacketLength => FrameSize - Headroom;

    /// <summary>Total size of the region in bytes.</summary>
    public nuint RegionSize { get; }

    /// <summary>Frames free in this pool's own cache (for a private pool: every free frame).</summary>
    public int FreeCount => freeCount;

    /// <summary>Most frames this pool caches before it gives half back to its region.</summary>
    public int CacheCapacity => capacity;

    /// <summary>Base address of the region, for the native layer (AF_XDP UMEM registration).</summary>
    internal byte* Base => region != null ? region : throw new ObjectDisposedException(nameof(PacketPool));

    /// <summary>The region's base address for interop layers that register it as UMEM.</summary>
    public nint BaseAddress => (nint)Base;

    /// <summary>Takes a free frame; the packet starts after the headroom with length 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAlloc(out Packet packet)
    {
        if (freeCount == 0 && !Refill())
        {
            packet = default;
            return false;
        }

        packet = new Packet
        {
            Addr = freeStack[--freeCount] + (uint)Headroom,
            Length = 0,
            L3Offset = Packet.NoOffset,
            L4Offset = Packet.NoOffset,
            VlanOffset = Packet.NoOffset,
        };
        return true;
    }

    /// <summary>Takes a raw frame offset (for filling AF_XDP rings).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAllocFrame(out uint frameAddr)
    {
        if (freeCount == 0 && !Refill())
        {
            frameAddr = 0;
            return false;
        }

        frameAddr = freeStack[--freeCount];
        return true;
    }

    /// <summary>Returns the frame holding <paramref name="packet"/> to the pool.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(in Packet packet) => FreeFrame(packet.Addr);

    /// <summary>Returns the frame that contains offset <paramref name="addr"/> to the pool.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FreeFrame(uint addr)
    {
        if ((uint)freeCount >= (uint)capacity || addr >= RegionSize)
        {
            FreeSlow(addr);
            return;
        }

        freeStack[freeCount++] = addr & ~(uint)(FrameSize - 1);
    }

    /// <summary>Allocates a frame and copies <paramref name="data"/> into it, as a NIC delivers a packet.</summary>
    public bool TryCopyIn(ReadOnlySpan<byte> data, uint inPort, out Packet packet)
    {
        if (data.Length > MaxPacketLength || !TryAlloc(out packet))
        {
            packet = default;
            return false;
        }

        data.CopyTo(new Span<byte>(region + packet.Addr, data.Length));
        packet.Length = (ushort)data.Length;
        packet.InPort = inPort;
        return true;
    }

    /// <summary>The bytes of <paramref name="packet"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> GetData(in Packet packet)
    {
        CheckBounds(packet.Addr, packet.Length);
        return new Span<byte>(region + packet.Addr, packet.Length);
    }

    /// <summary>Bytes free in front of the packet within its frame.</summary>
    public int HeadroomOf(in Packet packet) => (int)(packet.Addr & (uint)(FrameSize - 1));

    /// <summary>Grows the packet by <paramref name="bytes"/> at its front (for pushing a header); false if the frame has no room.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPush(ref Packet packet, int bytes)
    {
        if ((uint)bytes > (uint)HeadroomOf(packet))
        {
            return false;
        }

        packet.Addr -= (uint)bytes;
        packet.Length += (ushort)bytes;
        return true;
    }

    /// <summary>Removes <paramref name="bytes"/> from the front of the packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPull(ref Packet packet, int bytes)
    {
        if ((uint)bytes > packet.Length)
        {
            return false;
        }

        packet.Addr += (uint)bytes;
        packet.Length -= (ushort)bytes;
        return true;
    }

    /// <summary>
    /// For a private pool, frees the region; for a pool over a shared region, gives its cached frames back
    /// to the region. Packets handed out by a private pool become invalid.
    /// </summary>
    public void Dispose()
    {
        if (ownsRegion)
        {
            owner.Dispose();
        }
        else if (region != null && !owner.IsDisposed)
        {
            owner.Shared.Enqueue(new ReadOnlySpan<uint>(freeStack, freeCount));
            freeCount = 0;
            owner.Detach(this);
        }

        region = null;
        FreeStack();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the cache's stack if <see cref="Dispose"/> was not called (the region has its own finalizer).</summary>
    ~PacketPool() => FreeStack();

    /// <summary>Called by the region when it goes away first: the pool stops handing out frames.</summary>
    internal void Detach()
    {
        region = null;
        freeCount = 0;
    }

    internal void CopyFreeFramesTo(List<uint> list)
    {
        for (int i = 0; i < freeCount; i++)
        {
            list.Add(freeStack[i]);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Refill()
    {
        if (ownsRegion || region == null)
        {
            return false;
        }

        // Half the cache: room is left for frees before the next spill.
        freeCount = owner.Shared.Dequeue(new Span<uint>(freeStack, Math.Max(1, capacity / 2)));
        return freeCount > 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FreeSlow(uint addr)
    {
        if (addr >= RegionSize || ownsRegion || region == null)
        {
            // A private pool's stack holds every frame: one more free is a double free.
            ThrowBadFree(addr);
        }

        int spill = capacity / 2;
        int given = owner.Shared.Enqueue(new ReadOnlySpan<uint>(freeStack + freeCount - spill, spill));
        freeCount -= given;
        if (given < spill)
        {
            // The ring holds as many offsets as the region has frames: more means a frame was freed twice.
            ThrowBadFree(addr);
        }

        freeStack[freeCount++] = addr & ~(uint)(FrameSize - 1);
    }

    private void FreeStack()
    {
        if (freeStack != null)
        {
            NativeMemory.Free(freeStack);
            freeStack = null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckBounds(uint addr, int length)
    {
        // A handle that points outside its frame is a programming error, never a packet error.
        if (region == null || ((addr & (uint)(FrameSize - 1)) + (uint)length) > (uint)FrameSize || addr >= RegionSize)
        {
            ThrowBadHandle(addr, length);
        }
    }

    private static void ThrowBadFree(uint addr) =>
        throw new InvalidOperationException($"frame at offset {addr} freed twice or outside the pool");

    private static void ThrowBadHandle(uint addr, int length) =>
        throw new InvalidOperationException($"packet handle addr={addr} len={length} lies outside its frame or the pool is disposed");
}
