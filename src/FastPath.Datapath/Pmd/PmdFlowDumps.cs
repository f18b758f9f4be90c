namespace FastPath.Datapath.Pmd;

/// <summary>Whole flow dumps over a PMD's command ring, one bounded chunk per command so the PMD never stalls.</summary>
public static class PmdFlowDumps
{
    /// <summary>
    /// Every megaflow of <paramref name="pmd"/>, fetched lazily <paramref name="chunk"/> at a time (one
    /// synchronous <see cref="PmdThreadCalls.Call"/> per chunk; any thread may walk, several at once).
    /// A flow installed for the whole walk appears exactly once; flows added or removed meanwhile may or may not.
    /// </summary>
    public static IEnumerable<DatapathFlow> EnumerateFlows(this PmdThread pmd, int chunk = PmdCommand.DefaultDumpChunk, TimeSpan? timeout = null)
    {
        // Validate before the first MoveNext, like the command would.
        PmdCommand first = PmdCommand.FlowDump(0, chunk);
        return Walk(pmd, first, chunk, timeout);
    }

    /// <summary>Every megaflow of <paramref name="pmd"/> (see <see cref="EnumerateFlows"/>).</summary>
    public static List<DatapathFlow> DumpFlows(this PmdThread pmd, int chunk = PmdCommand.DefaultDumpChunk, TimeSpan? timeout = null) =>
        [.. pmd.EnumerateFlows(chunk, timeout)];

    private static IEnumerable<DatapathFlow> Walk(PmdThread pmd, PmdCommand command, int chunk, TimeSpan? timeout)
    {
        while (true)
        {
            PmdCommand reply = pmd.Call(command, timeout);
            if (!reply.Ok)
            {
                throw new InvalidOperationException($"PMD refused {reply.Kind}: {reply.Error}");
            }

            foreach (DatapathFlow f in reply.Flows)
            {
                yield return f;
            }

            if (reply.NextCursor < 0)
            {
                yield break;
            }

            command = PmdCommand.FlowDump(reply.NextCursor, chunk);
        }
    }
}
