namespace FastPath.Ofproto.Upcalls;

/// <summary>Crediting traffic to everything a megaflow was made from.</summary>
public static class FlowStatsCredit
{
    /// <summary>Credits <paramref name="packets"/> and <paramref name="bytes"/>, seen at <paramref name="usedTicks"/>, to each of <paramref name="sinks"/> (none when null).</summary>
    public static void CreditAll(IReadOnlyList<IFlowStatsSink>? sinks, long packets, long bytes, long usedTicks)
    {
        if (sinks == null)
        {
            return;
        }

        // Indexed: a foreach over the interface would allocate an enumerator per call, and this runs per upcall.
        for (int i = 0; i < sinks.Count; i++)
        {
            sinks[i].Credit(packets, bytes, usedTicks);
        }
    }
}
