namespace FastPath.Datapath.Ports;

/// <summary>
/// A port provider's device (Open vSwitch's netdev): a set of receive and transmit queues plus counters.
/// Each queue is used by one PMD thread at a time, so queues need no locks.
/// </summary>
public interface INetdev : IDisposable
{
    /// <summary>Device name (interface name, file name, ...).</summary>
    string Name { get; }

    /// <summary>Provider type: afxdp, pcap, replay, null, memory.</summary>
    string Type { get; }

    /// <summary>Number of receive queues.</summary>
    int RxQueueCount { get; }

    /// <summary>Number of transmit queues.</summary>
    int TxQueueCount { get; }

    /// <summary>Receive queue <paramref name="index"/>.</summary>
    IRxQueue GetRxQueue(int index);

    /// <summary>Transmit queue <paramref name="index"/>.</summary>
    ITxQueue GetTxQueue(int index);

    /// <summary>Counters summed over all queues (safe to call from any thread; values may be slightly stale).</summary>
    NetdevStats GetStats();
}
