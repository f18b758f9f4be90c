using System.Runtime.InteropServices;

namespace FastPath.Native;

/// <summary>Kernel counters of one AF_XDP socket (XDP_STATISTICS); the layout of fp_xsk_stats.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct AfxdpStatistics
{
    /// <summary>Packets dropped because no fill-ring frame was available or the packet did not fit a frame.</summary>
    public readonly ulong RxDropped;

    /// <summary>Invalid addresses found in the fill ring.</summary>
    public readonly ulong RxInvalidDescriptors;

    /// <summary>Invalid descriptors found in the tx ring (those frames never complete).</summary>
    public readonly ulong TxInvalidDescriptors;

    /// <summary>Packets dropped because the rx ring was full.</summary>
    public readonly ulong RxRingFull;

    /// <summary>Times the kernel found the fill ring empty.</summary>
    public readonly ulong RxFillRingEmpty;

    /// <summary>Times a transmit wakeup found the tx ring empty.</summary>
    public readonly ulong TxRingEmpty;

    /// <inheritdoc />
    public override string ToString() =>
        $"rx_dropped={RxDropped} rx_invalid={RxInvalidDescriptors} tx_invalid={TxInvalidDescriptors} " +
        $"rx_ring_full={RxRingFull} fill_empty={RxFillRingEmpty} tx_ring_empty={TxRingEmpty}";
}
