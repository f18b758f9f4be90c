using FastPath.Native;

namespace FastPath.Datapath.Ports;

/// <summary>
/// Spaces out the polls of a receive queue that costs a system call per poll (a tap or libpcap port) while it
/// is idle: after a poll that found nothing, the next <see cref="IntervalCycles"/> TSC cycles of polls return
/// at once without asking the kernel.
/// </summary>
/// <remarks>
/// A PMD polls every queue it owns on every iteration, a few hundred nanoseconds apart under load. For a
/// ring-based port (AF_XDP, replay) that poll is a memory read; for a tap it is a <c>read()</c> that almost
/// always answers EAGAIN, and on a bridge forwarding line rate between two other ports those empty reads took
/// close to half of the PMD's cycles. Open vSwitch keeps such ports off its PMDs altogether (its main thread
/// polls them); spacing the empty polls keeps them on the PMD, bounds the extra latency of the first frame
/// after a quiet spell to one interval, and costs a busy port nothing, because only empty polls back off.
/// </remarks>
public struct IdlePollBackoff
{
    /// <summary>The default spacing of empty polls: 50 microseconds.</summary>
    public const double DefaultIntervalSeconds = 50e-6;

    private ulong quietUntil;

    /// <summary>Creates a backoff that waits <paramref name="intervalCycles"/> TSC cycles after an empty poll (0: never waits).</summary>
    public IdlePollBackoff(ulong intervalCycles)
    {
        IntervalCycles = intervalCycles;
    }

    /// <summary>The default interval in this machine's TSC cycles.</summary>
    public static ulong DefaultIntervalCycles => (ulong)(Cpu.TscHz * DefaultIntervalSeconds);

    /// <summary>How long, in TSC cycles, an empty poll silences the queue.</summary>
    public ulong IntervalCycles { get; }

    /// <summary>Whether a poll at TSC <paramref name="now"/> should ask the kernel (false: still in the quiet spell).</summary>
    public readonly bool ShouldPoll(ulong now) => now >= quietUntil;

    /// <summary>Records that a poll at TSC <paramref name="now"/> found nothing.</summary>
    public void Empty(ulong now) => quietUntil = now + IntervalCycles;
}
