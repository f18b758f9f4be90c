using FastPath.Datapath.Actions;
using FastPath.Datapath.Flows;
using FastPath.Datapath.Pmd;
using FastPath.Datapath.Ports.Memory;

namespace FastPath.Datapath.Tests.Pmd;

/// <summary>
/// The control API used from several threads at once, as the slow path, the daemon and OpenFlow handlers
/// will: every call is answered, none is lost or answered to the wrong caller.
/// </summary>
public class ConcurrentControlTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FourThreadsCallingAtOnceAreAllAnswered(int pmds)
    {
        using var dp = new NetdevDatapath(Enumerable.Repeat(-1, pmds));
        dp.Start();
        dp.AddPort(new MemoryNetdev("p1"), 1);
        dp.AddPort(new MemoryNetdev("p2"), 2);
        byte[] output = new ActionProgramBuilder().Output(2).ToArray();
        const int Rounds = 300;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                for (int i = 0; i < Rounds; i++)
                {
                    FlowMatch m = new MatchBuilder().InPort(1).EthType(0x0800).Ipv4Src($"10.{t}.{i / 256}.{i % 256}/32").Build();
                    dp.PutFlow(m, output);
                    Assert.Equal(pmds, dp.GetPmdStats().Count);
                    PmdCommand dump = dp.Pmds[i % pmds].Call(PmdCommand.StatsRequest());
                    Assert.True(dump.Ok);
                    if (i % 2 == 0)
                    {
                        Assert.True(dp.DeleteFlow(m));
                    }
                }
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(errors);
        foreach (PmdThread pmd in dp.Pmds)
        {
            Assert.Equal(4 * Rounds / 2, pmd.DumpFlows().Count);
        }
    }

    [Fact]
    public void ACommandIsSubmittedOnce()
    {
        using var dp = new NetdevDatapath([-1]);
        dp.Start();
        PmdCommand c = PmdCommand.StatsRequest();
        Assert.True(dp.Pmds[0].Call(c).Ok);
        Assert.Throws<ArgumentException>(() => dp.Pmds[0].Call(c));
    }
}
