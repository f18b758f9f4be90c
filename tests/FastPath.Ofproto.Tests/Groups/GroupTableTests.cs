using FastPath.Ofproto.Groups;
using FastPath.Ofproto.Tables;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Groups;
using FastPath.OpenFlow.Rules;
using FastPath.OpenFlow.Text;

namespace FastPath.Ofproto.Tests.Groups;

/// <summary>Group-mod semantics of OpenFlow 1.3 on the group table, every refusal with its OpenFlow error, and the pipeline's side of it.</summary>
public class GroupTableTests
{
    private static GroupMod Add(string line) => new(GroupModCommand.Add, GroupText.Parse(line));

    private static GroupMod Modify(string line) => new(GroupModCommand.Modify, GroupText.Parse(line));

    private static GroupTable With(params string[] lines)
    {
        var t = new GroupTable();
        foreach (string l in lines)
        {
            t.Apply(Add(l), 0);
        }

        return t;
    }

    private static void Refused(GroupModError error, GroupTable t, GroupMod mod)
    {
        long version = t.Version;
        var before = t.Groups.Select(g => g.Description).ToList();
        GroupModException e = Assert.Throws<GroupModException>(() => t.Apply(mod, 5));
        Assert.Equal(error, e.Error);
        Assert.Equal(version, t.Version);
        Assert.Equal(before, t.Groups.Select(g => g.Description).ToList());
    }

    [Fact]
    public void AddInstallsTheGroupAndNumbersItsBuckets()
    {
        GroupTable t = With("group_id=1,type=select,bucket=bucket_id:1,output:1,bucket=output:2,bucket=output:3");
        OfGroup g = t.Find(1)!;
        Assert.Equal([1u, 0u, 2u], g.Buckets.Select(b => b.Spec.BucketId));
        Assert.True(t.Contains(1));
        Assert.Equal(1, t.Count);
        Assert.Equal(1, t.Version);
    }

    [Fact]
    public void AddOfAnExistingGroupIsGroupExists() =>
        Refused(GroupModError.GroupExists, With("group_id=1,type=all,bucket=output:1"), Add("group_id=1,type=all,bucket=output:2"));

    [Fact]
    public void ModifyOfAMissingGroupIsUnknownGroup() =>
        Refused(GroupModError.UnknownGroup, With(), Modify("group_id=9,type=all,bucket=output:2"));

    [Fact]
    public void ModifyReplacesTypeAndBucketsAndKeepsTheGroupsCounters()
    {
        GroupTable t = With("group_id=1,type=all,bucket=output:1,bucket=output:2");
        OfGroup g = t.Find(1)!;
        g.Credit(3, 300, 1);
        g.Buckets[0].Credit(3, 300, 1);
        t.Apply(Modify("group_id=1,type=select,bucket=output:3"), 10);
        Assert.Same(g, t.Find(1));
        Assert.Equal(GroupType.Select, g.Type);
        Assert.Equal(3, g.Packets);
        Assert.Equal(0, Assert.Single(g.Buckets).Packets);
        Assert.Equal(0, g.CreatedTicks);
        Assert.Equal(2, t.Version);
    }

    [Fact]
    public void AddOrModifyAddsThenModifies()
    {
        var t = new GroupTable();
        t.Apply(new GroupMod(GroupModCommand.AddOrModify, GroupText.Parse("group_id=1,type=all,bucket=output:1")), 0);
        t.Apply(new GroupMod(GroupModCommand.AddOrModify, GroupText.Parse("group_id=1,type=indirect,bucket=output:2")), 0);
        Assert.Equal(GroupType.Indirect, t.Find(1)!.Type);
    }

    [Fact]
    public void DeleteRemovesOneOrAllAndAMissingOneIsNoError()
    {
        GroupTable t = With("group_id=1,type=all,bucket=output:1", "group_id=2,type=all,bucket=output:2", "group_id=3,type=all,bucket=output:3");
        OfGroup one = t.Find(1)!;
        Assert.Equal([1u], t.Apply(GroupMod.Delete(1), 0));
        Assert.True(one.Removed);
        Assert.Empty(t.Apply(GroupMod.Delete(1), 0));
        Assert.Equal([2u, 3u], t.Apply(GroupMod.Delete(GroupIds.All), 0).Order());
        Assert.Equal(0, t.Count);
    }

    [Fact]
    public void ReservedIdsAreInvalidGroup()
    {
        GroupTable t = With();
        var reserved = new GroupDescription { GroupId = GroupIds.Max + 1, Type = GroupType.All };
        Refused(GroupModError.InvalidGroup, t, new GroupMod(GroupModCommand.Add, reserved));
        Refused(GroupModError.InvalidGroup, t, new GroupMod(GroupModCommand.Modify, reserved));
        Refused(GroupModError.InvalidGroup, t, GroupMod.Delete(GroupIds.Any));
        t.Apply(new GroupMod(GroupModCommand.Add, reserved with { GroupId = GroupIds.Max }), 0);
    }

    [Fact]
    public void ADeleteWithBucketsIsInvalidGroup() =>
        Refused(GroupModError.InvalidGroup, With("group_id=1,type=all,bucket=output:1"), new GroupMod(GroupModCommand.Delete, GroupText.Parse("group_id=1,type=all,bucket=output:1")));

    [Fact]
    public void TypeRulesGiveTheirErrors()
    {
        GroupTable t = With();
        var bucket = new GroupBucket { Actions = [new OutputAction(1)] };
        Refused(GroupModError.BadType, t, new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = (GroupType)9, Buckets = [bucket] }));
        Refused(GroupModError.InvalidGroup, t, new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.Indirect }));
        Refused(GroupModError.InvalidGroup, t, new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.Indirect, Buckets = [bucket, bucket] }));
        Refused(GroupModError.InvalidGroup, t, new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.All, Buckets = [bucket with { Weight = 2 }] }));
        Refused(GroupModError.InvalidGroup, t, new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.FastFailover, Buckets = [bucket] }));
        Refused(GroupModError.WatchUnsupported, t, new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.All, Buckets = [bucket with { WatchPort = 2 }] }));
        Refused(GroupModError.WatchUnsupported, t, new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.Indirect, Buckets = [bucket with { WatchPort = 2 }] }));
        Refused(GroupModError.InvalidGroup, t, new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.All, SelectionMethod = "hash", Buckets = [bucket] }));
        Refused(GroupModError.InvalidGroup, t, new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.Select, SelectionMethod = "magic", Buckets = [bucket] }));

        // A select group may watch: it then picks among its live buckets only.
        t.Apply(new GroupMod(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.Select, Buckets = [bucket with { WatchPort = 2, Weight = 1 }] }), 0);
    }

    [Fact]
    public void BadBucketsAndWatches()
    {
        GroupTable t = With("group_id=5,type=all,bucket=output:1");
        var bucket = new GroupBucket { Actions = [new OutputAction(1)], Weight = 1 };
        GroupMod Select(params GroupBucket[] b) => new(GroupModCommand.Add, new GroupDescription { GroupId = 1, Type = GroupType.Select, Buckets = b });
        Refused(GroupModError.BadBucket, t, Select(bucket with { BucketId = 4 }, bucket with { BucketId = 4 }));
        Refused(GroupModError.BadBucket, t, Select(bucket with { BucketId = GroupBucket.MaxBucketId + 1 }));
        Refused(GroupModError.BadBucket, t, Select(bucket with { Actions = [new OutputAction(0)] }));
        Refused(GroupModError.BadBucket, t, Select(bucket with { Actions = [new OutputAction(OpenFlow.Fields.OfPorts.Table)] }));
        Refused(GroupModError.BadBucket, t, Select(bucket with { Actions = [new OutputAction(0xffff0000)] }));
        Refused(GroupModError.BadOutGroup, t, Select(bucket with { Actions = [new GroupAction(GroupIds.All)] }));
        Refused(GroupModError.BadWatch, t, Select(bucket with { WatchPort = OpenFlow.Fields.OfPorts.Local }));
        Refused(GroupModError.BadWatch, t, Select(bucket with { WatchGroup = GroupIds.Max + 1 }));
        Refused(GroupModError.OutOfBuckets, new GroupTable(maxBuckets: 2), Select(bucket, bucket, bucket));
        t.Apply(Select(bucket with { WatchGroup = 5 }, bucket with { Actions = [new GroupAction(5)] }), 0);
    }

    [Fact]
    public void ABucketMayNameAGroupThatDoesNotExistYetAsInOpenVSwitch()
    {
        // Open vSwitch 3.1 accepts "group_id=98,type=all,bucket=actions=group:97" and a watch_group of a missing group,
        // and lists them in dump-groups as given.
        GroupTable t = With("group_id=98,type=all,bucket=actions=group:97", "group_id=96,type=ff,bucket=watch_group:95,actions=output:1");
        Assert.Equal([96u, 98u], t.Groups.Select(g => g.GroupId));
        OfGroup ff = t.Find(96)!;
        Assert.False(GroupLiveness.IsLive(t, ff, ff.Buckets[0], _ => true)); // a watched group that does not exist is not live

        // Once the group exists, the references work; the chain checks still apply to it.
        t.Apply(Add("group_id=97,type=all,bucket=output:2"), 0);
        t.Apply(Add("group_id=95,type=all,bucket=output:3"), 0);
        Assert.True(GroupLiveness.IsLive(t, ff, ff.Buckets[0], _ => true));
        Refused(GroupModError.Loop, t, Modify("group_id=97,type=all,bucket=group:98"));
    }

    [Fact]
    public void TheTableRefusesGroupsBeyondItsSize()
    {
        var t = new GroupTable(maxGroups: 1);
        t.Apply(Add("group_id=1,type=all,bucket=output:1"), 0);
        Refused(GroupModError.OutOfGroups, t, Add("group_id=2,type=all,bucket=output:1"));
        t.Apply(Modify("group_id=1,type=all,bucket=output:2"), 0);
    }

    [Fact]
    public void ChainsMayNotLoopNorRunTooDeep()
    {
        GroupTable t = With("group_id=1,type=all,bucket=output:1", "group_id=2,type=all,bucket=group:1", "group_id=3,type=indirect,bucket=group:2");
        Refused(GroupModError.Loop, t, Modify("group_id=1,type=all,bucket=group:3"));
        Refused(GroupModError.Loop, t, Modify("group_id=1,type=all,bucket=group:1"));
        Refused(GroupModError.Loop, t, Modify("group_id=1,type=ff,bucket=watch_group:3,output:1"));
        Refused(GroupModError.Loop, t, Add("group_id=4,type=ff,bucket=watch_group:4,output:1"));

        var deep = new GroupTable();
        deep.Apply(Add("group_id=1,type=all,bucket=output:1"), 0);
        for (uint i = 2; i <= GroupTable.MaxChainDepth; i++)
        {
            deep.Apply(Add($"group_id={i},type=indirect,bucket=group:{i - 1}"), 0);
        }

        Refused(GroupModError.ChainingUnsupported, deep, Add($"group_id=100,type=indirect,bucket=group:{GroupTable.MaxChainDepth}"));

        // Lengthening the chain from its far end counts too.
        deep.Apply(Add("group_id=200,type=all,bucket=output:2"), 0);
        Refused(GroupModError.ChainingUnsupported, deep, Modify("group_id=1,type=all,bucket=group:200"));
    }

    [Fact]
    public void AGroupAnotherOneUsesCannotBeDeletedAlone()
    {
        GroupTable t = With("group_id=1,type=all,bucket=output:1", "group_id=2,type=all,bucket=group:1", "group_id=3,type=ff,bucket=watch_group:2,output:2");
        Refused(GroupModError.ChainedGroup, t, GroupMod.Delete(1));
        Refused(GroupModError.ChainedGroup, t, GroupMod.Delete(2));
        Assert.Equal(1, t.GroupReferences(1));
        t.Apply(GroupMod.Delete(3), 0);
        t.Apply(GroupMod.Delete(2), 0);
        t.Apply(GroupMod.Delete(1), 0);
        Assert.Equal(0, t.Count);
    }

    [Fact]
    public void ThePipelineChecksGroupsAndDeletesTheRulesThatUseADeletedGroup()
    {
        var p = new OfPipeline();
        FlowSyntaxOk(p, "priority=1,actions=output:1");
        Assert.Equal(FlowModError.BadOutGroup, Assert.Throws<FlowModException>(() => FlowSyntaxOk(p, "priority=2,actions=group:1")).Error);

        long v0 = p.Version;
        p.ApplyGroupMod(Add("group_id=1,type=all,bucket=output:1,bucket=output:2"), 0);
        p.ApplyGroupMod(Add("group_id=2,type=all,bucket=output:3"), 0);
        Assert.True(p.Version > v0);
        FlowSyntaxOk(p, "priority=2,actions=group:1");
        FlowSyntaxOk(p, "priority=3,ip,actions=write_actions(group:1)");
        FlowSyntaxOk(p, "priority=4,ip,actions=group:2");
        Assert.Equal(2, p.GroupRefCount(1));

        long v1 = p.Version;
        List<RemovedRule> removed = p.ApplyGroupMod(GroupMod.Delete(1), 0);
        Assert.Equal([2, 3], removed.Select(r => (int)r.Rule.Spec.Priority).Order());
        Assert.All(removed, r => Assert.Equal(FlowRemovedReason.GroupDelete, r.Reason));
        Assert.All(removed, r => Assert.True(r.Rule.Removed));
        Assert.Equal([1, 4], p.Rules.Select(r => (int)r.Spec.Priority).Order());
        Assert.True(p.Version > v1);

        // A refused group-mod changes nothing, the version included.
        long v2 = p.Version;
        Assert.Throws<GroupModException>(() => p.ApplyGroupMod(Add("group_id=2,type=all,bucket=output:1"), 0));
        Assert.Equal(v2, p.Version);

        List<RemovedRule> all = p.ApplyGroupMod(GroupMod.Delete(GroupIds.All), 0);
        Assert.Equal(4, (int)Assert.Single(all).Rule.Spec.Priority);
    }

    private static void FlowSyntaxOk(OfPipeline p, string rule) => p.Apply(new FlowMod(FlowModCommand.Add, FlowText.Parse(rule)), 0);
}
