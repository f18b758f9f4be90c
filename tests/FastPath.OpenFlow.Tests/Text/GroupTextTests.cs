using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Groups;
using FastPath.OpenFlow.Text;

namespace FastPath.OpenFlow.Tests.Text;

/// <summary>Group syntax of ovs-ofctl (the Open vSwitch round trip in the Ofproto tests checks the printed form against ovs-ofctl itself).</summary>
public class GroupTextTests
{
    [Fact]
    public void ASelectGroupWithIdsWeightsAndWatchesParses()
    {
        GroupDescription g = GroupText.Parse("group_id=7,type=select,bucket=bucket_id:3,weight:10,actions=output:1,bucket=watch_port:2,watch_group:5,output:2,mod_nw_src:1.2.3.4");
        Assert.Equal(7u, g.GroupId);
        Assert.Equal(GroupType.Select, g.Type);
        Assert.Equal(2, g.Buckets.Count);
        Assert.Equal(3u, g.Buckets[0].BucketId);
        Assert.Equal(10, g.Buckets[0].Weight);
        Assert.Equal([new OutputAction(1)], g.Buckets[0].Actions);
        Assert.Equal(GroupBucket.NoBucketId, g.Buckets[1].BucketId);
        Assert.Equal(1, g.Buckets[1].Weight);
        Assert.Equal(2u, g.Buckets[1].WatchPort);
        Assert.Equal(5u, g.Buckets[1].WatchGroup);
        Assert.Equal(2, g.Buckets[1].Actions.Count);
        Assert.Equal(OfFields.IpSrc, Assert.IsType<SetFieldAction>(g.Buckets[1].Actions[1]).Field);
    }

    [Theory]
    [InlineData("group_id=1,type=all,bucket=output:1,bucket=output:2", "group_id=1,type=all,bucket=actions=output:1,bucket=actions=output:2")]
    [InlineData("group_id=2,type=fast_failover,bucket=watch_port:2,actions=output:2,bucket=watch_group:3,output:3", "group_id=2,type=ff,bucket=watch_port:2,actions=output:2,bucket=watch_group:3,actions=output:3")]
    [InlineData("group_id=3,type=indirect,bucket=actions=mod_dl_src:00:00:00:00:00:01,output:4", "group_id=3,type=indirect,bucket=actions=set_field:00:00:00:00:00:01->eth_src,output:4")]
    [InlineData("group_id=4,type=select", "group_id=4,type=select")]
    [InlineData("group_id=5,type=all,bucket=actions=drop", "group_id=5,type=all,bucket=actions=drop")]
    [InlineData("group_id=6,type=select,bucket=weight:0,output:1,bucket=weight:1,output:2", "group_id=6,type=select,bucket=weight:0,actions=output:1,bucket=actions=output:2")]
    [InlineData("group_id=7,type=all,bucket=mod_tp_src:5,output:1,bucket=group:3", "group_id=7,type=all,bucket=actions=mod_tp_src:5,output:1,bucket=actions=group:3")]
    public void PrintsAsDumpGroupsDoesForOpenFlow13(string line, string printed)
    {
        GroupDescription g = GroupText.Parse(line);
        Assert.Equal(printed, GroupText.Format(g));
        Assert.Equal(g, GroupText.Parse(GroupText.Format(g)));
    }

    [Fact]
    public void OpenFlow15PrintsBucketIdsAndTheSelectionMethod()
    {
        GroupDescription g = GroupText.Parse("group_id=2,type=select,selection_method=hash,selection_method_param=7,fields(ip_src,eth_dst=ff:ff:ff:00:00:00),bucket=bucket_id:5,output:1,bucket=output:2");
        Assert.Equal("hash", g.SelectionMethod);
        Assert.Equal(7ul, g.SelectionMethodParam);
        Assert.Equal(2, g.Fields.Count);
        Assert.Equal(
            "group_id=2,type=select,selection_method=hash,selection_method_param=7,fields(ip_src,eth_dst=ff:ff:ff:00:00:00),bucket=bucket_id:5,actions=output:1,bucket=bucket_id:1,actions=output:2",
            GroupText.Format(g, OpenFlowVersion.OF15));
        Assert.Equal("group_id=2,type=select,bucket=actions=output:1,bucket=actions=output:2", GroupText.Format(g));
    }

    [Theory]
    [InlineData("type=all,bucket=output:1", "must specify a group_id")]
    [InlineData("group_id=1,bucket=output:1", "must specify a type")]
    [InlineData("group_id=1,type=many", "invalid group type many")]
    [InlineData("group_id=1,type=all,colour=red", "unknown keyword colour")]
    [InlineData("group_id=1,type=all,bucket=weight:2,output:1", "Only select groups can have bucket weights.")]
    [InlineData("group_id=1,type=indirect,bucket=output:1,bucket=output:2", "Indirect groups can have at most one bucket.")]
    [InlineData("group_id=1,type=ff,bucket=output:1", "fast failover bucket requires watch_port or watch_group")]
    [InlineData("group_id=1,type=all,bucket=weight:0", "bucket must specify actions")]
    [InlineData("group_id=1,type=ff,bucket=watch_port:LOCAL,output:1", "LOCAL: invalid watch_port")]
    [InlineData("group_id=4294967041,type=all", "invalid group id 4294967041")]
    [InlineData("group_id=1,type=select,fields(ip_src),bucket=output:1", "fields may only be specified with \"selection_method=hash\"")]
    [InlineData("group_id=1,type=all,bucket=goto_table:2", "a bucket holds actions, not instructions")]
    [InlineData("group_id=1,type=all,bucket=output:1,frobnicate", "unknown action frobnicate")]
    public void RefusesWhatOvsOfctlRefuses(string line, string message)
    {
        FlowSyntaxException e = Assert.Throws<FlowSyntaxException>(() => GroupText.Parse(line));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileSkipsCommentsAndNamesTheBadLine()
    {
        var groups = GroupText.ParseFile(new StringReader("# groups\ngroup_id=1,type=all,bucket=output:1\n\ngroup_id=2,type=indirect,bucket=output:2 # next hop\n"));
        Assert.Equal([1u, 2u], groups.Select(g => g.GroupId));
        FlowSyntaxException e = Assert.Throws<FlowSyntaxException>(() => GroupText.ParseFile(new StringReader("group_id=1,type=all\ngroup_id=2\n")));
        Assert.StartsWith("line 2:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteFiltersNameOneGroupOrAll()
    {
        Assert.Equal(5u, GroupText.ParseDeleteFilter("group_id=5"));
        Assert.Equal(GroupIds.All, GroupText.ParseDeleteFilter("group_id=all"));
        Assert.Equal(GroupIds.All, GroupText.ParseDeleteFilter(""));
        Assert.Throws<FlowSyntaxException>(() => GroupText.ParseDeleteFilter("type=all"));
    }
}
