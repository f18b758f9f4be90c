using System.Diagnostics;
using FastPath.Datapath;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;
using FastPath.Ofproto.Meters;
using FastPath.Ofproto.Tables;
using FastPath.Ofproto.Xlate;
using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;
using Xunit.Abstractions;

namespace FastPath.Ofproto.Tests.Meters;

/// <summary>
/// OpenFlow meters enforced in the fast path: a real datapath whose PMD meters the megaflow the ofproto thread
/// translated from a metered rule. Bounds hold whatever the scheduling: a meter can never let through more than
/// its bucket plus its rate over the time measured around the whole run, nor less than its bucket of a burst.
/// </summary>
public sealed class MeterForwardingTests : IDisposable
{
    private const uint Rate = 10;
    private const uint Burst = 20;
    private const int Injected = 300;

    private readonly ITestOutputHelper output;
    private readonly NetdevDatapath dp = new([-1]);
    private readonly MemoryNetdev p1 = new("p1");
    private readonly MemoryNetdev p2 = new("p2");
    private readonly OfPipeline pipeline = new();
    private readonly BridgePorts ports = new();
    private readonly OfMeterTable meters;
    private readonly OfprotoThread ofproto;

    public MeterForwardingTests(ITestOutputHelper output)
    {
        this.output = output;
        dp.Start();
        dp.AddPort(p1, 1);
        dp.AddPort(p2, 2);
        ports.Set(1);
        ports.Set(2);
        meters = new OfMeterTable(pipeline, new NetdevDatapathMeters(dp));
        ofproto = new OfprotoThread(dp.Pmds, new OfXlate(pipeline, ports) { Meters = meters });
        ofproto.Start();
    }

    public void Dispose()
    {
        ofproto.Dispose();
        dp.Dispose();
    }

    private static byte[] Packet(ushort sport = 1000) => Upcalls.UpcallTestPackets.Udp4("10.0.0.1", "10.0.0.2", sport, 53);

    private List<RemovedRule> MeterMod(MeterMod mod) => ofproto.Invoke(() => meters.Apply(mod, Stopwatch.GetTimestamp()));

    private void AddFlow(string text) =>
        ofproto.Invoke(() => pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(text)), Stopwatch.GetTimestamp()));

    private OfMeterStats Stats(uint meter) => ofproto.Invoke(() => meters.Stats(meter, Stopwatch.GetTimestamp()).Single());

    [Fact]
    public void APktpsMeterPassesItsBurstAndRateOfABurstDropsTheRestCountsThemAndGoesWithItsRulesAndMegaflows()
    {
        long start = Stopwatch.GetTimestamp();
        MeterMod(Ofproto.Meters.MeterMod.Add(MeterText.Parse($"meter=1,pktps,burst,stats,band=type=drop,rate={Rate},burst_size={Burst}")));
        // Matching ip, so that once the rule is gone the table-miss translation is wider and the megaflow is deleted.
        AddFlow("in_port=1,ip,actions=meter:1,output:2");
        uint dpMeter = ofproto.Invoke(() => meters.TryGetDatapathId(1, out uint id) ? id : throw new InvalidOperationException("no meter"));

        // The first packet goes up, is metered where the ofproto thread has it executed, and installs the megaflow.
        p1.Inject(Packet());
        Eventually.Until(() => p2.Sent.Count == 1 && dp.Pmds[0].DumpFlows().Count == 1, "the first packet and its megaflow");
        Assert.Contains($"meter({dpMeter})", Datapath.Actions.ActionFormatter.Format(dp.Pmds[0].DumpFlows()[0].Actions), StringComparison.Ordinal);

        // The rest all at once: the PMD meters them by the megaflow.
        for (int i = 0; i < Injected; i++)
        {
            p1.Inject(Packet());
        }

        Eventually.Until(() => dp.GetMeterStats(dpMeter)?.Packets == Injected + 1, "every packet to go through the meter");
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        int passed = p2.Sent.Count;
        output.WriteLine($"{passed} of {Injected + 1} passed in {elapsed:0.000} s");

        // Never more than the bucket and the rate over everything the meter lived (+1 for the part of a token the
        // clock's last tick may add); never less than the bucket, which was full but for the first packet.
        Assert.InRange(passed, (int)Burst, (int)(Burst + (Rate * elapsed) + 1));
        Assert.True(passed < Injected + 1, "the meter dropped nothing");

        OfMeterStats s = Stats(1);
        Assert.Equal(1u, s.FlowCount);
        Assert.Equal((ulong)(Injected + 1), s.PacketInCount);
        Assert.Equal((ulong)((Injected + 1) * Packet().Length), s.ByteInCount);
        Assert.Equal((ulong)(Injected + 1 - passed), s.Bands.Single().Packets);
        Assert.Equal(s.Bands[0].Packets * (ulong)Packet().Length, s.Bands[0].Bytes);
        Eventually.Until(() => ofproto.Invoke(() => pipeline.Rules.Single().Packets) == Injected + 1, "the rule's counter");

        // A modify changes the datapath meter in place: no re-translation, the same megaflow, the new bucket.
        long revalidated = ofproto.Invoke(() => ofproto.Revalidator.Revalidated);
        MeterMod(Ofproto.Meters.MeterMod.Modify(MeterText.Parse("meter=1,pktps,burst,band=type=drop,rate=10,burst_size=1000")));
        for (int i = 0; i < 100; i++)
        {
            p1.Inject(Packet());
        }

        Eventually.Until(() => dp.GetMeterStats(dpMeter)?.Packets == 100, "the packets after the modify to go through the meter");
        Assert.Equal(passed + 100, p2.Sent.Count);
        Assert.Equal(0, dp.GetMeterStats(dpMeter)!.Bands[0].Packets);
        Assert.Single(dp.Pmds[0].DumpFlows());
        Assert.Equal(revalidated, ofproto.Invoke(() => ofproto.Revalidator.Revalidated));

        // Deleting the meter deletes its rule, and the revalidator its megaflow; the next packet misses and is dropped.
        RemovedRule gone = Assert.Single(MeterMod(Ofproto.Meters.MeterMod.Delete(1)));
        Assert.Equal(FlowRemovedReason.MeterDelete, gone.Reason);
        Assert.Null(dp.GetMeterStats(dpMeter));
        Assert.Equal(0, ofproto.Invoke(() => pipeline.Count));
        Eventually.Until(() => dp.Pmds[0].DumpFlows().Count == 0, "the megaflow to go with its rule");
        long misses = ofproto.Invoke(() => ofproto.Upcalls.Misses);
        p1.Inject(Packet(2000));
        Eventually.Until(() => ofproto.Invoke(() => ofproto.Upcalls.Misses) == misses + 1, "the next packet's miss");
        Thread.Sleep(50);
        Assert.Equal(passed + 100, p2.Sent.Count);
    }

    [Fact]
    public void AKbpsMeterDropsWhatIsOverItsBurstOfBits()
    {
        // 64 kilobits of burst are 8000 bytes: at most 8000 / frame + what 64 kbit/s adds while the test runs.
        long start = Stopwatch.GetTimestamp();
        MeterMod(Ofproto.Meters.MeterMod.Add(MeterText.Parse("meter=5,kbps,burst,band=type=drop,rate=64,burst_size=64")));
        AddFlow("in_port=1,actions=meter:5,output:2");
        uint dpMeter = ofproto.Invoke(() => meters.TryGetDatapathId(5, out uint id) ? id : throw new InvalidOperationException("no meter"));
        p1.Inject(Packet());
        Eventually.Until(() => dp.Pmds[0].DumpFlows().Count == 1, "the megaflow");
        for (int i = 0; i < Injected; i++)
        {
            p1.Inject(Packet());
        }

        Eventually.Until(() => dp.GetMeterStats(dpMeter)?.Packets == Injected + 1, "every packet to go through the meter");
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        int frameBits = Packet().Length * 8;
        int passed = p2.Sent.Count;
        output.WriteLine($"{passed} of {Injected + 1} frames of {frameBits} bits passed in {elapsed:0.000} s");
        Assert.InRange(passed, (64_000 / frameBits) - 1, (int)((64_000 + (64_000 * elapsed)) / frameBits) + 1);
        Assert.Equal((ulong)(Injected + 1 - passed), Stats(5).Bands[0].Packets);
    }
}
