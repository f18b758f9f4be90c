using System.Diagnostics;
using FastPath.Datapath.Ports.Afxdp;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Afxdp;

/// <summary>
/// A bounded stand-in for a PMD thread: moves packets from every rx queue of one port to tx queue 0
/// of another (or the same) port, optionally editing each packet, until stopped or its time is up.
/// One thread drives every queue involved, as the port's threading contract asks.
/// </summary>
internal sealed class ForwardingLoop
{
    private readonly AfxdpNetdev from;
    private readonly AfxdpNetdev to;
    private readonly TimeSpan limit;
    private readonly Action<Span<byte>>? edit;
    private readonly Thread thread;
    private volatile bool stop;
    private long forwarded;

    public ForwardingLoop(AfxdpNetdev from, AfxdpNetdev to, TimeSpan limit, Action<Span<byte>>? edit = null)
    {
        this.from = from;
        this.to = to;
        this.limit = limit;
        this.edit = edit;
        thread = new Thread(Run) { Name = "afxdp-forwarder", IsBackground = true };
    }

    /// <summary>Packets handed to the destination's tx queue.</summary>
    public long Forwarded => Interlocked.Read(ref forwarded);

    /// <summary>Packets that arrived on the destination port and were dropped (ARP, ICMP errors, ...).</summary>
    public long DrainedFromDestination { get; private set; }

    /// <summary>GC heap bytes the loop thread allocated from its first forwarded batch to its end (should be 0).</summary>
    public long AllocatedBytesWhileForwarding { get; private set; }

    /// <summary>An exception the loop died of.</summary>
    public Exception? Error { get; private set; }

    public void Start() => thread.Start();

    /// <summary>Stops the loop, lets it wait (bounded) for outstanding transmissions, and joins it.</summary>
    public void StopAndJoin()
    {
        stop = true;
        if (!thread.Join(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("forwarding loop did not stop");
        }

        if (Error != null)
        {
            throw new InvalidOperationException("forwarding loop failed", Error);
        }
    }

    private void Run()
    {
        try
        {
            AfxdpTxQueue tx = to.GetAfxdpTxQueue(0);
            var batch = new PacketBatch();
            var sw = Stopwatch.StartNew();
            long allocatedAtFirstBatch = -1;
            while (!stop && sw.Elapsed < limit)
            {
                int moved = 0;
                for (int q = 0; q < from.RxQueueCount; q++)
                {
                    AfxdpRxQueue rx = from.GetAfxdpRxQueue(q);
                    batch.Clear();
                    int n = rx.Receive(ref batch);
                    if (n == 0)
                    {
                        continue;
                    }

                    if (edit != null)
                    {
                        foreach (ref Packet p in batch.Packets)
                        {
                            edit(rx.Pool.GetData(p));
                        }
                    }

                    tx.Send(rx.Pool, ref batch);
                    moved += n;
                }

                if (moved > 0 && allocatedAtFirstBatch < 0)
                {
                    // Measured from here, after the first batch warmed up every path.
                    allocatedAtFirstBatch = GC.GetAllocatedBytesForCurrentThread();
                }

                Interlocked.Add(ref forwarded, moved);
                tx.Poll();
                if (!ReferenceEquals(from, to))
                {
                    DrainDestination(ref batch);
                }

                if (moved == 0)
                {
                    Thread.Yield();
                }
            }

            if (allocatedAtFirstBatch >= 0)
            {
                AllocatedBytesWhileForwarding = GC.GetAllocatedBytesForCurrentThread() - allocatedAtFirstBatch;
            }

            // Frames still on the tx ring belong to the pool until the kernel completes them.
            var drain = Stopwatch.StartNew();
            while (tx.Outstanding > 0 && drain.Elapsed < TimeSpan.FromSeconds(2))
            {
                tx.Poll();
                Thread.Yield();
            }
        }
        catch (Exception e)
        {
            Error = e;
        }
    }

    private void DrainDestination(ref PacketBatch batch)
    {
        for (int q = 0; q < to.RxQueueCount; q++)
        {
            AfxdpRxQueue rx = to.GetAfxdpRxQueue(q);
            batch.Clear();
            if (rx.Receive(ref batch) > 0)
            {
                foreach (ref Packet p in batch.Packets)
                {
                    rx.Pool.Free(p);
                }

                DrainedFromDestination += batch.Count;
            }
        }
    }
}
