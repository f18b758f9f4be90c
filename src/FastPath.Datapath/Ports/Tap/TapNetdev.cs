using System.Runtime.InteropServices;
using System.Text;
using FastPath.Packets;

namespace FastPath.Datapath.Ports.Tap;

/// <summary>
/// A kernel tap device (Open vSwitch's <c>internal</c> / <c>tap</c> port of a netdev bridge): what the datapath
/// sends to it reaches the host's network stack as if received on interface <see cref="Name"/>, and what the
/// host sends out of that interface arrives here. One queue each way; the descriptor is non-blocking.
/// </summary>
/// <remarks>
/// The device lives as long as this object holds its descriptor (it is not made persistent), so a switch that
/// dies takes its bridge interfaces with it, as ovs-vswitchd's do. One read or write system call per packet:
/// the LOCAL port carries management traffic, not line rate.
/// </remarks>
public sealed unsafe class TapNetdev : INetdev
{
    private readonly TapRxQueue rx;
    private readonly TapTxQueue tx;
    private readonly PacketPool pool;
    private int fd;

    /// <summary>Creates (or attaches to an existing non-persistent-owned) tap interface <paramref name="name"/>.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="frameCount">Frames in the receive pool.</param>
    /// <param name="idleIntervalCycles">How long an empty read silences the receive queue, in TSC cycles (null: <see cref="IdlePollBackoff.DefaultIntervalCycles"/>; 0: read on every poll).</param>
    /// <exception cref="TapNetdevException">The kernel refused: the message says why.</exception>
    public TapNetdev(string name, int frameCount = 1024, ulong? idleIntervalCycles = null)
    {
        if (string.IsNullOrEmpty(name) || Encoding.UTF8.GetByteCount(name) >= TapNative.IfNameSize || name.Contains('/', StringComparison.Ordinal))
        {
            throw new TapNetdevException($"{name}: not a valid interface name");
        }

        fd = TapNative.Open("/dev/net/tun", TapNative.ORdWr | TapNative.ONonBlock | TapNative.OCloExec);
        if (fd < 0)
        {
            throw new TapNetdevException($"/dev/net/tun: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        TapNative.IfReq req = default;
        Encoding.UTF8.GetBytes(name, new Span<byte>(req.Name, TapNative.IfNameSize));
        req.Flags = TapNative.IffTap | TapNative.IffNoPi;
        if (TapNative.Ioctl(fd, TapNative.TunSetIff, &req) < 0)
        {
            string why = Marshal.GetLastPInvokeErrorMessage();
            TapNative.Close(fd);
            fd = -1;
            throw new TapNetdevException($"{name}: could not create tap device ({why})");
        }

        Name = name;
        pool = new PacketPool(frameCount);
        rx = new TapRxQueue(fd, pool, idleIntervalCycles ?? IdlePollBackoff.DefaultIntervalCycles);
        tx = new TapTxQueue(fd);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Type => "tap";

    /// <inheritdoc />
    public int RxQueueCount => 1;

    /// <inheritdoc />
    public int TxQueueCount => 1;

    /// <inheritdoc />
    public IRxQueue GetRxQueue(int index) => index == 0 ? rx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public ITxQueue GetTxQueue(int index) => index == 0 ? tx : throw new ArgumentOutOfRangeException(nameof(index));

    /// <inheritdoc />
    public NetdevStats GetStats() => NetdevStats.Sum([rx.Counters], [tx.Counters]);

    /// <summary>Closes the descriptor, which removes the interface, and frees the pool. Stop polling first.</summary>
    public void Dispose()
    {
        int f = Interlocked.Exchange(ref fd, -1);
        if (f >= 0)
        {
            TapNative.Close(f);
            pool.Dispose();
        }
    }
}
