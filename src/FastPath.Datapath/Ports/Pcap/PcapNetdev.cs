using FastPath.Packets;
using SharpPcap;
using SharpPcap.LibPcap;

namespace FastPath.Datapath.Ports.Pcap;

/// <summary>
/// The <c>pcap</c> port: a live kernel interface through libpcap (SharpPcap's <see cref="LibPcapLiveDevice"/>),
/// for interfaces AF_XDP cannot bind. One rx and one tx queue over one capture handle, opened
/// non-blocking, in immediate mode, promiscuous, and by default capturing inbound packets only.
/// </summary>
/// <remarks>
/// Every received packet is copied once from libpcap's ring into the rx pool and every sent packet
/// once into the kernel (pcap_sendpacket): slower than <c>afxdp</c>, but it works on any interface
/// libpcap can open. The rx and tx queue may be driven by different threads: pcap_next_ex and
/// pcap_sendpacket share no state of the handle but its error buffer, so at worst an error message
/// is garbled. <see cref="GetStats"/> may be called from any thread.
/// </remarks>
public sealed class PcapNetdev : INetdev
{
    private readonly LibPcapLiveDevice device;
    private readonly PcapRxQueue rx;
    private readonly PcapTxQueue tx;
    private readonly object statsLock = new();
    private bool disposed;

    /// <summary>Opens <paramref name="interfaceName"/> with default <see cref="PcapOptions"/>.</summary>
    /// <exception cref="PcapNetdevException">The interface does not exist or libpcap cannot open it; the message says why.</exception>
    public PcapNetdev(string interfaceName)
        : this(new PcapOptions(interfaceName))
    {
    }

    /// <summary>Opens <see cref="PcapOptions.InterfaceName"/>.</summary>
    /// <exception cref="PcapNetdevException">The interface does not exist or libpcap cannot open it; the message says why.</exception>
    public PcapNetdev(PcapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FrameCount, 2 * PacketBatch.Capacity, nameof(options.FrameCount));
        Options = options;

        // Checked before libpcap is touched so a typo fails with a plain reason, not an activation code.
        PcapInterface iface = FindInterface(options.InterfaceName);
        var pool = new PacketPool(options.FrameCount, options.FrameSize);
        var dev = new LibPcapLiveDevice(iface);
        try
        {
            Open(dev, pool.MaxPacketLength, options);
        }
        catch
        {
            dev.Dispose();
            pool.Dispose();
            throw;
        }

        device = dev;
        rx = new PcapRxQueue(dev, pool, options.IdlePollIntervalCycles ?? IdlePollBackoff.DefaultIntervalCycles);
        tx = new PcapTxQueue(dev);
    }

    /// <summary>The options the port was opened with.</summary>
    public PcapOptions Options { get; }

    /// <inheritdoc />
    public string Name => Options.InterfaceName;

    /// <inheritdoc />
    public string Type => "pcap";

    /// <inheritdoc />
    public int RxQueueCount => 1;

    /// <inheritdoc />
    public int TxQueueCount => 1;

    /// <summary>The libpcap version string the port runs on.</summary>
    public static string LibpcapVersion => SharpPcap.Pcap.Version;

    /// <inheritdoc />
    public IRxQueue GetRxQueue(int index) => GetPcapRxQueue(index);

    /// <inheritdoc />
    public ITxQueue GetTxQueue(int index) => GetPcapTxQueue(index);

    /// <summary>The rx queue with its pcap specifics.</summary>
    public PcapRxQueue GetPcapRxQueue(int index) => index == 0 ? rx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The tx queue with its pcap specifics.</summary>
    public PcapTxQueue GetPcapTxQueue(int index) => index == 0 ? tx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    /// <remarks>Adds the packets the kernel dropped because the capture buffer was full (pcap_stats ps_drop) to the rx drops.</remarks>
    public NetdevStats GetStats()
    {
        NetdevStats s = NetdevStats.Sum([rx.Counters], [tx.Counters]);
        lock (statsLock)
        {
            if (disposed)
            {
                return s;
            }

            // pcap_stats reads the socket's counters (getsockopt PACKET_STATISTICS) into totals of libpcap's own,
            // which the rx path does not touch, so it is safe beside a polling thread. Interface-wide drops
            // (ps_ifdrop) are left out: they are not this port's.
            if (device.Statistics is PcapStatistics k)
            {
                s = s with { RxDropped = s.RxDropped + k.DroppedPackets };
            }
        }

        return s;
    }

    /// <summary>Closes the capture handle and frees the pool. Stop polling first.</summary>
    public void Dispose()
    {
        lock (statsLock)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        device.Dispose();
        rx.Pool.Dispose();
    }

    private static PcapInterface FindInterface(string name)
    {
        IReadOnlyList<PcapInterface> all;
        try
        {
            all = PcapInterface.GetAllPcapInterfaces();
        }
        catch (Exception e) when (e is PcapException or DllNotFoundException or TypeInitializationException)
        {
            throw new PcapNetdevException($"pcap port '{name}': cannot list interfaces through libpcap: {Reason(e)}", (e as PcapException)?.Error, e);
        }

        foreach (PcapInterface i in all)
        {
            if (i.Name == name)
            {
                return i;
            }
        }

        throw new PcapNetdevException($"pcap port '{name}': no such network interface (libpcap lists {all.Count} device(s), none by that name)", PcapError.NoSuchDevice);
    }

    private static void Open(LibPcapLiveDevice dev, int maxPacket, PcapOptions o)
    {
        string name = o.InterfaceName;
        var config = new DeviceConfiguration
        {
            Mode = o.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,

            // A packet longer than a frame is dropped anyway; one byte more tells "fits" from "was cut".
            Snaplen = maxPacket + 1,
            Immediate = true,
            BufferSize = o.KernelBufferBytes,

            // Immaterial once non-blocking, but keeps a stray blocking read short.
            ReadTimeout = 1,
        };
        try
        {
            dev.Open(config);
        }
        catch (PcapException e)
        {
            throw new PcapNetdevException($"pcap port '{name}': cannot open: {Describe(dev, e)}", e.Error, e);
        }
        catch (PlatformNotSupportedException e)
        {
            throw new PcapNetdevException($"pcap port '{name}': immediate mode is not supported by libpcap {SharpPcap.Pcap.Version}", PcapError.PlatformNotSupported, e);
        }

        try
        {
            dev.NonBlockingMode = true;
        }
        catch (PcapException e)
        {
            throw new PcapNetdevException($"pcap port '{name}': cannot make the handle non-blocking: {Describe(dev, e)}", e.Error, e);
        }

        int direction = o.Direction == PcapDirection.In ? LibPcapNative.DirectionIn : LibPcapNative.DirectionInOut;
        int rc;
        try
        {
            rc = LibPcapNative.SetDirection(dev.Handle, direction);
        }
        catch (DllNotFoundException e)
        {
            throw new PcapNetdevException($"pcap port '{name}': cannot set the capture direction: {e.Message}", null, e);
        }

        if (rc != 0)
        {
            throw new PcapNetdevException($"pcap port '{name}': cannot capture {o.Direction} only: {SafeLastError(dev) ?? $"error {rc}"}", (PcapError)rc);
        }
    }

    private static string Describe(LibPcapLiveDevice dev, PcapException e)
    {
        // SharpPcap's activation message carries only the code; libpcap's error buffer has the reason.
        string? detail = SafeLastError(dev);
        string text = $"{e.Message} ({e.Error})";
        return string.IsNullOrWhiteSpace(detail) || e.Message.Contains(detail, StringComparison.Ordinal) ? text : $"{text}: {detail}";
    }

    private static string? SafeLastError(LibPcapLiveDevice dev)
    {
        try
        {
            return dev.Handle.IsInvalid || dev.Handle.IsClosed ? null : dev.LastError;
        }
        catch (Exception e) when (e is PcapException or ObjectDisposedException)
        {
            return null;
        }
    }

    private static string Reason(Exception e) => e is TypeInitializationException { InnerException: { } inner } ? inner.Message : e.Message;
}
