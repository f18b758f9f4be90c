using System.Diagnostics;
using FastPath.Datapath.Meters;
using FastPath.Ofproto.Meters;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow.Meters;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;

namespace FastPath.Ofproto.Tests.Meters;

/// <summary>
/// Meter-mod semantics and errors as Open vSwitch 3.1 answers them (each error checked against ovs-vswitchd by
/// hand with ovs-ofctl add-meter/mod-meter, the ones ovs-ofctl can send), on a real datapath meter table.
/// </summary>
public class OfMeterTableTests
{
    private static readonly long Second = Stopwatch.Frequency;

    private readonly OfPipeline pipeline = new();
    private readonly MeterTable datapath = new(1_000_000, () => 0);
    private readonly OfMeterTable meters;

    public OfMeterTableTests() => meters = new OfMeterTable(pipeline, new MeterTableMeters(datapath));

    private static OfMeterConfig Meter(string text) => MeterText.Parse(text);

    private static OfMeterConfig Drop(uint id, OfMeterFlags flags, params uint[] rates) =>
        new() { MeterId = id, Flags = flags, Bands = rates.Select(r => new OfMeterBand(OfMeterBandType.Drop, r)).ToArray() };

    private void Add(string text) => meters.Apply(MeterMod.Add(Meter(text)), 0);

    private void AddFlow(string text) => pipeline.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(text)), 0);

    private MeterModError Refused(MeterMod mod)
    {
        long version = pipeline.Version;
        var before = meters.Configs().ToList();
        MeterModException e = Assert.Throws<MeterModException>(() => meters.Apply(mod, 0));
        Assert.Equal(before, meters.Configs());
        Assert.Equal(version, pipeline.Version);
        return e.Error;
    }

    [Fact]
    public void AddInstallsADatapathMeterAndLetsRulesUseIt()
    {
        FlowModException before = Assert.Throws<FlowModException>(() => AddFlow("in_port=1,actions=meter:7,output:2"));
        Assert.Equal(FlowModError.InvalidMeter, before.Error);

        long version = pipeline.Version;
        Add("meter=7,pktps,burst,stats,band=type=drop,rate=10,burst_size=3");
        Assert.True(pipeline.Version > version, "an added meter bumps the version");
        Assert.True(meters.Contains(7));
        Assert.True(meters.TryGetDatapathId(7, out uint dp));
        Assert.True(datapath.TryGetStats(dp, out _), "the datapath meter exists");
        Assert.Equal("meter=7 pktps burst stats bands=\ntype=drop rate=10 burst_size=3", MeterText.Format(meters.Configs(7).Single()));

        AddFlow("in_port=1,actions=meter:7,output:2");
        Assert.Single(pipeline.Rules);
    }

    [Fact]
    public void OpenFlowIdsAreNotDatapathIds()
    {
        // OFPM_MAX is a valid OpenFlow id though the datapath has 2^18 meters: each OpenFlow meter gets a datapath one.
        Add($"meter={OfMeterIds.Max},kbps,band=type=drop,rate=1");
        Add("meter=300000,kbps,band=type=drop,rate=1");
        Assert.True(meters.TryGetDatapathId(OfMeterIds.Max, out uint a));
        Assert.True(meters.TryGetDatapathId(300000, out uint b));
        Assert.NotEqual(a, b);
        Assert.True(a < MeterTable.MaxMeters && b < MeterTable.MaxMeters);
        Assert.Equal([300000u, OfMeterIds.Max], meters.Configs().Select(c => c.MeterId));
    }

    [Fact]
    public void AddOfAnExistingMeterIsRefused()
    {
        Add("meter=1,kbps,band=type=drop,rate=5");
        Assert.Equal(MeterModError.MeterExists, Refused(MeterMod.Add(Meter("meter=1,pktps,band=type=drop,rate=9"))));
        Assert.Equal(OfMeterFlags.Kbps, meters.Configs(1).Single().Flags);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(OfMeterIds.Max + 1)]
    [InlineData(OfMeterIds.All)]
    public void InvalidIdsAreRefusedForAddAndModify(uint id)
    {
        Assert.Equal(MeterModError.InvalidMeter, Refused(MeterMod.Add(Drop(id, OfMeterFlags.Kbps, 5))));
        Assert.Equal(MeterModError.InvalidMeter, Refused(MeterMod.Modify(Drop(id, OfMeterFlags.Kbps, 5))));
    }

    [Fact]
    public void TheVirtualMetersAreMetersLikeTheOthersAndTheControllerMeterLimitsPacketIns()
    {
        // As ovs-vswitchd 3.1: meter=controller and meter=slowpath are added, modified, listed and deleted (a delete
        // of every meter takes them too).
        Assert.True(meters.AdmitPacketIn(60), "no controller meter: every packet-in goes");
        Add("meter=controller,pktps,band=type=drop,rate=2");
        Add("meter=slowpath,pktps,band=type=drop,rate=5");
        Assert.Equal(MeterModError.MeterExists, Refused(MeterMod.Add(Meter("meter=controller,pktps,band=type=drop,rate=3"))));
        Assert.Equal([OfMeterIds.SlowPath, OfMeterIds.Controller], meters.Configs().Select(c => c.MeterId));

        // The datapath's clock stands still here: the bucket holds the rate's second, 2 packet-ins, and no more.
        Assert.Equal([true, true, false, false, false], Enumerable.Range(0, 5).Select(_ => meters.AdmitPacketIn(60)));
        OfMeterStats s = meters.Stats(OfMeterIds.Controller, 0).Single();
        Assert.Equal((5ul, 300ul, 3ul, 180ul), (s.PacketInCount, s.ByteInCount, s.Bands[0].Packets, s.Bands[0].Bytes));

        meters.Apply(MeterMod.Modify(Meter("meter=controller,pktps,band=type=drop,rate=100")), 0);
        Assert.True(meters.AdmitPacketIn(60), "the modified meter's new bucket");
        meters.Apply(MeterMod.Delete(OfMeterIds.All), 0);
        Assert.Equal(0, meters.Count);
        Assert.True(meters.AdmitPacketIn(60), "the controller meter is gone");
    }

    [Fact]
    public void ModifyOfAMissingMeterIsUnknownMeter()
    {
        Assert.Equal(MeterModError.UnknownMeter, Refused(MeterMod.Modify(Meter("meter=9,kbps,band=type=drop,rate=5"))));
    }

    [Fact]
    public void AnUnknownCommandIsBadCommand()
    {
        Assert.Equal(MeterModError.BadCommand, Refused(new MeterMod((MeterModCommand)3, Meter("meter=9,kbps,band=type=drop,rate=5"))));
    }

    [Theory]
    [InlineData(OfMeterFlags.None)]
    [InlineData(OfMeterFlags.Stats)]
    [InlineData(OfMeterFlags.Kbps | OfMeterFlags.Pktps)]
    [InlineData(OfMeterFlags.Kbps | (OfMeterFlags)0x10)]
    public void FlagsNeedExactlyOneUnitAndNothingUnknown(OfMeterFlags flags)
    {
        Assert.Equal(MeterModError.BadFlags, Refused(MeterMod.Add(Drop(3, flags, 5))));
        Add("meter=3,kbps,band=type=drop,rate=5");
        Assert.Equal(MeterModError.BadFlags, Refused(MeterMod.Modify(Drop(3, flags, 5))));
    }

    [Fact]
    public void ARateOfZeroIsBadRate()
    {
        Assert.Equal(MeterModError.BadRate, Refused(MeterMod.Add(Drop(3, OfMeterFlags.Pktps, 5, 0))));
    }

    [Fact]
    public void DscpRemarkAndExperimenterBandsAreBadBand()
    {
        var dscp = new OfMeterConfig { MeterId = 4, Flags = OfMeterFlags.Kbps, Bands = [new OfMeterBand(OfMeterBandType.DscpRemark, 10, 0, 1)] };
        Assert.Equal(MeterModError.BadBand, Refused(MeterMod.Add(dscp)));
        var experimenter = dscp with { Bands = [new OfMeterBand(OfMeterBandType.Experimenter, 10)] };
        Assert.Equal(MeterModError.BadBand, Refused(MeterMod.Add(experimenter)));
    }

    [Fact]
    public void ADropBandWithAPrecLevelIsBadBandValue()
    {
        var m = new OfMeterConfig { MeterId = 4, Flags = OfMeterFlags.Kbps, Bands = [new OfMeterBand(OfMeterBandType.Drop, 10, 0, 3)] };
        Assert.Equal(MeterModError.BadBandValue, Refused(MeterMod.Add(m)));
    }

    [Fact]
    public void MoreThanEightBandsOrNoneIsOutOfBands()
    {
        Assert.Equal(MeterModError.OutOfBands, Refused(MeterMod.Add(Drop(4, OfMeterFlags.Kbps, 1, 2, 3, 4, 5, 6, 7, 8, 9))));
        Assert.Equal(MeterModError.OutOfBands, Refused(MeterMod.Add(Drop(4, OfMeterFlags.Kbps))));
        meters.Apply(MeterMod.Add(Drop(4, OfMeterFlags.Kbps, 1, 2, 3, 4, 5, 6, 7, 8)), 0);
        Assert.Equal(8, meters.Configs(4).Single().Bands.Count);
    }

    [Fact]
    public void WhenEveryDatapathMeterIsTakenAddIsOutOfMetersUntilOneIsDeleted()
    {
        for (uint id = 1; id <= MeterTable.MaxMeters; id++)
        {
            meters.Apply(MeterMod.Add(Drop(id, OfMeterFlags.Pktps, 100)), 0);
        }

        Assert.Equal(MeterModError.OutOfMeters, Refused(MeterMod.Add(Drop(MeterTable.MaxMeters + 1, OfMeterFlags.Pktps, 100))));
        Assert.True(meters.TryGetDatapathId(17, out uint freed));
        meters.Apply(MeterMod.Delete(17), 0);
        meters.Apply(MeterMod.Add(Drop(MeterTable.MaxMeters + 1, OfMeterFlags.Pktps, 100)), 0);
        Assert.True(meters.TryGetDatapathId(MeterTable.MaxMeters + 1, out uint reused));
        Assert.Equal(freed, reused);
    }

    [Fact]
    public void ModifyChangesTheDatapathMeterInPlaceAndKeepsTheVersionAndDuration()
    {
        ulong now = 0;
        var clocked = new MeterTable(1_000_000, () => now);
        var p = new OfPipeline();
        var t = new OfMeterTable(p, new MeterTableMeters(clocked));
        t.Apply(MeterMod.Add(Meter("meter=1,pktps,band=type=drop,rate=2")), 0);
        Assert.True(t.TryGetDatapathId(1, out uint dp));

        // A one-second bucket of 2 packets: the third at once is dropped.
        Assert.True(clocked.Apply(dp, 60, now));
        Assert.True(clocked.Apply(dp, 60, now));
        Assert.False(clocked.Apply(dp, 60, now));

        long version = p.Version;
        t.Apply(MeterMod.Modify(Meter("meter=1,pktps,burst,band=type=drop,rate=2,burst_size=10")), 5 * Second);
        Assert.Equal(version, p.Version);
        Assert.True(t.TryGetDatapathId(1, out uint after));
        Assert.Equal(dp, after);

        // The same datapath id now meters by the new bucket of 10 packets.
        int passed = 0;
        for (int i = 0; i < 20; i++)
        {
            passed += clocked.Apply(dp, 60, now) ? 1 : 0;
        }

        Assert.Equal(10, passed);
        OfMeterStats s = t.Stats(1, 7 * Second).Single();
        Assert.Equal(7u, s.DurationSeconds);
        Assert.Equal(20ul, s.PacketInCount);
        Assert.Equal(10ul, s.Bands[0].Packets);
    }

    [Fact]
    public void DeleteTakesTheRulesThatUseTheMeterAndBumpsTheVersion()
    {
        Add("meter=1,kbps,band=type=drop,rate=5");
        Add("meter=2,kbps,band=type=drop,rate=5");
        AddFlow("in_port=1,actions=meter:1,output:2");
        AddFlow("table=3,in_port=2,actions=meter:1,output:1");
        AddFlow("in_port=3,actions=meter:2,output:1");
        AddFlow("in_port=4,actions=output:1");
        Assert.True(meters.TryGetDatapathId(1, out uint dp));
        OfRule[] users = pipeline.Rules.Where(r => r.Spec.Instructions.Meter == 1).ToArray();

        long version = pipeline.Version;
        List<RemovedRule> removed = meters.Apply(MeterMod.Delete(1), 0);
        Assert.True(pipeline.Version > version);
        Assert.Equal(users.ToHashSet(), removed.Select(r => r.Rule).ToHashSet());
        Assert.All(removed, r => Assert.Equal(FlowRemovedReason.MeterDelete, r.Reason));
        Assert.All(users, r => Assert.True(r.Removed));
        Assert.Equal(2, pipeline.Count);
        Assert.False(meters.Contains(1));
        Assert.False(datapath.TryGetStats(dp, out _), "the datapath meter is gone");
        Assert.Equal(FlowModError.InvalidMeter, Assert.Throws<FlowModException>(() => AddFlow("in_port=1,actions=meter:1,output:2")).Error);
    }

    [Fact]
    public void DeleteOfAllTakesEveryMeterAndTheirRulesAndOfAMissingMeterDoesNothing()
    {
        Add("meter=1,kbps,band=type=drop,rate=5");
        Add("meter=2,pktps,band=type=drop,rate=5");
        AddFlow("in_port=1,actions=meter:1,output:2");
        AddFlow("in_port=3,actions=meter:2,output:1");
        AddFlow("in_port=4,actions=output:1");

        long version = pipeline.Version;
        Assert.Empty(meters.Apply(MeterMod.Delete(99), 0));
        Assert.Equal(version, pipeline.Version);
        Assert.Equal(2, meters.Count);

        Assert.Equal(2, meters.Apply(MeterMod.Delete(OfMeterIds.All), 0).Count);
        Assert.Equal(0, meters.Count);
        Assert.Null(pipeline.Rules.Single().Spec.Instructions.Meter);
        Assert.Empty(meters.Configs());
    }

    [Fact]
    public void StatsCountFlowsPacketsBandDropsAndDuration()
    {
        Add("meter=1,pktps,burst,stats,band=type=drop,rate=5,burst_size=2");
        Add("meter=2,kbps,bands=type=drop,rate=100,type=drop,rate=200");
        AddFlow("in_port=1,actions=meter:1,output:2");
        AddFlow("in_port=2,actions=meter:1,output:1");
        Assert.True(meters.TryGetDatapathId(1, out uint dp));
        for (int i = 0; i < 5; i++)
        {
            datapath.Apply(dp, 100, 0);
        }

        OfMeterStats one = meters.Stats(1, Second * 3 / 2).Single();
        Assert.Equal(new OfMeterStats(1, 2, 5, 500, 1, 500_000_000, one.Bands), one);
        Assert.Equal([new OfMeterBandStats(3, 300)], one.Bands);
        Assert.Equal("meter:1 flow_count:2 packet_in_count:5 byte_in_count:500 duration:1.500s bands:\n0: packet_count:3 byte_count:300", MeterText.FormatStats(one));

        IReadOnlyList<OfMeterStats> all = meters.Stats(OfMeterIds.All, Second);
        Assert.Equal([1u, 2u], all.Select(s => s.MeterId));
        Assert.Equal(0u, all[1].FlowCount);
        Assert.Equal(2, all[1].Bands.Count);
        Assert.Empty(meters.Stats(3, 0));
    }
}
