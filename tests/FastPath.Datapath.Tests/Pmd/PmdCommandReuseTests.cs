using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Packets;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>Flow commands recycled by a caller that installs flows at a high rate, so that it allocates nothing per flow.</summary>
public class PmdCommandReuseTests
{
    private static readonly byte[] Output2 = new ActionProgramBuilder().Output(2).ToArray();
    private static readonly byte[] Output3 = new ActionProgramBuilder().Output(3).ToArray();

    private static FlowMatch Flow(int i) =>
        new MatchBuilder().InPort(1).EthType(EtherTypes.Ipv4).Ipv4Src($"10.0.0.{i}").Build();

    [Fact]
    public async Task AnAnsweredPutIsReusedForAnotherPutAndThenADelete()
    {
        using var pmd = new PmdThread(-1, new PmdOptions { CommandRingSize = 16 });
        PmdCommand cmd = PmdCommand.FlowPut(Flow(1), Output2);
        Assert.True(pmd.TrySubmit(cmd));
        pmd.PollOnce();
        Assert.True(pmd.Replies.TryDequeue(out PmdCommand r1));
        Assert.Same(cmd, r1);
        Assert.True(cmd.Ok);
        int first = cmd.FlowId;

        cmd.ReuseAsFlowPut(Flow(2), Output3);
        Assert.False(cmd.IsCompleted);
        Assert.Equal(-1, cmd.FlowId);
        Assert.True(pmd.TrySubmit(cmd));
        pmd.PollOnce();
        Assert.True(pmd.Replies.TryDequeue(out _));
        Assert.True(cmd.Ok);
        Assert.NotEqual(first, cmd.FlowId);

        // Deleting a flow that is not there answers with an error, and the error goes with the next reuse.
        cmd.ReuseAsFlowDel(Flow(3));
        Assert.True(pmd.TrySubmit(cmd));
        pmd.PollOnce();
        Assert.True(pmd.Replies.TryDequeue(out _));
        Assert.False(cmd.Ok);
        Assert.NotNull(cmd.Error);

        cmd.ReuseAsFlowDel(Flow(1));
        Assert.Null(cmd.Error);
        Assert.Equal(PmdCommandKind.FlowDel, cmd.Kind);
        Assert.Null(cmd.Actions);
        Assert.True(pmd.TrySubmit(cmd));
        pmd.PollOnce();
        Assert.True(pmd.Replies.TryDequeue(out _));
        Assert.True(cmd.Ok);

        // A synchronous call after asynchronous use works too.
        cmd.ReuseAsFlowPut(Flow(4), Output2);
        Task<PmdCommand> call = Task.Run(() => pmd.Call(cmd, TimeSpan.FromSeconds(10)));
        while (!call.IsCompleted)
        {
            pmd.PollOnce();
        }

        Assert.True((await call).Ok);
        var buffer = new FlowDumpBuffer();
        Assert.True(pmd.TrySubmit(PmdCommand.FlowDump(0, buffer)));
        pmd.PollOnce();
        Assert.Equal(new[] { Flow(2).Key, Flow(4).Key }.ToHashSet(), buffer.Select(f => f.Match.Key).ToHashSet());
    }

    [Fact]
    public void ACommandThePmdHasNotAnsweredCannotBeReused()
    {
        PmdCommand cmd = PmdCommand.FlowPut(Flow(1), Output2);
        Assert.Throws<InvalidOperationException>(() => cmd.ReuseAsFlowPut(Flow(2), Output2));
        Assert.Throws<InvalidOperationException>(() => cmd.ReuseAsFlowDel(Flow(2)));
        Assert.Equal(PmdCommandKind.FlowPut, cmd.Kind);
    }
}
