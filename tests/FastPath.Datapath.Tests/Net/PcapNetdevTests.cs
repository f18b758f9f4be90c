using System.Diagnostics;
using System.Net;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Pcap;
using FastPath.Datapath.Tests.Afxdp;
using FastPath.Packets;
using Xunit.Abstractions;

namespace FastPath.Datapath.Tests.Net;

/// <summary>
/// The pcap port on a veth pair whose other end sits in a namespace this test creates: receive,
/// transmit, inbound-only capture, and the error for a missing interface. Runs for real as root;
/// skips with the reason otherwise.
/// </summary>
[Collection(AfxdpCollection.Name)]
public class PcapNetdevTests(ITestOutputHelper output)
{
    private static readonly IPAddress HostIp = IPAddress.Parse("10.204.0.2");
    private static readonly IPAddress RootIp = IPAddress.Parse("10.204.0.1");
    private static readonly TimeSpan SocketTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    [Fact]
    public void OpeningAMissingInterfaceSaysSo()
    {
        var e = Assert.Throws<PcapNetdevException>(() => new PcapNetdev("fptnosuch0"));
        output.WriteLine(e.Message);
        Assert.StartsWith("pcap port 'fptnosuch0': ", e.Message, StringComparison.Ordinal);
        Assert.Contains("no such network interface", e.Message, StringComparison.Ordinal);
        Assert.Equal(SharpPcap.PcapError.NoSuchDevice, e.Error);
    }

    [SkippableFact]
    public void ReceivesWhatTheNamespaceSendsIntactAndWithoutAllocating()
    {
        SkipUnlessRoot();
        using var topo = new NetnsTopology();
        string ns = topo.AddNamespace("pcaprx");
        NetnsTopology.VethPair v = topo.AddVeth(ns);
        using RawEthernetSocket host = topo.RunIn(ns, () => RawEthernetSocket.Open(v.HostName, SocketTimeout));
        const ushort port = 47601;
        List<byte[]> frames = Frames(v.HostMac, v.RootMac, HostIp, RootIp, port, 300);

        // Frames of 1 KiB hold 768-byte packets: the two large ones below must be refused, not cut.
        using var dev = new PcapNetdev(new PcapOptions(v.RootName) { FrameSize = 1024, FrameCount = 512 });
        output.WriteLine($"{dev.Name}: {dev.Type} port, {PcapNetdev.LibpcapVersion}");
        Assert.Equal("pcap", dev.Type);
        Assert.Equal(1, dev.RxQueueCount);
        Assert.Equal(1, dev.TxQueueCount);

        byte[] big = ChecksummedUdpFrames.Build(v.HostMac, v.RootMac, HostIp, RootIp, port, 100_000, payloadLength: 1000);
        host.Send(big);
        host.Send(big);
        List<byte[]> small = frames.Where(f => f.Length <= dev.GetRxQueue(0).Pool.MaxPacketLength).ToList();
        foreach (byte[] f in small)
        {
            host.Send(f);
        }

        var got = new Dictionary<int, byte[]>();
        Received r = Poll(dev, port, got, () => got.Count >= small.Count);
        output.WriteLine($"received {got.Count} of {small.Count} test frames, {r.Others} other(s); {r.Allocated} bytes allocated in Receive");
        Assert.Equal(small.Count, got.Count);
        foreach (byte[] f in small)
        {
            Assert.True(ChecksummedUdpFrames.TryParse(f, port, out int seq));
            Assert.Equal(f, got[seq]);
        }

        PcapRxQueue rx = dev.GetPcapRxQueue(0);
        Assert.Equal(2, rx.Oversized);
        Assert.Equal(0, r.Allocated);
        Assert.Equal(rx.Pool.FrameCount, rx.Pool.FreeCount);
        NetdevStats s = dev.GetStats();
        output.WriteLine(s.ToString());
        Assert.True(s.RxPackets >= small.Count);
        Assert.True(s.RxErrors >= 2);
        Assert.Equal(0, s.RxDropped);
        Assert.Null(rx.LastError);
    }

    [SkippableFact]
    public void SendsIntoTheNamespaceIntactFreesEveryFrameAndDoesNotAllocate()
    {
        SkipUnlessRoot();
        using var topo = new NetnsTopology();
        string ns = topo.AddNamespace("pcaptx");
        NetnsTopology.VethPair v = topo.AddVeth(ns);
        using RawEthernetSocket host = topo.RunIn(ns, () => RawEthernetSocket.Open(v.HostName, SocketTimeout));
        const ushort port = 47602;
        List<byte[]> frames = Frames(v.RootMac, v.HostMac, RootIp, HostIp, port, 300);

        using var dev = new PcapNetdev(v.RootName);
        using var from = new PacketPool(64);
        PcapTxQueue tx = dev.GetPcapTxQueue(0);
        long allocated;
        Dictionary<int, byte[]> got;
        using (var capture = new UdpFrameCapture(host, port, frames.Count, Limit))
        {
            allocated = SendAll(tx, from, frames);
            got = capture.Wait();
        }

        output.WriteLine($"host received {got.Count} of {frames.Count}; {allocated} bytes allocated in Send after the first batch");
        Assert.Equal(frames.Count, got.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(frames[i], got[i]);
        }

        Assert.Equal(from.FrameCount, from.FreeCount);
        Assert.Equal(0, allocated);
        NetdevStats s = dev.GetStats();
        output.WriteLine(s.ToString());
        Assert.Equal(frames.Count, s.TxPackets);
        Assert.Equal(frames.Sum(f => (long)f.Length), s.TxBytes);
        Assert.Equal(0, s.TxErrors);
        Assert.Null(tx.LastError);
    }

    [SkippableFact]
    public void InboundOnlyPortSeesNoOutgoingPacketsNotEvenItsOwn()
    {
        SkipUnlessRoot();
        using var topo = new NetnsTopology();
        string ns = topo.AddNamespace("pcapdir");
        NetnsTopology.VethPair v = topo.AddVeth(ns);
        using RawEthernetSocket host = topo.RunIn(ns, () => RawEthernetSocket.Open(v.HostName, SocketTimeout));

        // Opened by this thread, which is in the root namespace, on the datapath end of the pair.
        using RawEthernetSocket rootSender = RawEthernetSocket.Open(v.RootName, SocketTimeout);
        const ushort ownPort = 47611, otherPort = 47612, inPort = 47613;
        const int count = 50;

        using var inbound = new PcapNetdev(new PcapOptions(v.RootName));
        using var both = new PcapNetdev(new PcapOptions(v.RootName) { Direction = PcapDirection.InOut });
        Assert.Equal(PcapDirection.In, inbound.Options.Direction);

        Dictionary<int, byte[]> hostGot;
        using (var capture = new UdpFrameCapture(host, ownPort, count, Limit))
        {
            // Out of the port itself, out of another socket on the same interface, and in from the namespace.
            using var from = new PacketPool(64);
            SendAll(inbound.GetPcapTxQueue(0), from, Frames(v.RootMac, v.HostMac, RootIp, HostIp, ownPort, count));
            foreach (byte[] f in Frames(v.RootMac, v.HostMac, RootIp, HostIp, otherPort, count))
            {
                rootSender.Send(f);
            }

            foreach (byte[] f in Frames(v.HostMac, v.RootMac, HostIp, RootIp, inPort, count))
            {
                host.Send(f);
            }

            hostGot = capture.Wait();
        }

        Assert.Equal(count, hostGot.Count);
        var seenByBoth = new Dictionary<ushort, int> { [ownPort] = 0, [otherPort] = 0, [inPort] = 0 };
        var seenByInbound = new Dictionary<ushort, int> { [ownPort] = 0, [otherPort] = 0, [inPort] = 0 };
        PollBoth(both, inbound, seenByBoth, seenByInbound, () => seenByBoth.Values.Sum() >= 3 * count && seenByInbound[inPort] >= count);

        // A little longer, so outgoing packets the inbound port wrongly captured would have shown up too.
        PollBoth(both, inbound, seenByBoth, seenByInbound, () => false, TimeSpan.FromMilliseconds(300));
        output.WriteLine($"in+out port: {string.Join(", ", seenByBoth.Select(kv => $"{kv.Key}={kv.Value}"))}");
        output.WriteLine($"inbound port: {string.Join(", ", seenByInbound.Select(kv => $"{kv.Key}={kv.Value}"))}");

        Assert.Equal(count, seenByBoth[ownPort]);
        Assert.Equal(count, seenByBoth[otherPort]);
        Assert.Equal(count, seenByBoth[inPort]);
        Assert.Equal(0, seenByInbound[ownPort]);
        Assert.Equal(0, seenByInbound[otherPort]);
        Assert.Equal(count, seenByInbound[inPort]);
    }

    private static void SkipUnlessRoot()
    {
        string? why = NetnsTopology.Unavailable();
        if (why != null)
        {
            Console.WriteLine($"{nameof(PcapNetdevTests)} skipped: {why}");
        }

        Skip.If(why != null, why);
    }

    private static List<byte[]> Frames(byte[] srcMac, byte[] dstMac, IPAddress src, IPAddress dst, ushort port, int count) =>
        Enumerable.Range(0, count).Select(i => ChecksummedUdpFrames.Build(srcMac, dstMac, src, dst, port, i)).ToList();

    /// <summary>Sends every frame through <paramref name="tx"/> in full batches; returns the bytes allocated by Send after the first batch.</summary>
    private static long SendAll(PcapTxQueue tx, PacketPool from, List<byte[]> frames)
    {
        var batch = new PacketBatch();
        long allocated = 0;
        int batches = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.True(from.TryCopyIn(frames[i], 0, out Packet p));
            batch.TryAdd(p);
            if (batch.IsFull || i == frames.Count - 1)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                tx.Send(from, ref batch);
                long spent = GC.GetAllocatedBytesForCurrentThread() - before;
                if (batches++ > 0)
                {
                    allocated += spent;
                }

                Assert.Equal(0, batch.Count);

                // Paced so the receiving socket in the namespace keeps up.
                Thread.Sleep(1);
            }
        }

        return allocated;
    }

    /// <summary>Polls the rx queue until <paramref name="done"/> or the limit, keeping the test frames to <paramref name="port"/> by number.</summary>
    private static Received Poll(PcapNetdev dev, ushort port, Dictionary<int, byte[]> got, Func<bool> done)
    {
        PcapRxQueue rx = dev.GetPcapRxQueue(0);
        var batch = new PacketBatch();
        var sw = Stopwatch.StartNew();
        long allocated = 0;
        bool warm = false;
        int others = 0;
        while (!done() && sw.Elapsed < Limit)
        {
            batch.Clear();
            long before = GC.GetAllocatedBytesForCurrentThread();
            int n = rx.Receive(ref batch);
            long spent = GC.GetAllocatedBytesForCurrentThread() - before;

            // The first batch pays for one-time setup; from then on Receive must not allocate.
            if (warm)
            {
                allocated += spent;
            }

            warm |= n > 0;
            foreach (ref Packet p in batch.Packets)
            {
                ReadOnlySpan<byte> data = rx.Pool.GetData(p);
                if (ChecksummedUdpFrames.TryParse(data, port, out int seq))
                {
                    got[seq] = data.ToArray();
                }
                else
                {
                    others++;
                }

                rx.Pool.Free(p);
            }

            if (n == 0)
            {
                Thread.Sleep(1);
            }
        }

        return new Received(others, allocated);
    }

    private static void PollBoth(
        PcapNetdev a, PcapNetdev b, Dictionary<ushort, int> seenA, Dictionary<ushort, int> seenB, Func<bool> done, TimeSpan? limit = null)
    {
        var sw = Stopwatch.StartNew();
        while (!done() && sw.Elapsed < (limit ?? Limit))
        {
            int n = Drain(a, seenA) + Drain(b, seenB);
            if (n == 0)
            {
                Thread.Sleep(1);
            }
        }
    }

    private static int Drain(PcapNetdev dev, Dictionary<ushort, int> seen)
    {
        IRxQueue rx = dev.GetRxQueue(0);
        var batch = new PacketBatch();
        int n = rx.Receive(ref batch);
        foreach (ref Packet p in batch.Packets)
        {
            ReadOnlySpan<byte> data = rx.Pool.GetData(p);
            foreach (ushort port in seen.Keys)
            {
                if (ChecksummedUdpFrames.TryParse(data, port, out _))
                {
                    seen[port]++;
                    break;
                }
            }

            rx.Pool.Free(p);
        }

        return n;
    }

    private readonly record struct Received(int Others, long Allocated);
}
