using System.Collections.Concurrent;
using System.Diagnostics;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Afxdp;
using FastPath.Native;
using FastPath.Packets;
using Xunit.Abstractions;

namespace FastPath.Datapath.Tests.Afxdp;

/// <summary>
/// The afxdp port on veth pairs: datapath ends in the root namespace, host ends in namespaces this
/// test creates. Runs for real as root; skips with the reason otherwise.
/// </summary>
[Collection(AfxdpCollection.Name)]
public class AfxdpNetdevTests(ITestOutputHelper output)
{
    private const ushort UdpPort = 47474;
    private static readonly TimeSpan SocketTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan TransferLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public void OpeningAMissingInterfaceFailsWithENODEV()
    {
        var e = Assert.Throws<AfxdpException>(() => new AfxdpNetdev(new AfxdpOptions("fptnosuch0")));
        Assert.Equal(AfxdpErrno.ENODEV, e.Errno);
        Assert.Contains("'fptnosuch0'", e.Message, StringComparison.Ordinal);
        Assert.Contains("no such network interface", e.Message, StringComparison.Ordinal);
        output.WriteLine(e.Message);
    }

    [Fact]
    public void InvalidOptionsAreRejectedBeforeTouchingTheKernel()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AfxdpNetdev(new AfxdpOptions("x") { RxRingSize = 1000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AfxdpNetdev(new AfxdpOptions("x") { FrameSize = 1024 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AfxdpNetdev(new AfxdpOptions("x") { Queues = 0 }));
        Assert.Throws<ArgumentException>(() => new AfxdpNetdev(new AfxdpOptions("x") { XdpMode = AfxdpXdpMode.Generic, CopyMode = AfxdpCopyMode.ZeroCopy }));
    }

    [SkippableFact]
    public void ForwardsUdpBetweenTwoNamespacesIntact()
    {
        SkipUnlessNetworkTestsCanRun();
        using var topo = new NetnsTopology();
        string ns1 = topo.AddNamespace("src");
        string ns2 = topo.AddNamespace("dst");
        NetnsTopology.VethPair a = topo.AddVeth(ns1);
        NetnsTopology.VethPair b = topo.AddVeth(ns2);
        topo.AddAddress(ns1, a.HostName, "10.201.0.1/24");
        topo.AddAddress(ns2, b.HostName, "10.201.0.2/24");
        using RawEthernetSocket sender = topo.RunIn(ns1, () => RawEthernetSocket.Open(a.HostName, SocketTimeout));
        using RawEthernetSocket receiver = topo.RunIn(ns2, () => RawEthernetSocket.Open(b.HostName, SocketTimeout));
        List<byte[]> frames = Frames(a.HostMac, b.HostMac, 1000);

        using (var portA = new AfxdpNetdev(new AfxdpOptions(a.RootName)))
        using (var portB = new AfxdpNetdev(new AfxdpOptions(b.RootName)))
        {
            Report(portA);
            Report(portB);
            Assert.NotEqual(AfxdpXdpMode.Auto, portA.XdpMode);
            Assert.NotEqual(0u, AfxdpLibrary.QueryXdp(a.RootName).ProgramId);

            var loop = new ForwardingLoop(portA, portB, TransferLimit);
            Dictionary<int, byte[]> got = Transfer(sender, receiver, frames, loop, skipOutgoing: false);
            AssertAllIntact(frames, got, edited: false);
            Assert.Equal(0, loop.AllocatedBytesWhileForwarding);

            NetdevStats sa = portA.GetStats();
            NetdevStats sb = portB.GetStats();
            output.WriteLine($"A: {sa}\nB: {sb}\nA kernel: {portA.GetSocketStatistics(0)}\nB kernel: {portB.GetSocketStatistics(0)}");
            Assert.True(sa.RxPackets >= frames.Count, $"port A received {sa.RxPackets}");
            Assert.True(sb.TxPackets >= frames.Count, $"port B sent {sb.TxPackets}");
            Assert.Equal(0, sb.TxDropped);
            Assert.Equal(frames.Count, portB.GetAfxdpTxQueue(0).CopiedSubmits);
            AssertNoFrameLost(portA);
            AssertNoFrameLost(portB);
        }

        // Closing the last socket detaches the XDP program libxdp attached.
        Assert.Equal(0u, AfxdpLibrary.QueryXdp(a.RootName).ProgramId);
        Assert.Equal(0u, AfxdpLibrary.QueryXdp(b.RootName).ProgramId);
    }

    [SkippableFact]
    public void HairpinOnOnePortSendsFramesOfItsOwnUmemWithoutCopy()
    {
        SkipUnlessNetworkTestsCanRun();
        using var topo = new NetnsTopology();
        string ns = topo.AddNamespace("hairpin");
        NetnsTopology.VethPair a = topo.AddVeth(ns);
        using RawEthernetSocket host = topo.RunIn(ns, () => RawEthernetSocket.Open(a.HostName, SocketTimeout));
        List<byte[]> frames = Frames(a.HostMac, a.RootMac, 500);

        using var port = new AfxdpNetdev(new AfxdpOptions(a.RootName));
        Report(port);
        var loop = new ForwardingLoop(port, port, TransferLimit, edit: data => data[UdpTestFrames.EditableOffset] = 0xEE);
        Dictionary<int, byte[]> got = Transfer(host, host, frames, loop, skipOutgoing: true);
        AssertAllIntact(frames, got, edited: true);
        Assert.Equal(0, loop.AllocatedBytesWhileForwarding);

        AfxdpTxQueue tx = port.GetAfxdpTxQueue(0);
        Assert.Equal(frames.Count, tx.ZeroCopySubmits);
        Assert.Equal(0, tx.CopiedSubmits);
        AssertNoFrameLost(port);
    }

    [SkippableFact]
    public void GenericModeWorksWhenAskedFor()
    {
        SkipUnlessNetworkTestsCanRun();
        using var topo = new NetnsTopology();
        string ns1 = topo.AddNamespace("gsrc");
        string ns2 = topo.AddNamespace("gdst");
        NetnsTopology.VethPair a = topo.AddVeth(ns1);
        NetnsTopology.VethPair b = topo.AddVeth(ns2);
        using RawEthernetSocket sender = topo.RunIn(ns1, () => RawEthernetSocket.Open(a.HostName, SocketTimeout));
        using RawEthernetSocket receiver = topo.RunIn(ns2, () => RawEthernetSocket.Open(b.HostName, SocketTimeout));
        List<byte[]> frames = Frames(a.HostMac, b.HostMac, 300);

        using var portA = new AfxdpNetdev(new AfxdpOptions(a.RootName) { XdpMode = AfxdpXdpMode.Generic });
        using var portB = new AfxdpNetdev(new AfxdpOptions(b.RootName) { XdpMode = AfxdpXdpMode.Generic, CopyMode = AfxdpCopyMode.Copy });
        Report(portA);
        Assert.Equal(AfxdpXdpMode.Generic, portA.XdpMode);
        Assert.Equal(AfxdpCopyMode.Copy, portA.CopyMode);
        Assert.Equal(AfxdpXdpAttachMode.Generic, AfxdpLibrary.QueryXdp(a.RootName).Mode);

        var loop = new ForwardingLoop(portA, portB, TransferLimit);
        AssertAllIntact(frames, Transfer(sender, receiver, frames, loop, skipOutgoing: false), edited: false);
        AssertNoFrameLost(portA);
        AssertNoFrameLost(portB);
    }

    [SkippableFact]
    public void TwoQueuesOnAMultiQueueVethForwardEverything()
    {
        SkipUnlessNetworkTestsCanRun();
        using var topo = new NetnsTopology();
        string ns1 = topo.AddNamespace("msrc");
        string ns2 = topo.AddNamespace("mdst");
        NetnsTopology.VethPair a = topo.AddVeth(ns1, queues: 2);
        NetnsTopology.VethPair b = topo.AddVeth(ns2, queues: 2);
        using RawEthernetSocket sender = topo.RunIn(ns1, () => RawEthernetSocket.Open(a.HostName, SocketTimeout));
        using RawEthernetSocket receiver = topo.RunIn(ns2, () => RawEthernetSocket.Open(b.HostName, SocketTimeout));
        List<byte[]> frames = Frames(a.HostMac, b.HostMac, 400);

        using var portA = new AfxdpNetdev(new AfxdpOptions(a.RootName) { Queues = 2, FrameCount = 1024, FillRingSize = 512 });
        using var portB = new AfxdpNetdev(new AfxdpOptions(b.RootName) { Queues = 2, FrameCount = 1024, FillRingSize = 512 });
        Report(portA);
        Assert.Equal(2, portA.RxQueueCount);
        Assert.Equal(2, portA.TxQueueCount);
        Assert.NotSame(portA.GetRxQueue(0).Pool.Region, portA.GetRxQueue(1).Pool.Region);

        var loop = new ForwardingLoop(portA, portB, TransferLimit);
        AssertAllIntact(frames, Transfer(sender, receiver, frames, loop, skipOutgoing: false), edited: false);
        output.WriteLine($"queue 0 received {portA.GetRxQueue(0).Counters.Packets}, queue 1 received {portA.GetRxQueue(1).Counters.Packets}");
        AssertNoFrameLost(portA);
        AssertNoFrameLost(portB);
    }

    [SkippableFact]
    public void PortsSharingOneUmemForwardWithoutCopies()
    {
        SkipUnlessNetworkTestsCanRun();
        using var topo = new NetnsTopology();
        string ns1 = topo.AddNamespace("ssrc");
        string ns2 = topo.AddNamespace("sdst");
        NetnsTopology.VethPair a = topo.AddVeth(ns1);
        NetnsTopology.VethPair b = topo.AddVeth(ns2);
        using RawEthernetSocket sender = topo.RunIn(ns1, () => RawEthernetSocket.Open(a.HostName, SocketTimeout));
        using RawEthernetSocket receiver = topo.RunIn(ns2, () => RawEthernetSocket.Open(b.HostName, SocketTimeout));
        List<byte[]> frames = Frames(a.HostMac, b.HostMac, 500);

        using (var portA = new AfxdpNetdev(new AfxdpOptions(a.RootName)))
        using (var portB = new AfxdpNetdev(new AfxdpOptions(b.RootName) { ShareUmemWith = portA }))
        {
            Report(portA);
            Report(portB);
            AfxdpRxQueue rxA = portA.GetAfxdpRxQueue(0);
            AfxdpRxQueue rxB = portB.GetAfxdpRxQueue(0);
            // One region (the UMEM), but each queue takes frames through a pool of its own.
            Assert.Same(rxA.Pool.Region, rxB.Pool.Region);
            Assert.NotSame(rxA.Pool, rxB.Pool);
            Assert.False(rxA.Socket.SharedUmem);
            Assert.True(rxB.Socket.SharedUmem);

            var loop = new ForwardingLoop(portA, portB, TransferLimit);
            AssertAllIntact(frames, Transfer(sender, receiver, frames, loop, skipOutgoing: false), edited: false);
            Assert.Equal(0, loop.AllocatedBytesWhileForwarding);

            AfxdpTxQueue txB = portB.GetAfxdpTxQueue(0);
            Assert.Equal(frames.Count, txB.ZeroCopySubmits);
            Assert.Equal(0, txB.CopiedSubmits);

            // One region, two fill rings, two tx rings: every frame is accounted for across both ports.
            AfxdpTxQueue txA = portA.GetAfxdpTxQueue(0);
            Assert.Equal(
                portA.Options.FrameCount,
                rxA.Pool.Region.FreeFrames + rxA.FramesInKernel + rxB.FramesInKernel + txA.Outstanding + txB.Outstanding);
        }

        Assert.Equal(0u, AfxdpLibrary.QueryXdp(a.RootName).ProgramId);
        Assert.Equal(0u, AfxdpLibrary.QueryXdp(b.RootName).ProgramId);
    }

    [SkippableFact]
    public void ClosingTheUmemOwnerFirstKeepsTheSharedMemoryUntilTheSharerCloses()
    {
        SkipUnlessNetworkTestsCanRun();
        using var topo = new NetnsTopology();
        string ns = topo.AddNamespace("order");
        NetnsTopology.VethPair a = topo.AddVeth(ns);
        NetnsTopology.VethPair b = topo.AddVeth(ns);

        var owner = new AfxdpNetdev(new AfxdpOptions(a.RootName));
        var sharer = new AfxdpNetdev(new AfxdpOptions(b.RootName) { ShareUmemWith = owner });
        owner.Dispose();
        Assert.Equal(0u, AfxdpLibrary.QueryXdp(a.RootName).ProgramId);

        // The pool is still usable through the sharer.
        PacketPool pool = sharer.GetRxQueue(0).Pool;
        Assert.True(pool.TryAlloc(out Packet p));
        pool.Free(p);
        sharer.Dispose();
        Assert.Equal(0u, AfxdpLibrary.QueryXdp(b.RootName).ProgramId);
        Assert.Throws<ObjectDisposedException>(() => new AfxdpNetdev(new AfxdpOptions(b.RootName) { ShareUmemWith = owner }));

        // Both interfaces' queues come free again once the kernel has released them.
        using var again = new AfxdpNetdev(new AfxdpOptions(a.RootName));
        using var againB = new AfxdpNetdev(new AfxdpOptions(b.RootName) { ShareUmemWith = again });
    }

    [SkippableFact]
    public void ZeroCopyOnVethFailsWithAClearReasonAndReopeningRightAwayWorks()
    {
        SkipUnlessNetworkTestsCanRun();
        using var topo = new NetnsTopology();
        string ns = topo.AddNamespace("zc");
        NetnsTopology.VethPair a = topo.AddVeth(ns);

        var e = Assert.Throws<AfxdpException>(() => new AfxdpNetdev(new AfxdpOptions(a.RootName) { CopyMode = AfxdpCopyMode.ZeroCopy }));
        output.WriteLine(e.Message);
        Assert.Contains("native zero-copy", e.Message, StringComparison.Ordinal);
        Assert.Equal(0u, AfxdpLibrary.QueryXdp(a.RootName).ProgramId);

        // The kernel releases a closed socket's queue lazily; the port retries EBUSY instead of failing.
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 3; i++)
        {
            using var port = new AfxdpNetdev(new AfxdpOptions(a.RootName));
            Assert.Equal(AfxdpCopyMode.Copy, port.CopyMode);
        }

        output.WriteLine($"opened and closed 3 times in {sw.ElapsedMilliseconds} ms");
        Assert.Equal(0u, AfxdpLibrary.QueryXdp(a.RootName).ProgramId);
    }

    private static void SkipUnlessNetworkTestsCanRun()
    {
        string? why = NetnsTopology.Unavailable();
        Skip.If(why != null, why);
        AfxdpLibrary.SetLibraryLogLevel(1);
    }

    private static List<byte[]> Frames(byte[] src, byte[] dst, int count) =>
        Enumerable.Range(0, count).Select(i => UdpTestFrames.Build(src, dst, i, UdpPort)).ToList();

    private static Dictionary<int, byte[]> Transfer(
        RawEthernetSocket sender, RawEthernetSocket receiver, List<byte[]> frames, ForwardingLoop loop, bool skipOutgoing)
    {
        var received = new ConcurrentDictionary<int, byte[]>();
        Exception? captureError = null;
        var capture = new Thread(() =>
        {
            try
            {
                var buf = new byte[4096];
                var sw = Stopwatch.StartNew();
                while (received.Count < frames.Count && sw.Elapsed < TransferLimit)
                {
                    int n = receiver.Receive(buf, out byte type);
                    if (n < 0 || (skipOutgoing && type == RawEthernetSocket.PacketOutgoing))
                    {
                        continue;
                    }

                    if (UdpTestFrames.TryParse(buf.AsSpan(0, n), UdpPort, out int seq))
                    {
                        received.TryAdd(seq, buf.AsSpan(0, n).ToArray());
                    }
                }
            }
            catch (Exception e)
            {
                captureError = e;
            }
        })
        { IsBackground = true };

        capture.Start();
        loop.Start();
        try
        {
            for (int i = 0; i < frames.Count; i++)
            {
                sender.Send(frames[i]);

                // Paced so the veth's own queue (256 frames in native mode) never overflows.
                if (i % 16 == 15)
                {
                    Thread.Sleep(1);
                }
            }

            Assert.True(capture.Join(TransferLimit + TimeSpan.FromSeconds(5)), "capture thread did not finish");
        }
        finally
        {
            loop.StopAndJoin();
        }

        Assert.Null(captureError);
        return new Dictionary<int, byte[]>(received);
    }

    private static void AssertAllIntact(List<byte[]> frames, Dictionary<int, byte[]> got, bool edited)
    {
        List<int> missing = Enumerable.Range(0, frames.Count).Where(i => !got.ContainsKey(i)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {frames.Count} frames missing, first: {string.Join(',', missing.Take(10))}");
        for (int i = 0; i < frames.Count; i++)
        {
            byte[] expected = (byte[])frames[i].Clone();
            if (edited)
            {
                expected[UdpTestFrames.EditableOffset] = 0xEE;
            }

            Assert.Equal(expected, got[i]);
        }
    }

    private static void AssertNoFrameLost(AfxdpNetdev port)
    {
        // Every frame is free, waiting in the kernel's fill/rx rings, or on its way out.
        for (int q = 0; q < port.RxQueueCount; q++)
        {
            AfxdpRxQueue rx = port.GetAfxdpRxQueue(q);
            AfxdpTxQueue tx = port.GetAfxdpTxQueue(q);
            Assert.Equal(port.Options.FrameCount, rx.Pool.Region.FreeFrames + rx.FramesInKernel + tx.Outstanding);
        }
    }

    private void Report(AfxdpNetdev port) =>
        output.WriteLine($"{port.Name}: XDP mode {port.XdpMode}, {port.CopyMode} mode, program id {port.XdpProgramId}, {port.RxQueueCount} queue(s)");
}
