namespace FastPath.Datapath.Pmd;

/// <summary>Synchronous request/reply with a PMD, for control threads (the slow path, the daemon, OpenFlow handlers).</summary>
public static class PmdThreadCalls
{
    /// <summary>
    /// Submits <paramref name="command"/> and waits until the PMD has answered it. Safe when several threads
    /// call at once: submission is serialized, and each caller waits on its own command, not on the reply
    /// ring. Throws <see cref="TimeoutException"/> if the PMD does not answer; a command object is used once.
    /// </summary>
    public static PmdCommand Call(this PmdThread pmd, PmdCommand command, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.IsCompleted || command.IsSynchronous)
        {
            throw new ArgumentException("a PMD command is submitted once; make a new one", nameof(command));
        }

        command.IsSynchronous = true;
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!pmd.TrySubmit(command))
        {
            WaitOrThrow(pmd, deadline);
        }

        var spin = default(SpinWait);
        while (!command.IsCompleted)
        {
            if (spin.NextSpinWillYield)
            {
                WaitOrThrow(pmd, deadline);
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        return command;
    }

    private static void WaitOrThrow(PmdThread pmd, DateTime deadline)
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"PMD on core {pmd.CoreId} did not answer{(pmd.IsRunning ? "" : " (it is not running)")}");
        }

        Thread.Sleep(0);
    }
}
