namespace FastPath.Datapath.Pmd;

/// <summary>Synchronous request/reply over a PMD's rings, for the slow path's single thread.</summary>
public static class PmdThreadCalls
{
    /// <summary>
    /// Submits <paramref name="command"/> and waits for its reply. Replies to earlier fire-and-forget
    /// commands that arrive first are discarded. Throws <see cref="TimeoutException"/> if the PMD does not answer.
    /// </summary>
    public static PmdCommand Call(this PmdThread pmd, PmdCommand command, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!pmd.TrySubmit(command))
        {
            WaitOrThrow(pmd, deadline);
        }

        while (true)
        {
            if (pmd.Replies.TryDequeue(out PmdCommand reply) && ReferenceEquals(reply, command))
            {
                return reply;
            }

            if (reply == null)
            {
                WaitOrThrow(pmd, deadline);
            }
        }
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
