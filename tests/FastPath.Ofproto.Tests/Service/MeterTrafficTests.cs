using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FastPath.Datapath.Pmd;
using FastPath.Ofproto.Tests.Interop;
using FastPath.Ofproto.Tests.Ovs;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Service;

/// <summary>
/// A meter set up with real <c>ovs-ofctl</c> on a hosted bridge meters the traffic its flow forwards: a burst through
/// a pktps meter with one drop band passes the band's bucket (a second of the rate, as Open vSwitch's userspace
/// datapath fills it without a burst size) and what the rate adds while it lasts, drops the rest, and meter-stats counts
/// every packet in and every drop. Open vSwitch's dummy datapath, given the same meter, flow and burst, passes within the
/// same bounds.
/// </summary>
public partial class MeterTrafficTests(ITestOutputHelper output)
{
    private const int Rate = 10;
    // Open vSwitch's dummy ports queue at most 100 received packets: the first packet and a burst of 99 fit.
    private const int Burst = 99;

    private static readonly byte[] Frame = Upcalls.UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", 1000, 53);

    [Theory]
    [InlineData("OpenFlow13")] // the meter instruction
    [InlineData("OpenFlow15")] // the meter action
    public async Task APktpsMeterPassesItsBucketOfABurstAndMeterStatsCountsTheDrops(string protocol)
    {
        // FastPath.
        await using HostedBridge b = HostedBridge.Start();
        long start = Stopwatch.GetTimestamp();
        Ofctl(b.Target, protocol, $"add-meter {{target}} meter=1,pktps,stats,bands=type=drop,rate={Rate}", "add-flow {target} in_port=1,ip,actions=meter:1,output:2");

        // The first packet goes up, is metered where the slow path has it executed, and installs the megaflow; the
        // burst then all goes through the megaflow's meter action on the PMD.
        b.Ports[0].Inject(Frame);
        Eventually.Until(() => b.Ports[1].Sent.Count == 1 && b.Datapath.Pmds[0].DumpFlows().Count == 1, "the first packet and its megaflow");
        for (int i = 0; i < Burst; i++)
        {
            b.Ports[0].Inject(Frame);
        }

        uint dpMeter = b.Host.Bridge.Invoke(() => b.Host.Bridge.Meters.TryGetDatapathId(1, out uint id) ? id : throw new InvalidOperationException("no meter 1"));
        Eventually.Until(() => b.Datapath.GetMeterStats(dpMeter)?.Packets == Burst + 1, "the burst to go through the meter");
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        int passed = b.Ports[1].Sent.Count;
        (long packetsIn, long bytesIn, long dropped, long droppedBytes) = MeterStats(Ofctl(b.Target, protocol, "meter-stats {target}").Single());
        output.WriteLine($"FastPath: {passed} of {Burst + 1} passed, {dropped} dropped, in {elapsed:0.000} s");

        AssertWithinTheBucket(passed, elapsed);
        Assert.Equal(Burst + 1, packetsIn);
        Assert.Equal((Burst + 1) * Frame.Length, bytesIn);
        Assert.Equal(Burst + 1 - passed, dropped);
        Assert.Equal(dropped * Frame.Length, droppedBytes);

        // Open vSwitch, the same way.
        using OvsDummySwitch ovs = OvsDummySwitch.Start(4, fixedAddresses: true);
        string target = "unix:" + ovs.BridgeManagementSocket;
        start = Stopwatch.GetTimestamp();
        Ofctl(target, protocol, $"add-meter {{target}} meter=1,pktps,stats,bands=type=drop,rate={Rate}", "add-flow {target} in_port=1,ip,actions=meter:1,output:2");
        string hex = Convert.ToHexStringLower(Frame);
        ovs.AppCtl("netdev-dummy/receive", "p1", hex);
        ovs.AppCtl(["netdev-dummy/receive", "p1", .. Enumerable.Repeat(hex, Burst)]);
        double ovsElapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        (long ovsIn, _, long ovsDropped, _) = MeterStats(Ofctl(target, protocol, "meter-stats {target}").Single());
        output.WriteLine($"Open vSwitch: {ovsIn - ovsDropped} of {ovsIn} passed in {ovsElapsed:0.000} s");
        Assert.Equal(Burst + 1, ovsIn);
        AssertWithinTheBucket((int)(ovsIn - ovsDropped), ovsElapsed);
    }

    [Fact]
    public async Task TheControllerMeterLimitsPacketInsAsOpenVSwitchsDoes()
    {
        const int Rate = 2;
        const int Packets = 50;
        string[] setup = [$"add-meter {{target}} meter=controller,pktps,bands=type=drop,rate={Rate}", "add-flow {target} in_port=1,ip,actions=controller"];

        await using HostedBridge b = HostedBridge.Start();
        long start = Stopwatch.GetTimestamp();
        Ofctl(b.Target, "OpenFlow13", setup);
        b.Ports[0].Inject(Frame);
        Eventually.Until(() => b.Datapath.Pmds[0].DumpFlows().Count == 1, "the megaflow");
        for (int i = 1; i < Packets; i++)
        {
            b.Ports[0].Inject(Frame);
        }

        Eventually.Until(() => b.Host.Bridge.Invoke(() => b.Host.Bridge.Meters.Stats(OpenFlow.Meters.OfMeterIds.Controller, 0)[0].PacketInCount) == Packets, "every packet-in to reach the meter");
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        (long packetsIn, long bytesIn, long dropped, long droppedBytes) = MeterStats(Ofctl(b.Target, "OpenFlow13", "meter-stats {target}").Single(), "controller", 0);
        long metered = b.Host.Bridge.Invoke(() => b.Host.Bridge.Xlate.PacketInsMetered);
        output.WriteLine($"FastPath: {Packets - dropped} of {Packets} packet-ins went, in {elapsed:0.000} s");
        Assert.Equal((Packets, Packets * Frame.Length), (packetsIn, bytesIn));
        Assert.Equal(dropped, metered);
        Assert.Equal(dropped * Frame.Length, droppedBytes);
        Assert.InRange(Packets - dropped, Rate, (int)(Rate + (Rate * elapsed) + 1));

        using OvsDummySwitch ovs = OvsDummySwitch.Start(4, fixedAddresses: true);
        start = Stopwatch.GetTimestamp();
        Ofctl("unix:" + ovs.BridgeManagementSocket, "OpenFlow13", setup);
        ovs.AppCtl(["netdev-dummy/receive", "p1", .. Enumerable.Repeat(Convert.ToHexStringLower(Frame), Packets)]);
        double ovsElapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        (long ovsIn, _, long ovsDropped, _) = MeterStats(Ofctl("unix:" + ovs.BridgeManagementSocket, "OpenFlow13", "meter-stats {target}").Single(), "controller", 0);
        output.WriteLine($"Open vSwitch: {ovsIn - ovsDropped} of {ovsIn} packet-ins went, in {ovsElapsed:0.000} s");
        Assert.Equal(Packets, ovsIn);
        Assert.InRange(ovsIn - ovsDropped, Rate, (int)(Rate + (Rate * ovsElapsed) + 1));
    }

    // Never less than the bucket (full when the first packet came, and it refills while the burst waits), never more
    // than the bucket and the rate over everything the meter lived, +1 for the part of a token the last tick adds.
    private static void AssertWithinTheBucket(int passed, double elapsedSeconds) =>
        Assert.InRange(passed, Rate, (int)(Rate + (Rate * elapsedSeconds) + 1));

    private static List<string> Ofctl(string target, string protocol, params string[] commands)
    {
        IReadOnlyList<OfctlResult> results = OfctlRunner.Run(OfctlScript.Parse("meters", protocol, commands), target);
        Assert.All(results, r => Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, $"{r.Command}: {r.Stderr}"));
        return [.. results.Select(r => r.Stdout)];
    }

    private static (long PacketsIn, long BytesIn, long Dropped, long DroppedBytes) MeterStats(string text, string meter = "1", int flows = 1)
    {
        Match m = MeterStatsLine().Match(text);
        Assert.True(m.Success && m.Groups["meter"].Value == meter && m.Groups["flows"].Value == flows.ToString(CultureInfo.InvariantCulture), text);
        long N(string group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        return (N("in"), N("bytes"), N("dropped"), N("droppedBytes"));
    }

    [GeneratedRegex(@"meter:(?<meter>\w+) flow_count:(?<flows>\d+) packet_in_count:(?<in>\d+) byte_in_count:(?<bytes>\d+) duration:[\d.]+s bands:\s+0: packet_count:(?<dropped>\d+) byte_count:(?<droppedBytes>\d+)")]
    private static partial Regex MeterStatsLine();
}
