using System.Diagnostics;
using System.Net;
using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Afxdp;
using FastPath.Datapath.Tests.Afxdp;
using FastPath.Native;
using FastPath.Packets;
using Xunit.Abstractions;

namespace FastPath.Datapath.Tests.Net;

/// <summary>
/// Two PMDs, three two-queue afxdp ports on veth (two of them sharing one UMEM), every port flooding to
/// the other two, while rx queues are moved between the PMDs under traffic. Every frame of every UMEM is
/// driven by one thread at a time only if each queue takes frames through a pool of its own: with one pool
/// per rx/tx queue pair, a moved rx queue and the tx queue left behind push and pop one free stack from two
/// threads, and frames are lost, handed out twice (a packet delivered twice, or with another's bytes), or
/// put in the fill ring twice.
/// </summary>
[Collection(AfxdpCollection.Name)]
public class AfxdpPoolOwnershipTests(ITestOutputHelper output)
{
    private const int Ports = 3;
    private const int FramesPerSender = 1500;
    private const int FrameCount = 512;
    private static readonly TimeSpan SocketTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan TrafficLimit = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public void RxQueuesMovingBetweenPmdsUnderTrafficNeverShareAPool()
    {
        SkipUnlessNetworkTestsCanRun();

        using var topo = new NetnsTopology();
        var (ns, veth) = Namespaces(topo, "own", 2);

        var ports = new AfxdpNetdev[Ports];
        var dp = new NetdevDatapath([-1, -1]);
        var sockets = new List<RawEthernetSocket>();
        try
        {
            dp.Start();
            ports[0] = new AfxdpNetdev(Options(veth[0].RootName));
            ports[1] = new AfxdpNetdev(Options(veth[1].RootName));

            // Ports 2 and 3 share one UMEM: forwarding between them is zero-copy, and a frame received on
            // one PMD completes its transmit on whichever PMD sent it.
            ports[2] = new AfxdpNetdev(Options(veth[2].RootName, shareWith: ports[1]));
            for (int i = 0; i < Ports; i++)
            {
                dp.AddPort(ports[i], (uint)(i + 1));
            }

            // Each port floods to the other two: the first output is a clone from the rx pool, the second
            // the original; each lands in the other port's UMEM by copy, or zero-copy between ports 2 and 3.
            for (uint p = 1; p <= Ports; p++)
            {
                uint a = (p % Ports) + 1;
                uint b = (a % Ports) + 1;
                dp.PutFlow(new MatchBuilder().InPort(p).Build(), new ActionProgramBuilder().Output(a).Output(b).ToArray());
            }

            // Receivers: in each namespace, one capture per other namespace's senders (told apart by UDP port).
            var captures = new List<(int From, int To, UdpFrameCapture Capture)>();
            for (int to = 0; to < Ports; to++)
            {
                for (int from = 0; from < Ports; from++)
                {
                    if (from != to)
                    {
                        RawEthernetSocket s = topo.RunIn(ns[to], () => RawEthernetSocket.Open(veth[to].HostName, SocketTimeout));
                        sockets.Add(s);
                        captures.Add((from, to, new UdpFrameCapture(s, DstPort(from), 2 * FramesPerSender, TrafficLimit)));
                    }
                }
            }

            // Senders: two threads per namespace, one pinned to each core.
            var frames = new List<byte[]>[Ports];
            var senders = new List<Thread>();
            var sendErrors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            for (int from = 0; from < Ports; from++)
            {
                frames[from] = BuildFrames(from, veth[from].HostMac);
                for (int half = 0; half < 2; half++)
                {
                    RawEthernetSocket s = topo.RunIn(ns[from], () => RawEthernetSocket.Open(veth[from].HostName, SocketTimeout));
                    sockets.Add(s);
                    List<byte[]> mine = frames[from].Skip(half * FramesPerSender).Take(FramesPerSender).ToList();
                    int core = half;
                    senders.Add(new Thread(() => Send(s, mine, core, sendErrors)) { IsBackground = true });
                }
            }

            // Moves queues while the traffic runs: rebalances by measured load, and explicit moves of every queue.
            var stopMoving = new CancellationTokenSource();
            int moves = 0;
            Exception? moveError = null;
            var mover = new Thread(() =>
            {
                try
                {
                    var rng = new Random(12);
                    var sw = Stopwatch.StartNew();
                    while (!stopMoving.IsCancellationRequested && sw.Elapsed < TrafficLimit)
                    {
                        if (moves % 4 == 3)
                        {
                            dp.Rebalance(RxqAssignment.Cycles);
                        }
                        else
                        {
                            dp.MoveRxQueue((uint)rng.Next(1, Ports + 1), rng.Next(2), rng.Next(2));
                        }

                        moves++;
                        Thread.Sleep(2);
                    }
                }
                catch (Exception e)
                {
                    moveError = e;
                }
            })
            { IsBackground = true };

            mover.Start();
            senders.ForEach(t => t.Start());
            senders.ForEach(t => Assert.True(t.Join(TrafficLimit), "a sender did not finish"));
            Assert.Empty(sendErrors);

            // What is still in flight lands within moments; a capture that got everything has already ended.
            Thread.Sleep(1500);
            captures.ForEach(c => c.Capture.Dispose());
            var results = captures.Select(c => (c.From, c.To, Got: c.Capture.Wait(), c.Capture.Duplicates)).ToList();
            stopMoving.Cancel();
            mover.Join();
            Assert.Null(moveError);

            // Every PMD stops (and flushes) before the audit; the ports stay open until it is done.
            foreach (PmdThread pmd in dp.Pmds)
            {
                pmd.Stop();
            }

            long delivered = 0;
            foreach (var (from, to, got, duplicates) in results)
            {
                output.WriteLine($"ns{from + 1} -> ns{to + 1}: {got.Count} of {2 * FramesPerSender}, {duplicates} duplicate(s)");
                Assert.Equal(0, duplicates);
                foreach (var (seq, frame) in got)
                {
                    Assert.True(frame.AsSpan().SequenceEqual(frames[from][seq]), $"ns{from + 1} frame {seq} arrived in ns{to + 1} with other bytes");
                }

                delivered += got.Count;
            }

            IReadOnlyList<PmdStatsSnapshot> stats = dp.Pmds.Select(p => p.PeekStats()).ToList();
            for (int i = 0; i < stats.Count; i++)
            {
                PmdStatsSnapshot s = stats[i];
                output.WriteLine($"pmd {i}: packets={s.Packets} misses={s.Misses} drops={s.ActionDrops} clone-failures={s.CloneFailures} faults={s.PacketFaults}/{s.CommandFaults}");
                Assert.Equal(0, s.PacketFaults + s.CommandFaults);
            }

            output.WriteLine($"{moves} queue moves, {delivered} frames delivered of {Ports * 2 * 2 * FramesPerSender}");
            Assert.True(moves >= 20, $"only {moves} moves happened under traffic");
            for (int i = 0; i < Ports; i++)
            {
                Assert.True(ports[i].GetRxQueue(0).Counters.Packets > 0 && ports[i].GetRxQueue(1).Counters.Packets > 0, $"port {i + 1} did not receive on both queues");
            }

            // Lossy under load is allowed (rings overflow on two shared cores); broken frames are not.
            Assert.True(delivered > Ports * 2 * 2 * FramesPerSender / 4, $"only {delivered} frames delivered");
            AssertEveryFrameAccountedFor(ports[0]);
            AssertEveryFrameAccountedFor(ports[1], ports[2]);
        }
        finally
        {
            dp.Dispose();
            foreach (AfxdpNetdev? p in ports)
            {
                p?.Dispose();
            }

            sockets.ForEach(s => s.Dispose());
        }
    }

    [SkippableFact]
    public void TwoPmdsSendToOneSingleQueueVethUnderItsLock()
    {
        SkipUnlessNetworkTestsCanRun();

        // Ports 1 and 2 are polled by different PMDs; both send to port 3, a single-queue veth, so the two
        // PMDs share its one tx queue (and its pool) under the queue's lock.
        using var topo = new NetnsTopology();
        var (ns, veth) = Namespaces(topo, "xps", 1);

        var ports = new AfxdpNetdev[Ports];
        var dp = new NetdevDatapath([-1, -1]);
        var sockets = new List<RawEthernetSocket>();
        try
        {
            dp.Start();
            for (int i = 0; i < Ports; i++)
            {
                ports[i] = new AfxdpNetdev(new AfxdpOptions(veth[i].RootName) { FrameCount = FrameCount, FillRingSize = 256, CompletionRingSize = 256, TxRingSize = 256 });
                dp.AddPort(ports[i], (uint)(i + 1));
            }

            Assert.NotSame(dp.Placement[(1, 0)], dp.Placement[(2, 0)]);
            dp.PutFlow(new MatchBuilder().InPort(1).Build(), new ActionProgramBuilder().Output(3).ToArray());
            dp.PutFlow(new MatchBuilder().InPort(2).Build(), new ActionProgramBuilder().Output(3).ToArray());

            RawEthernetSocket Open(int i)
            {
                RawEthernetSocket s = topo.RunIn(ns[i], () => RawEthernetSocket.Open(veth[i].HostName, SocketTimeout));
                sockets.Add(s);
                return s;
            }

            var captures = new[] { 0, 1 }.Select(from => new UdpFrameCapture(Open(2), DstPort(from), 2 * FramesPerSender, TrafficLimit)).ToList();
            var frames = new[] { BuildFrames(0, veth[0].HostMac), BuildFrames(1, veth[1].HostMac) };
            var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            var senders = new[] { 0, 1 }.Select(from =>
            {
                RawEthernetSocket s = Open(from);
                return new Thread(() => Send(s, frames[from], from, errors)) { IsBackground = true };
            }).ToList();
            senders.ForEach(t => t.Start());
            senders.ForEach(t => Assert.True(t.Join(TrafficLimit), "a sender did not finish"));
            Assert.Empty(errors);
            Thread.Sleep(1500);
            captures.ForEach(c => c.Dispose());
            foreach (PmdThread pmd in dp.Pmds)
            {
                pmd.Stop();
            }

            long delivered = 0;
            for (int from = 0; from < 2; from++)
            {
                Dictionary<int, byte[]> got = captures[from].Wait();
                output.WriteLine($"ns{from + 1} -> ns3: {got.Count} of {2 * FramesPerSender}, {captures[from].Duplicates} duplicate(s)");
                Assert.Equal(0, captures[from].Duplicates);
                foreach (var (seq, frame) in got)
                {
                    Assert.True(frame.AsSpan().SequenceEqual(frames[from][seq]), $"ns{from + 1} frame {seq} arrived with other bytes");
                }

                delivered += got.Count;
            }

            List<PmdStatsSnapshot> stats = dp.Pmds.Select(p => p.PeekStats()).ToList();
            Assert.All(stats, s => Assert.True(s.Packets > 0, "both PMDs forwarded"));
            Assert.All(stats, s => Assert.Equal(0, s.PacketFaults + s.CommandFaults));
            AfxdpTxQueue tx = ports[2].GetAfxdpTxQueue(0);
            output.WriteLine($"port 3: {tx.Counters.Packets} sent, {tx.Counters.Dropped} dropped, {tx.CopiedSubmits} copied; pmds: {stats[0].Packets} + {stats[1].Packets}");
            Assert.True(delivered > 2 * 2 * FramesPerSender / 2, $"only {delivered} frames delivered");
            AssertEveryFrameAccountedFor(ports[2]);
        }
        finally
        {
            dp.Dispose();
            foreach (AfxdpNetdev? p in ports)
            {
                p?.Dispose();
            }

            sockets.ForEach(s => s.Dispose());
        }
    }

    private static void SkipUnlessNetworkTestsCanRun()
    {
        string? why = NetnsTopology.Unavailable();
        if (why != null)
        {
            Console.WriteLine($"{nameof(AfxdpPoolOwnershipTests)} skipped: {why}");
        }

        Skip.If(why != null, why);
        AfxdpLibrary.SetLibraryLogLevel(1);
    }

    /// <summary>One namespace per port, each joined to the root namespace by a veth with <paramref name="queues"/> queues.</summary>
    private static (string[] Namespaces, NetnsTopology.VethPair[] Veths) Namespaces(NetnsTopology topo, string tag, int queues)
    {
        var ns = new string[Ports];
        var veth = new NetnsTopology.VethPair[Ports];
        for (int i = 0; i < Ports; i++)
        {
            ns[i] = topo.AddNamespace($"{tag}{i + 1}");
            veth[i] = topo.AddVeth(ns[i], queues);
        }

        return (ns, veth);
    }

    private static AfxdpOptions Options(string ifname, AfxdpNetdev? shareWith = null) =>
        new(ifname) { Queues = 2, FrameCount = FrameCount, FillRingSize = 256, RxRingSize = 256, TxRingSize = 256, CompletionRingSize = 256, ShareUmemWith = shareWith };

    private static ushort DstPort(int from) => (ushort)(47610 + from);

    private static List<byte[]> BuildFrames(int from, byte[] srcMac)
    {
        byte[] broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        var dst = IPAddress.Parse("10.210.99.1");

        // The source address varies so the kernel's flow hash spreads the frames over both veth queues.
        return Enumerable.Range(0, 2 * FramesPerSender)
            .Select(i => ChecksummedUdpFrames.Build(srcMac, broadcast, IPAddress.Parse($"10.210.{from}.{1 + (i % 250)}"), dst, DstPort(from), i, payloadLength: 60 + (i % 700)))
            .ToList();
    }

    private static void Send(RawEthernetSocket s, List<byte[]> frames, int core, System.Collections.Concurrent.ConcurrentQueue<Exception> errors)
    {
        try
        {
            Cpu.PinCurrentThread(core);
            for (int i = 0; i < frames.Count; i++)
            {
                s.Send(frames[i]);
                if (i % 8 == 7)
                {
                    Thread.Sleep(1);
                }
            }
        }
        catch (Exception e)
        {
            errors.Enqueue(e);
        }
    }

    /// <summary>Every frame of the ports' shared region is free exactly once, in a fill/rx ring, or on its way out.</summary>
    private void AssertEveryFrameAccountedFor(params AfxdpNetdev[] sharing)
    {
        for (int q = 0; q < sharing[0].RxQueueCount; q++)
        {
            FrameRegion region = sharing[0].GetRxQueue(q).Pool.Region;
            List<uint> free = region.SnapshotFreeFrames();
            int inKernel = sharing.Sum(p => p.GetAfxdpRxQueue(q).FramesInKernel);
            int outstanding = sharing.Sum(p => p.GetAfxdpTxQueue(q).Outstanding);
            output.WriteLine($"{sharing[0].Name} queue {q}: {free.Count} free, {inKernel} in the kernel, {outstanding} in flight");
            Assert.Equal(free.Count, free.Distinct().Count());
            Assert.Equal(region.FrameCount, free.Count + inKernel + outstanding);
        }
    }
}
