using FastPath.Cli.Demo;
using FastPath.Datapath.CaptureFiles;
using FastPath.Packets;

namespace FastPath.Cli.Tests;

public class ReplayDemoTests
{
    private static FlowKey KeyOf(byte[] frame)
    {
        var p = new Packet { Length = (ushort)frame.Length };
        FlowExtractor.Extract(frame, ref p, out FlowKey k);
        return k;
    }

    [Fact]
    public void DemoCaptureGoesWhereTheFlowTableSays()
    {
        ReplayDemo.Result r = ReplayDemo.Run(PcapFile.FromPackets(DemoCapture.Packets()), TimeSpan.FromSeconds(20));

        // Port 2: the eight 10.0.0.0/24 packets with the source rewritten, plus the ARP flood copy.
        List<byte[]> port2 = r.Outputs[2];
        Assert.Equal(9, port2.Count);
        Assert.All(port2.Take(8), f => Assert.Equal(0xc0a86401u, KeyOf(f).Ipv4Src));
        Assert.Equal(EtherTypes.Arp, KeyOf(port2[8]).EthType);

        // Port 3: three DNS queries tagged VLAN 100, two IPv6 packets with hop limit 63, the ARP copy.
        List<byte[]> port3 = r.Outputs[3];
        Assert.Equal(6, port3.Count);
        Assert.All(port3.Take(3), f => Assert.Equal(100 | FlowKey.VlanCfi, KeyOf(f).Vlan0Tci));
        Assert.All(port3.Skip(3).Take(2), f => Assert.Equal(63, KeyOf(f).NwTtl));
        Assert.Equal(EtherTypes.Arp, KeyOf(port3[5]).EthType);

        // Two packets match no megaflow: upcalls.
        Assert.Equal(2, r.Upcalls.Count);
        Assert.Equal(2, r.Stats.Misses);
        Assert.Equal(16, r.Stats.Packets);
    }

    [Fact]
    public void ShippedDemoCaptureIsTheGeneratedOne()
    {
        string path = TestData.Path("demo.pcap");
        PcapFile shipped = PcapFile.Load(path);
        List<byte[]> generated = DemoCapture.Packets();
        Assert.Equal(generated.Count, shipped.Count);
        for (int i = 0; i < generated.Count; i++)
        {
            Assert.Equal(generated[i], shipped[i].ToArray());
        }
    }

}
