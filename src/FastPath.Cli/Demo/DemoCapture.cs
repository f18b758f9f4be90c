using FastPath.Traffic;

namespace FastPath.Cli.Demo;

/// <summary>The mixed traffic of the demo capture (tests/data/demo.pcap): some for each demo flow, some for none.</summary>
public static class DemoCapture
{
    /// <summary>The demo's packets, in capture order.</summary>
    public static List<byte[]> Packets()
    {
        var p = new List<byte[]>();
        for (uint i = 1; i <= 6; i++)
        {
            p.Add(TrafficGenerator.Udp4(0x0a000000 | i, 0x0ac80001, (ushort)(1000 + i), 5000, 60));
        }

        p.Add(TrafficGenerator.Tcp4(0x0a000007, 0x0ac80001, 40000, 80, 0x02));
        p.Add(TrafficGenerator.Tcp4(0x0a000007, 0x0ac80001, 40000, 80, 0x10));
        for (uint i = 1; i <= 3; i++)
        {
            p.Add(TrafficGenerator.Udp4(0x0a000100 | i, 0x0a000135, (ushort)(33000 + i), 53, 80));
        }

        byte[] a6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        byte[] b6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
        p.Add(TrafficGenerator.Udp6(a6, b6, 5353, 5353));
        p.Add(TrafficGenerator.Udp6(b6, a6, 5353, 5353));
        p.Add(TrafficGenerator.ArpRequest(0x0a000001, 0x0a0000fe));
        // No flow for these: they go to the slow path as upcalls.
        p.Add(TrafficGenerator.Udp4(0x0a090901, 0x0a090902, 7, 7, 60));
        p.Add(TrafficGenerator.Udp4(0x0a000101, 0x0a000135, 33001, 123, 60));
        return p;
    }
}
