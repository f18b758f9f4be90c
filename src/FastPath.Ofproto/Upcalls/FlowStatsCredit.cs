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

        foreach (IFlowStatsSink sink in sinks)
        {
            sink.Credit(packets, bytes, usedTicks);
        }
    }
}
