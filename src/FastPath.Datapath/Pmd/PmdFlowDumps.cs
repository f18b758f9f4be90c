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
        var buffer = new FlowDumpBuffer(chunk);
        return Walk(pmd, buffer, timeout);
    }

    /// <summary>Every megaflow of <paramref name="pmd"/> (see <see cref="EnumerateFlows"/>).</summary>
    public static List<DatapathFlow> DumpFlows(this PmdThread pmd, int chunk = PmdCommand.DefaultDumpChunk, TimeSpan? timeout = null) =>
        [.. pmd.EnumerateFlows(chunk, timeout)];

    /// <summary>
    /// Walks every megaflow of <paramref name="pmd"/> chunk by chunk into <paramref name="buffer"/>, calling
    /// <paramref name="visit"/> with each filled chunk, to be read in place (<see cref="FlowDumpBuffer.MatchAt"/>
    /// and its siblings): the walk allocates nothing per flow. The buffer grows when a flow's actions need it.
    /// </summary>
    public static void ForEachChunk(this PmdThread pmd, FlowDumpBuffer buffer, Action<FlowDumpBuffer> visit, TimeSpan? timeout = null)
    {
        int cursor = 0;
        do
        {
            // The buffer's command is reused once answered (a command is half a kilobyte, and the revalidator walks
            // every PMD twice a second); one still in flight (a walk that timed out) is left to its PMD.
            PmdCommand command;
            if (buffer.Command is { IsCompleted: true } answered)
            {
                answered.ReuseAsFlowDump(cursor);
                command = answered;
            }
            else
            {
                command = buffer.Command = PmdCommand.FlowDump(cursor, buffer);
            }

            PmdCommand reply = pmd.Call(command, timeout);
            if (!reply.Ok)
            {
                throw new InvalidOperationException($"PMD refused {reply.Kind}: {reply.Error}");
            }

            if (buffer.ActionBytesNeeded > 0)
            {
                buffer.EnsureActionBytes(buffer.ActionBytesNeeded);
            }

            visit(buffer);
            cursor = reply.NextCursor;
        }
        while (cursor >= 0);
    }

    // The one buffer is reused chunk after chunk: each chunk is copied out before the next is asked for.
    private static IEnumerable<DatapathFlow> Walk(PmdThread pmd, FlowDumpBuffer buffer, TimeSpan? timeout)
    {
        int cursor = 0;
        var flows = new List<DatapathFlow>(buffer.Capacity);
        while (true)
        {
            PmdCommand reply = pmd.Call(PmdCommand.FlowDump(cursor, buffer), timeout);
            if (!reply.Ok)
            {
                throw new InvalidOperationException($"PMD refused {reply.Kind}: {reply.Error}");
            }

            if (buffer.ActionBytesNeeded > 0)
            {
                buffer.EnsureActionBytes(buffer.ActionBytesNeeded);
            }

            flows.Clear();
            flows.AddRange(buffer);
            foreach (DatapathFlow f in flows)
            {
                yield return f;
            }

            if (reply.NextCursor < 0)
            {
                yield break;
            }

            cursor = reply.NextCursor;
        }
    }
}
