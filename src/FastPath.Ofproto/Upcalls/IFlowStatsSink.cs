namespace FastPath.Ofproto.Upcalls;

/// <summary>Something credited with the traffic of the megaflows made from it: an OpenFlow rule's counters.</summary>
public interface IFlowStatsSink
{
    /// <summary>Adds <paramref name="packets"/> and <paramref name="bytes"/>, last seen at <paramref name="usedTicks"/> (Stopwatch ticks).</summary>
    void Credit(long packets, long bytes, long usedTicks);
}
