using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Packets;

/// <summary>
/// Fixed-size packet frames in one unmanaged, page-aligned region, with a free stack of frame
/// offsets. Owned by one thread (a PMD): no locks, no GC allocation per packet.
/// </summary>
/// <remarks>
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

    private readonly uint* freeStack;
    private int freeCount;
    private byte* region;

    /// <summary>Allocates <paramref name="frameCount"/> frames of <paramref name="frameSize"/> bytes.</summary>
    public PacketPool(int frameCount, int frameSize = DefaultFrameSize, int headroom = DefaultHeadroom)
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
        freeStack = (uint*)NativeMemory.Alloc((nuint)frameCount, sizeof(uint));
        NativeMemory.Clear(region, RegionSize);

        // Lowest frames on top so a fresh pool hands out frames in address order.
        for (int i = 0; i < frameCount; i++)
        {
            freeStack[i] = (uint)((frameCount - 1 - i) * frameSize);
        }

        freeCount = frameCount;
    }

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

    /// <summary>Frames currently free.</summary>
    public int FreeCount => freeCount;

    /// <summary>Base address of the region, for the native layer (AF_XDP UMEM registration).</summary>
    internal byte* Base => region != null ? region : throw new ObjectDisposedException(nameof(PacketPool));

    /// <summary>The region's base address for interop layers that register it as UMEM.</summary>
    public nint BaseAddress => (nint)Base;

    /// <summary>Takes a free frame; the packet starts after the headroom with length 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAlloc(out Packet packet)
    {
        if (freeCount == 0)
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
        if (freeCount == 0)
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
        if ((uint)freeCount >= (uint)FrameCount || addr >= RegionSize)
        {
            ThrowBadFree(addr);
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

    /// <summary>Frees the region. Packets handed out become invalid.</summary>
    public void Dispose()
    {
        if (region != null)
        {
            NativeMemory.AlignedFree(region);
            NativeMemory.Free(freeStack);
            region = null;
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the region if <see cref="Dispose"/> was not called.</summary>
    ~PacketPool()
    {
        if (region != null)
        {
            NativeMemory.AlignedFree(region);
            NativeMemory.Free(freeStack);
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
