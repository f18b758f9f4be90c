using FastPath.Datapath.CaptureFiles;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Replay;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Ports;

public class ReplayNetdevTests
{
    private static PcapFile ThreePackets() => PcapFile.FromPackets([
        TestPackets.Udp4("10.0.0.1", "10.0.0.9", 1, 2),
        TestPackets.Udp4("10.0.0.2", "10.0.0.9", 1, 2),
        TestPackets.Udp4("10.0.0.3", "10.0.0.9", 1, 2, payload: 100)]);

    [Fact]
    public void LoopsTheCaptureTheGivenNumberOfTimes()
    {
        using var dev = new ReplayNetdev("r", ThreePackets(), loops: 5);
        IRxQueue rx = dev.GetRxQueue(0);
        var seen = new List<uint>();
        var batch = new PacketBatch();
        for (int guard = 0; guard < 100 && !dev.Finished; guard++)
        {
            batch.Clear();
            rx.Receive(ref batch);
            foreach (ref Packet p in batch.Packets)
            {
                FlowExtractor.Extract(rx.Pool.GetData(p), ref p, out FlowKey k);
                seen.Add(k.Ipv4Src & 0xff);
                rx.Pool.Free(p);
            }
        }

        Assert.True(dev.Finished);
        Assert.Equal(15, seen.Count);
        Assert.Equal(new uint[] { 1, 2, 3, 1, 2, 3 }, seen.Take(6));
        NetdevStats s = dev.GetStats();
        Assert.Equal(15, s.RxPackets);
        batch.Clear();
        Assert.Equal(0, rx.Receive(ref batch));
    }

    [Fact]
    public void OutOfFramesStopsTheBatchAndCountsADrop()
    {
        using var dev = new ReplayNetdev("r", ThreePackets(), loops: 0, frameCount: 4);
        IRxQueue rx = dev.GetRxQueue(0);
        var batch = new PacketBatch();
        Assert.Equal(4, rx.Receive(ref batch));
        Assert.Equal(1, rx.Counters.Dropped);
        foreach (ref Packet p in batch.Packets)
        {
            rx.Pool.Free(p);
        }

        batch.Clear();
        Assert.Equal(4, rx.Receive(ref batch));

        // The dropped packet (the capture's second, index 1 of the second loop) was not delivered later.
        Assert.Equal(0x0a000003u, SourceOf(rx, batch[0]));
    }

    private static uint SourceOf(IRxQueue rx, Packet p)
    {
        FlowExtractor.Extract(rx.Pool.GetData(p), ref p, out FlowKey k);
        return k.Ipv4Src;
    }

    [Fact]
    public void ReceiveAllocatesNothing()
    {
        using var dev = new ReplayNetdev("r", ThreePackets(), loops: 0);
        IRxQueue rx = dev.GetRxQueue(0);
        var tx = new NullTxQueue();
        var batch = new PacketBatch();
        Action forward = () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                rx.Receive(ref batch);
                tx.Send(rx.Pool, ref batch);
            }
        };

        Assert.Equal(0, SteadyState.AllocatedBytes(forward));
        Assert.Equal(rx.Counters.Packets, tx.Counters.Packets);
        Assert.Equal(rx.Pool.FrameCount, rx.Pool.FreeCount);
    }

    [Fact]
    public void PcapFileRoundTripsThroughLibpcap()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fp-test-{Environment.ProcessId}-{Guid.NewGuid():N}.pcap");
        try
        {
            byte[][] pkts = [TestPackets.Udp4("1.2.3.4", "5.6.7.8", 10, 20), TestPackets.Udp4("1.2.3.5", "5.6.7.8", 10, 20, payload: 300)];
            PcapFile.Write(path, pkts);
            PcapFile f = PcapFile.Load(path);
            Assert.Equal(2, f.Count);
            Assert.Equal(pkts[0], f[0].ToArray());
            Assert.Equal(pkts[1], f[1].ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NonPcapFileGivesAClearError()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a capture");
            var e = Assert.Throws<InvalidDataException>(() => PcapFile.Load(path));
            Assert.Contains("not a pcap file", e.Message);
            Assert.Throws<FileNotFoundException>(() => PcapFile.Load(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
