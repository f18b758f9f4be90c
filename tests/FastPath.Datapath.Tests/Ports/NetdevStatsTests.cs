using FastPath.Datapath.CaptureFiles;
using FastPath.Datapath.Ports;
using FastPath.Datapath.Ports.Memory;
using FastPath.Datapath.Ports.Replay;

namespace FastPath.Datapath.Tests.Ports;

/// <summary>A port's statistics, which fastpathd reads for every port every 5 s.</summary>
public class NetdevStatsTests
{
    [Fact]
    public void QueueCountersAddUpOverEveryQueue()
    {
        QueueCounters a = new() { Packets = 2, Bytes = 128, Dropped = 1, Errors = 0 };
        QueueCounters b = new() { Packets = 3, Bytes = 192, Dropped = 0, Errors = 4 };
        QueueCounters t = new() { Packets = 5, Bytes = 320, Dropped = 6, Errors = 7 };
        NetdevStats s = NetdevStats.Sum([a, b], [t]);
        Assert.Equal(new NetdevStats(5, 320, 1, 4, 5, 320, 6, 7), s);
        Assert.Equal(s, NetdevStats.Sum(new List<QueueCounters> { a, b }, new List<QueueCounters> { t }));
    }

    // Their queue lists went through IEnumerable (an array and an enumerator per queue list per read); they are
    // spans on the stack now.
    [Fact]
    public void ReadingAPortsStatisticsAllocatesNothing()
    {
        using var replay = new ReplayNetdev("r", PcapFile.FromPackets([TestPackets.Udp4("10.0.0.1", "10.0.0.9", 1, 2)]), loops: 1);
        var none = new NullNetdev("n");
        var memory = new MemoryNetdev("m");
        long sum = 0;
        Action read = () => sum += replay.GetStats().RxPackets + none.GetStats().TxPackets + memory.GetStats().RxBytes;
        Assert.Equal(0, SteadyState.AllocatedBytes(read));
        Assert.Equal(0, sum);
    }
}
