using System.Runtime.CompilerServices;

namespace FastPath.Native;

/// <summary>
/// An AF_XDP socket bound to one queue of one interface, with rx and tx rings, over an
/// <see cref="AfxdpUmem"/>. Ring methods move whole batches per native call and never block.
/// </summary>
/// <remarks>
/// Not thread-safe: the rings are single-producer/single-consumer, so one thread drives a socket
/// (and disposes it only after it stopped polling). <see cref="GetStatistics"/> alone may be
/// called from any thread.
/// </remarks>
public sealed unsafe class AfxdpSocket : IDisposable
{
    private readonly AfxdpSocketHandle handle;

    // The raw pointer for ring calls: passing the SafeHandle would add two interlocked operations
    // per batch. Cleared before the handle is released so a stale call fails instead of crashing.
    private nint xsk;

    private AfxdpSocket(AfxdpSocketHandle handle, string interfaceName, in AfxdpNative.XskInfo info)
    {
        this.handle = handle;
        xsk = handle.DangerousGetHandle();
        InterfaceName = interfaceName;
        InterfaceIndex = info.IfIndex;
        Queue = info.Queue;
        Flags = (AfxdpSocketFlags)info.Flags;
        ZeroCopy = info.ZeroCopy != 0;
        XdpMode = (AfxdpXdpAttachMode)info.XdpMode;
        XdpProgramId = info.ProgId;
        SharedUmem = info.SharedUmem != 0;
        FileDescriptor = info.Fd;
    }

    /// <summary>Interface the socket is bound to.</summary>
    public string InterfaceName { get; }

    /// <summary>Kernel index of that interface.</summary>
    public int InterfaceIndex { get; }

    /// <summary>Queue the socket is bound to.</summary>
    public uint Queue { get; }

    /// <summary>Flags the socket was created with.</summary>
    public AfxdpSocketFlags Flags { get; }

    /// <summary>Whether the kernel runs the socket in zero-copy mode (as opposed to copy mode).</summary>
    public bool ZeroCopy { get; }

    /// <summary>How the XDP program on the interface was attached when the socket was created.</summary>
    public AfxdpXdpAttachMode XdpMode { get; }

    /// <summary>Id of the XDP program on the interface when the socket was created.</summary>
    public uint XdpProgramId { get; }

    /// <summary>Whether the socket shares another socket's UMEM (XDP_SHARED_UMEM).</summary>
    public bool SharedUmem { get; }

    /// <summary>The socket's file descriptor (for poll/epoll by callers that sleep).</summary>
    public int FileDescriptor { get; }

    /// <summary>Whether the kernel asks for a wakeup before it takes more frames from the fill ring.</summary>
    public bool FillNeedsWakeup
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => AfxdpNative.XskFillNeedsWakeup(Ptr) > 0;
    }

    private nint Ptr
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            nint p = xsk;
            if (p == 0)
            {
                ThrowDisposed();
            }

            return p;
        }
    }

    /// <summary>
    /// Creates a socket on <paramref name="queue"/> of <paramref name="interfaceName"/> over
    /// <paramref name="umem"/>; libxdp attaches its redirect program unless the interface has it.
    /// The UMEM's first socket uses its fill and completion rings; later ones share it (XDP_SHARED_UMEM).
    /// </summary>
    /// <exception cref="AfxdpException">
    /// Creation failed: <see cref="AfxdpErrno.ENODEV"/> for a missing interface, <see cref="AfxdpErrno.EOPNOTSUPP"/>
    /// for a mode the driver lacks, <see cref="AfxdpErrno.EBUSY"/> while a just-closed socket still holds the queue.
    /// </exception>
    public static AfxdpSocket Create(AfxdpUmem umem, string interfaceName, uint queue, uint rxRingSize, uint txRingSize, AfxdpSocketFlags flags)
    {
        ArgumentNullException.ThrowIfNull(umem);
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        AfxdpUmem.RequirePow2(rxRingSize, nameof(rxRingSize));
        AfxdpUmem.RequirePow2(txRingSize, nameof(txRingSize));
        Cpu.EnsureAbi();

        AfxdpUmemHandle umemHandle = umem.Handle;
        bool added = false;
        umemHandle.DangerousAddRef(ref added);
        int rc = AfxdpNative.XskCreate(umemHandle, interfaceName, queue, rxRingSize, txRingSize, (uint)flags, out nint xsk);
        if (rc != 0)
        {
            umemHandle.DangerousRelease();
            throw new AfxdpException($"cannot create AF_XDP socket on {interfaceName} queue {queue} ({Describe(flags)})", -rc);
        }

        var handle = new AfxdpSocketHandle(xsk, umemHandle);
        rc = AfxdpNative.XskGetInfo(handle, out AfxdpNative.XskInfo info);
        if (rc != 0)
        {
            handle.Dispose();
            throw new AfxdpException($"cannot query AF_XDP socket on {interfaceName} queue {queue}", -rc);
        }

        return new AfxdpSocket(handle, interfaceName, info);
    }

    /// <summary>Puts frame addresses in the fill ring; returns how many fit (the rest stay the caller's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Fill(ReadOnlySpan<ulong> frameAddrs)
    {
        fixed (ulong* p = frameAddrs)
        {
            return AfxdpNative.XskFill(Ptr, p, (uint)frameAddrs.Length);
        }
    }

    /// <summary>Takes received descriptors off the rx ring into <paramref name="descriptors"/>; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Receive(Span<AfxdpDescriptor> descriptors)
    {
        fixed (AfxdpDescriptor* p = descriptors)
        {
            return AfxdpNative.XskRx(Ptr, p, (uint)descriptors.Length);
        }
    }

    /// <summary>Puts descriptors on the tx ring; returns how many fit. Call <see cref="Kick"/> after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Transmit(ReadOnlySpan<AfxdpDescriptor> descriptors)
    {
        fixed (AfxdpDescriptor* p = descriptors)
        {
            return AfxdpNative.XskTx(Ptr, p, (uint)descriptors.Length);
        }
    }

    /// <summary>Takes addresses of transmitted frames off the completion ring; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Complete(Span<ulong> frameAddrs)
    {
        fixed (ulong* p = frameAddrs)
        {
            return AfxdpNative.XskComplete(Ptr, p, (uint)frameAddrs.Length);
        }
    }

    /// <summary>Wakes the receive side with a zero-timeout poll if the fill ring asks for it: 1 woken, 0 not needed, -errno.</summary>
    public int WakeupRx() => AfxdpNative.XskRxWakeup(Ptr);

    /// <summary>
    /// Makes the kernel send what is on the tx ring when it needs a syscall for that: 1 kicked,
    /// 0 not needed, -errno (-EAGAIN, -EBUSY, -ENOBUFS: busy, kick again later). Never blocks.
    /// </summary>
    public int Kick() => AfxdpNative.XskKick(Ptr);

    /// <summary>The kernel's counters for this socket.</summary>
    /// <exception cref="AfxdpException">The kernel refused the query.</exception>
    public AfxdpStatistics GetStatistics()
    {
        if (xsk == 0)
        {
            ThrowDisposed();
        }

        int rc = AfxdpNative.XskGetStats(handle, out AfxdpStatistics stats);
        if (rc != 0)
        {
            throw new AfxdpException($"cannot read AF_XDP statistics of {InterfaceName} queue {Queue}", -rc);
        }

        return stats;
    }

    /// <summary>Closes the socket; the XDP program is detached after this process's last socket on the interface.</summary>
    public void Dispose()
    {
        xsk = 0;
        handle.Dispose();
    }

    /// <summary>Human-readable form of <paramref name="flags"/>: "native zero-copy", "generic copy", ...</summary>
    public static string Describe(AfxdpSocketFlags flags)
    {
        string mode = (flags & AfxdpSocketFlags.NativeMode) != 0 ? "native"
            : (flags & AfxdpSocketFlags.GenericMode) != 0 ? "generic"
            : "default-mode";
        string copy = (flags & AfxdpSocketFlags.ZeroCopy) != 0 ? "zero-copy"
            : (flags & AfxdpSocketFlags.Copy) != 0 ? "copy"
            : "any-copy";
        return $"{mode} {copy}";
    }

    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(AfxdpSocket));
}
