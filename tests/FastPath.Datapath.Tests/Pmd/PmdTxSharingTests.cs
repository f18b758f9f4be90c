using System.Diagnostics;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Memory;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>
/// Ports with fewer tx queues than PMDs (OVS's XPS): the PMDs share the queue under its lock, taken per
/// batch, so the queue never sees two senders at once and nothing is lost.
/// </summary>
public class PmdTxSharingTests
{
    [Fact]
    public void TwoPmdsSendToOneSingleQueuePortOneBatchAtATime()
    {
        using var dp = new NetdevDatapath([-1, -1]);
        dp.Start();
        var p1 = new MemoryNetdev("p1", frameCount: 512);
        var p2 = new MemoryNetdev("p2", frameCount: 512);
        var sink = new OneSenderAtATimeNetdev();
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        dp.AddPort(sink, 3);
        Assert.NotSame(dp.Placement[(1, 0)], dp.Placement[(2, 0)]);
        dp.PutFlow(new MatchBuilder().InPort(1).Build(), new ActionProgramBuilder().Output(3).ToArray());
        dp.PutFlow(new MatchBuilder().InPort(2).Build(), new ActionProgramBuilder().Output(3).ToArray());

        const int PerPort = 3000;
        var feeders = new[] { p1, p2 }.Select((p, k) => new Thread(() =>
        {
            for (int i = 0; i < PerPort; i++)
            {
                p.Inject(TestPackets.Udp4($"10.0.{k}.1", "10.0.9.9", (ushort)(1000 + (i % 64)), 2));
                if (i % 256 == 255)
                {
                    Thread.Sleep(1); // the memory port's pool holds 512 frames: stay below it
                }
            }
        })).ToList();
        feeders.ForEach(t => t.Start());
        feeders.ForEach(t => t.Join());

        var sw = Stopwatch.StartNew();
        while (sink.Sent < 2 * PerPort && sw.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(5);
        }

        Assert.Equal(0, p1.GetStats().RxDropped + p2.GetStats().RxDropped);
        Assert.Equal(2 * PerPort, sink.Sent);
        Assert.Equal(1, sink.MostSendersAtOnce);
        Assert.True(sink.Batches < 2 * PerPort, "sent in batches, not packet by packet");
        IReadOnlyList<PmdStatsSnapshot> stats = dp.GetPmdStats();
        Assert.All(stats, s => Assert.True(s.Packets > 0, "both PMDs forwarded"));
    }

    /// <summary>A single-queue port whose tx queue records how many threads were inside it at once.</summary>
    private sealed class OneSenderAtATimeNetdev : INetdev, ITxQueue
    {
        private int inside;
        private int most;
        private long sent;
        private long batches;

        public string Name => "one-queue";

        public string Type => "memory";

        public int RxQueueCount => 0;

        public int TxQueueCount => 1;

        public QueueCounters Counters { get; } = new();

        public long Sent => Interlocked.Read(ref sent);

        public long Batches => Interlocked.Read(ref batches);

        public int MostSendersAtOnce => Volatile.Read(ref most);

        public IRxQueue GetRxQueue(int index) => throw new ArgumentOutOfRangeException(nameof(index));

        public ITxQueue GetTxQueue(int index) => index == 0 ? this : throw new ArgumentOutOfRangeException(nameof(index));

        public NetdevStats GetStats() => default;

        public void Dispose()
        {
        }

        public void Send(PacketPool from, ref PacketBatch batch)
        {
            Enter();

            // Linger, so that an unlocked second sender would be caught inside.
            Thread.SpinWait(2000);
            foreach (ref Packet p in batch.Packets)
            {
                from.Free(p);
            }

            Interlocked.Add(ref sent, batch.Count);
            Interlocked.Increment(ref batches);
            batch.Clear();
            Interlocked.Decrement(ref inside);
        }

        public void Poll()
        {
            Enter();
            Thread.SpinWait(200);
            Interlocked.Decrement(ref inside);
        }

        private void Enter()
        {
            int now = Interlocked.Increment(ref inside);
            int seen;
            while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen)
            {
            }
        }
    }
}
