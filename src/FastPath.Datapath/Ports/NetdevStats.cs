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
        long rp = 0, rb = 0, rd = 0, re = 0, tp = 0, tb = 0, td = 0, te = 0;
        foreach (QueueCounters c in rx)
        {
            rp += Volatile.Read(ref c.Packets);
            rb += Volatile.Read(ref c.Bytes);
            rd += Volatile.Read(ref c.Dropped);
            re += Volatile.Read(ref c.Errors);
        }

        foreach (QueueCounters c in tx)
        {
            tp += Volatile.Read(ref c.Packets);
            tb += Volatile.Read(ref c.Bytes);
            td += Volatile.Read(ref c.Dropped);
            te += Volatile.Read(ref c.Errors);
        }

        return new NetdevStats(rp, rb, rd, re, tp, tb, td, te);
    }

    /// <summary>Sums the counters of a device's queues.</summary>
    public static NetdevStats Sum(IEnumerable<QueueCounters> rx, IEnumerable<QueueCounters> tx)
    {
        long rp = 0, rb = 0, rd = 0, re = 0, tp = 0, tb = 0, td = 0, te = 0;
        foreach (QueueCounters c in rx)
        {
            rp += Volatile.Read(ref c.Packets);
            rb += Volatile.Read(ref c.Bytes);
            rd += Volatile.Read(ref c.Dropped);
            re += Volatile.Read(ref c.Errors);
        }

        foreach (QueueCounters c in tx)
        {
            tp += Volatile.Read(ref c.Packets);
            tb += Volatile.Read(ref c.Bytes);
            td += Volatile.Read(ref c.Dropped);
            te += Volatile.Read(ref c.Errors);
        }

        return new NetdevStats(rp, rb, rd, re, tp, tb, td, te);
    }
}
