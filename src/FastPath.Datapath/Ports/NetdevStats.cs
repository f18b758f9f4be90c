namespace FastPath.Datapath.Ports;

/// <summary>A snapshot of a port's counters, as ovs-ofctl dump-ports shows them.</summary>
public readonly record struct NetdevStats(
    long RxPackets, long RxBytes, long RxDropped, long RxErrors,
    long TxPackets, long TxBytes, long TxDropped, long TxErrors)
{
    /// <summary>
    /// Sums the counters of a device's queues, given in spans: a device with one queue each way passes
    /// <c>[rx.Counters]</c>, which then lives on the stack (the daemon reads every port's statistics every 5 s).
    /// </summary>
    public static NetdevStats Sum(ReadOnlySpan<QueueCounters> rx, ReadOnlySpan<QueueCounters> tx)
    {
        Totals r = default, t = default;
        foreach (QueueCounters c in rx)
        {
            r.Add(c);
        }

        foreach (QueueCounters c in tx)
        {
            t.Add(c);
        }

        return Of(r, t);
    }

    /// <summary>Sums the counters of a device's queues (copied into arrays first: the span overload is the allocation-free one).</summary>
    public static NetdevStats Sum(IEnumerable<QueueCounters> rx, IEnumerable<QueueCounters> tx) => Sum([.. rx], [.. tx]);

    private static NetdevStats Of(in Totals rx, in Totals tx) =>
        new(rx.Packets, rx.Bytes, rx.Dropped, rx.Errors, tx.Packets, tx.Bytes, tx.Dropped, tx.Errors);

    // One direction's running totals, each queue's counters read once.
    private struct Totals
    {
        public long Packets, Bytes, Dropped, Errors;

        public void Add(QueueCounters c)
        {
            Packets += Volatile.Read(ref c.Packets);
            Bytes += Volatile.Read(ref c.Bytes);
            Dropped += Volatile.Read(ref c.Dropped);
            Errors += Volatile.Read(ref c.Errors);
        }
    }
}
