using FastPath.Datapath.Ports;

namespace FastPath.Datapath.Tests.Ports;

/// <summary>The spacing of empty polls of a system-call port: quiet for one interval after an empty poll, never otherwise.</summary>
public sealed class IdlePollBackoffTests
{
    [Fact]
    public void AnEmptyPollSilencesTheQueueForOneInterval()
    {
        var b = new IdlePollBackoff(50);
        Assert.True(b.ShouldPoll(1000));
        b.Empty(1000);
        Assert.False(b.ShouldPoll(1001));
        Assert.False(b.ShouldPoll(1049));
        Assert.True(b.ShouldPoll(1050));
        Assert.True(b.ShouldPoll(5000));
    }

    [Fact]
    public void AZeroIntervalPollsEveryTime()
    {
        var b = new IdlePollBackoff(0);
        b.Empty(1000);
        Assert.True(b.ShouldPoll(1000));
    }

    [Fact]
    public void TheDefaultIsFiftyMicroseconds()
    {
        double seconds = IdlePollBackoff.DefaultIntervalCycles / (double)FastPath.Native.Cpu.TscHz;
        Assert.InRange(seconds, 49e-6, 51e-6);
    }
}
