namespace FastPath.Datapath.Ports.Afxdp;

/// <summary>Settings of an <see cref="AfxdpNetdev"/>; the defaults suit a 10G NIC queue.</summary>
public sealed class AfxdpOptions
{
    /// <summary>Options for <paramref name="interfaceName"/> with every other setting at its default.</summary>
    public AfxdpOptions(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        InterfaceName = interfaceName;
    }

    /// <summary>Kernel interface to bind to.</summary>
    public string InterfaceName { get; }

    /// <summary>Number of queues (one socket, UMEM and packet pool each), bound to queues 0..n-1.</summary>
    public int Queues { get; init; } = 1;

    /// <summary>XDP attach mode to use or, with <see cref="AfxdpXdpMode.Auto"/>, to try in order native, generic.</summary>
    public AfxdpXdpMode XdpMode { get; init; } = AfxdpXdpMode.Auto;

    /// <summary>Copy mode to use or, with <see cref="AfxdpCopyMode.Auto"/>, to try in order zero-copy, copy.</summary>
    public AfxdpCopyMode CopyMode { get; init; } = AfxdpCopyMode.Auto;

    /// <summary>Entries in each rx ring (a power of two).</summary>
    public int RxRingSize { get; init; } = 2048;

    /// <summary>Entries in each tx ring (a power of two).</summary>
    public int TxRingSize { get; init; } = 2048;

    /// <summary>Entries in each fill ring (a power of two).</summary>
    public int FillRingSize { get; init; } = 2048;

    /// <summary>Entries in each completion ring (a power of two).</summary>
    public int CompletionRingSize { get; init; } = 2048;

    /// <summary>Frames in each queue's UMEM; at most half of them wait in the fill ring, the rest serve the datapath and transmit copies.</summary>
    public int FrameCount { get; init; } = 4096;

    /// <summary>Frame (UMEM chunk) size: 2048 or 4096.</summary>
    public int FrameSize { get; init; } = 2048;

    /// <summary>Bind with XDP_USE_NEED_WAKEUP so the rings run without syscalls while the kernel keeps up.</summary>
    public bool UseNeedWakeup { get; init; } = true;

    /// <summary>
    /// Bind queue i over queue i's UMEM of this other, open port (XDP_SHARED_UMEM) instead of a UMEM
    /// of its own, so packets move between the two ports without copies. The ports' queues then share
    /// one single-threaded pool: one thread must drive both ports. The copy mode follows the owner;
    /// <see cref="FrameCount"/> and <see cref="FrameSize"/> are the owner's. Close this port first or
    /// last: the memory lives until both are closed.
    /// </summary>
    public AfxdpNetdev? ShareUmemWith { get; init; }

    /// <summary>
    /// How long to retry while the kernel still holds a queue for a socket closed just before
    /// (its release is deferred by a few tens of milliseconds, so reopening a port at once sees EBUSY).
    /// </summary>
    public TimeSpan BusyRetryTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
