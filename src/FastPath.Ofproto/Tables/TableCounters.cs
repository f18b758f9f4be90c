using FastPath.Ofproto.Upcalls;

namespace FastPath.Ofproto.Tables;

/// <summary>
/// One OpenFlow table's lookup and match counts (Open vSwitch's oftable n_matched and n_missed), which
/// <c>dump-tables</c> reports as lookup_count and matched_count. Counted in the slow path only, as Open vSwitch does:
/// xlate puts <see cref="Matched"/> or <see cref="Missed"/> among the sinks a translation credits (its xcache's
/// XC_TABLE entries), so the packet that missed is counted when its upcall is handled, and the packets its megaflow
/// then forwards when the revalidator pulls that megaflow's counters. The PMDs do nothing extra.
/// </summary>
public sealed class TableCounters
{
    private long matched;
    private long missed;

    /// <summary>Counters at zero.</summary>
    public TableCounters()
    {
        Matched = new Sink(this, hit: true);
        Missed = new Sink(this, hit: false);
    }

    /// <summary>Packets looked up in the table (lookup_count).</summary>
    public long Lookups => Interlocked.Read(ref matched) + Interlocked.Read(ref missed);

    /// <summary>Packets that found a rule in it (matched_count).</summary>
    public long Matches => Interlocked.Read(ref matched);

    /// <summary>What a translation whose lookup found a rule credits.</summary>
    public IFlowStatsSink Matched { get; }

    /// <summary>What a translation whose lookup found no rule credits.</summary>
    public IFlowStatsSink Missed { get; }

    private sealed class Sink(TableCounters counters, bool hit) : IFlowStatsSink
    {
        public void Credit(long packets, long bytes, long usedTicks)
        {
            if (hit)
            {
                Interlocked.Add(ref counters.matched, packets);
            }
            else
            {
                Interlocked.Add(ref counters.missed, packets);
            }
        }
    }
}
