using System.Buffers.Binary;
using FastPath.Datapath.Ports.Tap;
using FastPath.Packets;
using Xunit.Abstractions;

namespace FastPath.Datapath.Tests.Net;

/// <summary>The tap port (a bridge's LOCAL interface): created inside a test namespace, it carries frames both ways between the datapath and that namespace's stack.</summary>
public sealed class TapNetdevTests(ITestOutputHelper output)
{
    [Fact]
    public void ABadNameIsRefusedWithAReason()
    {
        var e = Assert.Throws<TapNetdevException>(() => new TapNetdev("a-name-far-too-long-for-linux"));
        Assert.Contains("not a valid interface name", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void FramesCrossBetweenTheDatapathAndTheHostStack()
    {
        string? why = NetnsTopology.Unavailable();
        if (why != null)
        {
            Console.WriteLine($"{nameof(TapNetdevTests)} skipped: {why}");
        }

        Skip.If(why != null, why);
        using var topo = new NetnsTopology();
        string ns = topo.AddNamespace("tap");
        const string name = "fptaptest0";

        // Created by a thread inside the namespace, so the interface is born there and dies with the descriptor.
        using TapNetdev tap = topo.RunIn(ns, () => new TapNetdev(name));
        NetnsTopology.Run("ip", "-n", ns, "addr", "add", "10.231.0.1/24", "dev", name);
        NetnsTopology.Run("ip", "-n", ns, "link", "set", name, "up");
        byte[] hostMac = NetnsTopology.Mac(ns, name);

        // The host stack resolves an address on the tap's subnet: its ARP request comes out of our rx queue.
        using (var ping = System.Diagnostics.Process.Start("ip", ["netns", "exec", ns, "ping", "-c", "1", "-W", "1", "10.231.0.2"]))
        {
            ping.WaitForExit(5000);
        }

        var batch = new PacketBatch();
        bool sawArp = false;
        ReadUntilArp(tap, ref batch, ref sawArp, hostMac);
        output.WriteLine($"tap stats {tap.GetStats()}; host mac {Convert.ToHexString(hostMac)}; {NetnsTopology.Run("ip", "-n", ns, "-s", "link", "show", name)}");
        Assert.True(sawArp, "no ARP request from the host stack arrived on the tap's receive queue");

        // A frame the datapath sends to the tap is received by the host's interface (its rx counter moves).
        long before = RxPackets(ns, name);
        PacketPool pool = tap.GetRxQueue(0).Pool;
        byte[] frame = new byte[60];
        hostMac.CopyTo(frame, 0);
        new byte[] { 0xaa, 0x55, 0xaa, 0x55, 0x00, 0x02 }.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x88b5); // local experimental ethertype: nobody answers it
        Assert.True(pool.TryCopyIn(frame, 0, out Packet p));
        var tx = new PacketBatch();
        tx.TryAdd(p);
        tap.GetTxQueue(0).Send(pool, ref tx);
        Assert.Equal(1, tap.GetStats().TxPackets);
        Assert.Equal(before + 1, RxPackets(ns, name));
        output.WriteLine($"tap {name}: rx {tap.GetStats().RxPackets}, tx {tap.GetStats().TxPackets}");
    }

    [SkippableFact]
    public void AnIdleTapIsNotReadOnEveryPoll()
    {
        string? why = NetnsTopology.Unavailable();
        if (why != null)
        {
            Console.WriteLine($"{nameof(TapNetdevTests)} skipped: {why}");
        }

        Skip.If(why != null, why);
        using var topo = new NetnsTopology();
        string ns = topo.AddNamespace("tapidle");
        ulong tenthOfASecond = FastPath.Native.Cpu.TscHz / 10;
        using TapNetdev spaced = topo.RunIn(ns, () => new TapNetdev("fptapidle0", idleIntervalCycles: tenthOfASecond));
        using TapNetdev eager = topo.RunIn(ns, () => new TapNetdev("fptapidle1", idleIntervalCycles: 0));

        // A PMD's back-to-back polls of a quiet port: the spaced queue asks the kernel once, the eager one every time.
        const int polls = 2000;
        var spacedRx = (TapRxQueue)spaced.GetRxQueue(0);
        var eagerRx = (TapRxQueue)eager.GetRxQueue(0);
        var batch = new PacketBatch();
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < polls; i++)
        {
            Assert.Equal(0, spacedRx.Receive(ref batch));
        }

        double elapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        for (int i = 0; i < polls; i++)
        {
            Assert.Equal(0, eagerRx.Receive(ref batch));
        }

        output.WriteLine($"{polls} polls of a quiet tap: {spacedRx.EmptyReads} reads spaced ({elapsedMs:F2} ms), {eagerRx.EmptyReads} eager");
        Assert.Equal(polls, eagerRx.EmptyReads);
        // One read per started tenth of a second (a preempted loop may span more than one interval).
        Assert.InRange(spacedRx.EmptyReads, 1, 1 + (long)(elapsedMs / 100));

        // Once the interval is over, a frame the host sends is read.
        NetnsTopology.Run("ip", "-n", ns, "addr", "add", "10.231.1.1/24", "dev", "fptapidle0");
        NetnsTopology.Run("ip", "-n", ns, "link", "set", "fptapidle0", "up");
        byte[] hostMac = NetnsTopology.Mac(ns, "fptapidle0");
        using (var ping = System.Diagnostics.Process.Start("ip", ["netns", "exec", ns, "ping", "-c", "1", "-W", "1", "10.231.1.2"]))
        {
            ping.WaitForExit(5000);
        }

        bool sawArp = false;
        ReadUntilArp(spaced, ref batch, ref sawArp, hostMac);
        Assert.True(sawArp, "the spaced tap never read the host's ARP request");
    }

    private static void ReadUntilArp(TapNetdev tap, ref PacketBatch batch, ref bool sawArp, byte[] hostMac)
    {
        var rx = tap.GetRxQueue(0);
        DateTime deadline = DateTime.UtcNow.AddSeconds(5);
        while (!sawArp && DateTime.UtcNow < deadline)
        {
            if (rx.Receive(ref batch) == 0)
            {
                Thread.Sleep(10);
                continue;
            }

            foreach (ref Packet p in batch.Packets)
            {
                Span<byte> d = rx.Pool.GetData(p);
                sawArp |= d.Length >= 42 && BinaryPrimitives.ReadUInt16BigEndian(d[12..]) == 0x0806 && d.Slice(6, 6).SequenceEqual(hostMac);
                rx.Pool.Free(p);
            }

            batch.Clear();
        }
    }

    private static long RxPackets(string ns, string ifname) =>
        long.Parse(NetnsTopology.Run("ip", "netns", "exec", ns, "cat", $"/sys/class/net/{ifname}/statistics/rx_packets").Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
