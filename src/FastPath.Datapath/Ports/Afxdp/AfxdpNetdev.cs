using System.Diagnostics;
using System.Text;
using FastPath.Native;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Afxdp;

/// <summary>
/// The <c>afxdp</c> port: one AF_XDP socket per queue of a kernel interface, each over a UMEM that
/// is the queue's <see cref="FrameRegion"/>. Rx queue i and tx queue i share socket i and region i, each
/// through a <see cref="PacketPool"/> of its own, so a packet received on a port and sent back out of the
/// same queue is transmitted without a copy, and the two queues may be driven by different threads.
/// </summary>
/// <remarks>
/// Opening tries the configured XDP and copy modes in order (native zero-copy, native copy, generic
/// copy for the defaults) and reports what it got in <see cref="XdpMode"/> and <see cref="CopyMode"/>.
/// Each queue is driven by one thread at a time (any thread); <see cref="GetStats"/> may be called from any.
/// With <see cref="AfxdpOptions.ShareUmemWith"/> a port binds over another port's UMEMs
/// (XDP_SHARED_UMEM), so forwarding between the two ports is zero-copy as well.
/// </remarks>
public sealed class AfxdpNetdev : INetdev
{
    private const int XdpPacketHeadroom = 256;

    private readonly AfxdpRxQueue[] rx;
    private readonly AfxdpTxQueue[] tx;

    // The queues' counters, gathered once so that reading the statistics (every few seconds) allocates nothing.
    private readonly QueueCounters[] rxCounters;
    private readonly QueueCounters[] txCounters;
    private bool disposed;

    /// <summary>Opens every queue of <see cref="AfxdpOptions.InterfaceName"/>.</summary>
    /// <exception cref="AfxdpException">
    /// The interface does not exist (<see cref="AfxdpErrno.ENODEV"/>) or no allowed mode could be set
    /// up; the message lists each mode tried and why it failed.
    /// </exception>
    public AfxdpNetdev(AfxdpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;

        rx = new AfxdpRxQueue[options.Queues];
        tx = new AfxdpTxQueue[options.Queues];
        int opened = 0;
        try
        {
            AfxdpSocketFlags chosen = OpenFirstQueue(options);
            opened = 1;
            for (int q = 1; q < options.Queues; q++)
            {
                // One program per interface: every queue has to live with the mode queue 0 got.
                OpenQueue(q, chosen);
                opened++;
            }

            AfxdpSocket first = rx[0].Socket;
            XdpMode = first.XdpMode switch
            {
                AfxdpXdpAttachMode.Native => AfxdpXdpMode.Native,
                AfxdpXdpAttachMode.Generic => AfxdpXdpMode.Generic,
                _ => (chosen & AfxdpSocketFlags.GenericMode) != 0 ? AfxdpXdpMode.Generic : AfxdpXdpMode.Native,
            };
            CopyMode = first.ZeroCopy ? AfxdpCopyMode.ZeroCopy : AfxdpCopyMode.Copy;
            XdpProgramId = first.XdpProgramId;
            rxCounters = Array.ConvertAll(rx, q => q.Counters);
            txCounters = Array.ConvertAll(tx, q => q.Counters);
        }
        catch
        {
            for (int q = 0; q < opened; q++)
            {
                rx[q].Close(tx[q]);
            }

            throw;
        }
    }

    /// <summary>The options the port was opened with.</summary>
    public AfxdpOptions Options { get; }

    /// <inheritdoc />
    public string Name => Options.InterfaceName;

    /// <inheritdoc />
    public string Type => "afxdp";

    /// <inheritdoc />
    public int RxQueueCount => rx.Length;

    /// <inheritdoc />
    public int TxQueueCount => tx.Length;

    /// <summary>The XDP attach mode obtained (never <see cref="AfxdpXdpMode.Auto"/>).</summary>
    public AfxdpXdpMode XdpMode { get; }

    /// <summary>The copy mode obtained (never <see cref="AfxdpCopyMode.Auto"/>).</summary>
    public AfxdpCopyMode CopyMode { get; }

    /// <summary>Id of the XDP program on the interface (the libxdp dispatcher when one is used).</summary>
    public uint XdpProgramId { get; }

    /// <inheritdoc />
    public IRxQueue GetRxQueue(int index) => GetAfxdpRxQueue(index);

    /// <inheritdoc />
    public ITxQueue GetTxQueue(int index) => GetAfxdpTxQueue(index);

    /// <summary>Rx queue <paramref name="index"/> with its AF_XDP specifics.</summary>
    public AfxdpRxQueue GetAfxdpRxQueue(int index) =>
        (uint)index < (uint)rx.Length ? rx[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Tx queue <paramref name="index"/> with its AF_XDP specifics.</summary>
    public AfxdpTxQueue GetAfxdpTxQueue(int index) =>
        (uint)index < (uint)tx.Length ? tx[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The kernel's counters of queue <paramref name="index"/>'s socket.</summary>
    public AfxdpStatistics GetSocketStatistics(int index) => GetAfxdpRxQueue(index).Socket.GetStatistics();

    /// <inheritdoc />
    /// <remarks>Adds the kernel's drops (no fill frame, rx ring full) and invalid descriptors to the queues' own counters.</remarks>
    public NetdevStats GetStats()
    {
        NetdevStats s = NetdevStats.Sum(rxCounters, txCounters);
        long rxDropped = 0, rxErrors = 0, txErrors = 0;
        if (!disposed)
        {
            foreach (AfxdpRxQueue q in rx)
            {
                AfxdpStatistics k = q.Socket.GetStatistics();
                rxDropped += (long)(k.RxDropped + k.RxRingFull);
                rxErrors += (long)k.RxInvalidDescriptors;
                txErrors += (long)k.TxInvalidDescriptors;
            }
        }

        return s with
        {
            RxDropped = s.RxDropped + rxDropped,
            RxErrors = s.RxErrors + rxErrors,
            TxErrors = s.TxErrors + txErrors,
        };
    }

    /// <summary>Closes every socket (detaching the XDP program) and frees the pools. Stop polling first.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        for (int q = 0; q < rx.Length; q++)
        {
            rx[q].Close(tx[q]);
        }
    }

    private static void Validate(AfxdpOptions o)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Queues, 1, nameof(o.Queues));
        RequirePow2(o.RxRingSize, nameof(o.RxRingSize));
        RequirePow2(o.TxRingSize, nameof(o.TxRingSize));
        RequirePow2(o.FillRingSize, nameof(o.FillRingSize));
        RequirePow2(o.CompletionRingSize, nameof(o.CompletionRingSize));
        if (o.FrameSize != 2048 && o.FrameSize != 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(o.FrameSize), o.FrameSize, "AF_XDP frames are 2048 or 4096 bytes");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(o.FrameCount, 4 * PacketBatch.Capacity, nameof(o.FrameCount));
        if (o.ShareUmemWith is { } owner && owner.RxQueueCount < o.Queues)
        {
            throw new ArgumentException($"port '{owner.Name}' has {owner.RxQueueCount} queue(s), fewer than the {o.Queues} to share", nameof(o));
        }
        if (o.XdpMode == AfxdpXdpMode.Generic && o.CopyMode == AfxdpCopyMode.ZeroCopy)
        {
            throw new ArgumentException("zero-copy needs native XDP mode; generic mode always copies", nameof(o));
        }
    }

    private static void RequirePow2(int value, string name)
    {
        if (value <= 0 || (value & (value - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "ring sizes must be powers of two");
        }
    }

    private static List<AfxdpSocketFlags> Candidates(AfxdpOptions o)
    {
        AfxdpSocketFlags wakeup = o.UseNeedWakeup ? AfxdpSocketFlags.NeedWakeup : AfxdpSocketFlags.None;
        var list = new List<AfxdpSocketFlags>();
        if (o.ShareUmemWith != null)
        {
            // A shared-UMEM socket takes copy mode and need_wakeup from the UMEM's owner; only the attach mode is ours.
            if (o.XdpMode != AfxdpXdpMode.Generic)
            {
                list.Add(AfxdpSocketFlags.NativeMode);
            }

            if (o.XdpMode != AfxdpXdpMode.Native)
            {
                list.Add(AfxdpSocketFlags.GenericMode);
            }

            return list;
        }

        if (o.XdpMode != AfxdpXdpMode.Generic)
        {
            if (o.CopyMode != AfxdpCopyMode.Copy)
            {
                list.Add(AfxdpSocketFlags.NativeMode | AfxdpSocketFlags.ZeroCopy | wakeup);
            }

            if (o.CopyMode != AfxdpCopyMode.ZeroCopy)
            {
                list.Add(AfxdpSocketFlags.NativeMode | AfxdpSocketFlags.Copy | wakeup);
            }
        }

        if (o.XdpMode != AfxdpXdpMode.Native && o.CopyMode != AfxdpCopyMode.ZeroCopy)
        {
            list.Add(AfxdpSocketFlags.GenericMode | AfxdpSocketFlags.Copy | wakeup);
        }

        return list;
    }

    private AfxdpSocketFlags OpenFirstQueue(AfxdpOptions o)
    {
        var failures = new StringBuilder();
        AfxdpException? last = null;
        foreach (AfxdpSocketFlags flags in Candidates(o))
        {
            try
            {
                OpenQueue(0, flags);
                return flags;
            }
            catch (AfxdpException e) when (e.Errno == AfxdpErrno.ENODEV)
            {
                throw new AfxdpException($"afxdp port '{o.InterfaceName}': no such network interface (ENODEV)", e.Errno, e);
            }
            catch (AfxdpException e)
            {
                // Expected while probing: a driver without zero-copy or native XDP says EOPNOTSUPP/EINVAL.
                failures.Append(failures.Length == 0 ? "" : "; ").Append(AfxdpSocket.Describe(flags)).Append(": ")
                    .Append(AfxdpException.Describe(e.Errno));
                last = e;
            }
        }

        string hint = last?.Errno == AfxdpErrno.EPERM ? " (AF_XDP needs root or CAP_NET_ADMIN + CAP_BPF)" : "";
        throw new AfxdpException(
            $"afxdp port '{o.InterfaceName}': cannot open queue 0 in any allowed mode{hint}: {failures}",
            last?.Errno ?? AfxdpErrno.EINVAL,
            last);
    }

    private void OpenQueue(int queue, AfxdpSocketFlags flags)
    {
        AfxdpOptions o = Options;
        if (o.ShareUmemWith is { } owner)
        {
            OpenSharedQueue(owner, queue, flags);
            return;
        }

        var region = new FrameRegion(o.FrameCount, o.FrameSize);

        // The kernel may write into the region until the socket and UMEM are gone. SafeHandles are
        // finalized after ordinary finalizers, so on a leaked port the region's finalizer would free
        // the memory while the socket still delivers into it: leak the memory instead.
        GC.SuppressFinalize(region);

        AfxdpUmem? umem = null;
        AfxdpSocket? socket = null;
        try
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                // A fresh UMEM per attempt: a failed bind leaves libxdp's ring bookkeeping half set up.
                umem = AfxdpUmem.Create(
                    region.BaseAddress,
                    region.RegionSize,
                    (uint)region.FrameSize,
                    (uint)o.FillRingSize,
                    (uint)o.CompletionRingSize,
                    (uint)Math.Max(0, region.Headroom - XdpPacketHeadroom));
                try
                {
                    socket = AfxdpSocket.Create(umem, o.InterfaceName, (uint)queue, (uint)o.RxRingSize, (uint)o.TxRingSize, flags);
                    break;
                }
                catch (AfxdpException e) when (e.Errno == AfxdpErrno.EBUSY && deadline.Elapsed < o.BusyRetryTimeout)
                {
                    // A socket closed moments ago still holds the queue until the kernel's deferred release runs.
                    umem.Dispose();
                    umem = null;
                    Thread.Sleep(5);
                }
            }

            var memory = new AfxdpQueueMemory(region, umem);
            int fillTarget = Math.Min(o.FillRingSize, o.FrameCount / 2);
            rx[queue] = new AfxdpRxQueue(queue, memory, socket, fillTarget);
            tx[queue] = new AfxdpTxQueue(queue, memory.CreatePool(), socket);
        }
        catch
        {
            socket?.Dispose();
            umem?.Dispose();
            region.Dispose();
            throw;
        }
    }

    private void OpenSharedQueue(AfxdpNetdev owner, int queue, AfxdpSocketFlags flags)
    {
        AfxdpOptions o = Options;
        AfxdpQueueMemory memory = owner.GetAfxdpRxQueue(queue).Memory;
        if (!memory.TryAcquire())
        {
            throw new ObjectDisposedException(owner.Name, $"port '{owner.Name}' is closed; its UMEM cannot be shared");
        }

        AfxdpSocket? socket = null;
        try
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    // A second socket on a UMEM is bound with XDP_SHARED_UMEM and gets its own fill/completion rings.
                    socket = AfxdpSocket.Create(memory.Umem, o.InterfaceName, (uint)queue, (uint)o.RxRingSize, (uint)o.TxRingSize, flags);
                    break;
                }
                catch (AfxdpException e) when (e.Errno == AfxdpErrno.EBUSY && deadline.Elapsed < o.BusyRetryTimeout)
                {
                    Thread.Sleep(5);
                }
            }

            // Two fill rings draw on one region: each keeps at most a quarter of it so neither starves the other.
            int fillTarget = Math.Min((int)memory.Umem.FillRingSize, memory.Region.FrameCount / 4);
            rx[queue] = new AfxdpRxQueue(queue, memory, socket, fillTarget);
            tx[queue] = new AfxdpTxQueue(queue, memory.CreatePool(), socket);
        }
        catch
        {
            socket?.Dispose();
            memory.Release();
            throw;
        }
    }
}
