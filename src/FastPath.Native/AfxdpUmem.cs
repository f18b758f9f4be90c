namespace FastPath.Native;

/// <summary>
/// A memory region registered with the kernel as an AF_XDP UMEM (aligned chunks), with its fill
/// and completion rings. The region itself belongs to the caller and must stay allocated until
/// this object and every socket created over it are disposed.
/// </summary>
public sealed class AfxdpUmem : IDisposable
{
    private AfxdpUmemHandle? handle;

    private AfxdpUmem(AfxdpUmemHandle handle, ulong size, uint frameSize, uint fillRingSize, uint completionRingSize)
    {
        this.handle = handle;
        Size = size;
        FrameSize = frameSize;
        FillRingSize = fillRingSize;
        CompletionRingSize = completionRingSize;
    }

    /// <summary>Bytes registered.</summary>
    public ulong Size { get; }

    /// <summary>Chunk (frame) size in bytes.</summary>
    public uint FrameSize { get; }

    /// <summary>Entries in the fill ring.</summary>
    public uint FillRingSize { get; }

    /// <summary>Entries in the completion ring.</summary>
    public uint CompletionRingSize { get; }

    internal AfxdpUmemHandle Handle => handle ?? throw new ObjectDisposedException(nameof(AfxdpUmem));

    /// <summary>
    /// Registers <paramref name="size"/> bytes at <paramref name="area"/> (page-aligned) as frames of
    /// <paramref name="frameSize"/> bytes. The kernel places received packets at
    /// frame + 256 (XDP_PACKET_HEADROOM) + <paramref name="frameHeadroom"/>.
    /// </summary>
    /// <exception cref="AfxdpException">The kernel refused the registration.</exception>
    public static AfxdpUmem Create(nint area, ulong size, uint frameSize, uint fillRingSize, uint completionRingSize, uint frameHeadroom = 0)
    {
        ArgumentOutOfRangeException.ThrowIfZero(area);
        if ((area & 4095) != 0)
        {
            throw new ArgumentException("the UMEM area must be page-aligned", nameof(area));
        }

        RequirePow2(fillRingSize, nameof(fillRingSize));
        RequirePow2(completionRingSize, nameof(completionRingSize));
        Cpu.EnsureAbi();
        int rc = AfxdpNative.UmemCreate(area, size, frameSize, fillRingSize, completionRingSize, frameHeadroom, out nint umem);
        if (rc != 0)
        {
            throw new AfxdpException($"cannot register {size} bytes as an AF_XDP UMEM of {frameSize}-byte frames", -rc);
        }

        return new AfxdpUmem(new AfxdpUmemHandle(umem), size, frameSize, fillRingSize, completionRingSize);
    }

    /// <summary>Unregisters the UMEM once no socket uses it any more.</summary>
    public void Dispose()
    {
        handle?.Dispose();
        handle = null;
    }

    internal static void RequirePow2(uint value, string name)
    {
        if (value == 0 || (value & (value - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "ring sizes must be powers of two");
        }
    }
}
