using FastPath.Daemon.Appctl;

namespace FastPath.Daemon.Tests.Appctl;

/// <summary>dpctl/dump-flows' "used:" field, as Open vSwitch prints it.</summary>
public class FlowUsedTests
{
    private const double Hz = 2_000_000_000;

    [Fact]
    public void UsedIsSecondsAgoOrNever()
    {
        Assert.Equal("never", DpctlCommands.FormatUsed(5_000_000_000, 0, Hz));
        Assert.Equal("1.500s", DpctlCommands.FormatUsed(5_000_000_000, 2_000_000_000, Hz));
        Assert.Equal("0.000s", DpctlCommands.FormatUsed(5_000_000_000, 5_000_000_000, Hz));
    }

    [Fact]
    public void AFlowHitAfterTheDumpBeganWasUsedJustNow()
    {
        // The PMD forwarded after the dump read its clock: before, the unsigned difference wrapped (used:9223372036.855s).
        Assert.Equal("0.000s", DpctlCommands.FormatUsed(5_000_000_000, 5_000_400_000, Hz));
    }
}
