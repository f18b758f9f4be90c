using FastPath.Ofproto.Upcalls;
using FastPath.OpenFlow.Rules;

namespace FastPath.Ofproto.Tables;

/// <summary>An OpenFlow rule installed in a table: its spec, its counters and its age; owned by the ofproto thread.</summary>
public sealed class OfRule : IFlowStatsSink
{
    /// <summary>A rule for <paramref name="spec"/> installed at <paramref name="nowTicks"/> (Stopwatch ticks).</summary>
    public OfRule(FlowRule spec, long nowTicks)
    {
        Spec = spec;
        CreatedTicks = nowTicks;
        LastUsedTicks = nowTicks;
    }

    /// <summary>What the rule matches and does (replaced by a modify).</summary>
    public FlowRule Spec { get; internal set; }

    /// <summary>Table it lives in.</summary>
    public byte TableId => Spec.TableId;

    /// <summary>Packets credited.</summary>
    public long Packets { get; private set; }

    /// <summary>Bytes credited.</summary>
    public long Bytes { get; private set; }

    /// <summary>When it was added (Stopwatch ticks): the start of its duration and of its hard timeout.</summary>
    public long CreatedTicks { get; internal set; }

    /// <summary>When a packet last hit it, or when it was added or modified (for the idle timeout).</summary>
    public long LastUsedTicks { get; internal set; }

    /// <summary>Whether the rule has left its table (a megaflow made from it must not credit it any more).</summary>
    public bool Removed { get; internal set; }

    /// <summary>Flow monitoring's sequence number when the rule was added (Open vSwitch's add_seqno; kept by an identical add).</summary>
    internal long MonitorAddSeqno { get; set; }

    /// <summary>Flow monitoring's sequence number when the rule was last added or modified (modify_seqno).</summary>
    internal long MonitorModifySeqno { get; set; }

    /// <summary>The rule that replaced this one keeping its counters, which therefore takes its later credits.</summary>
    private OfRule? successor;

    /// <inheritdoc/>
    public void Credit(long packets, long bytes, long usedTicks)
    {
        // Megaflows translated before the replacement still count for the old rule until they are revalidated.
        if (successor != null)
        {
            successor.Credit(packets, bytes, usedTicks);
            return;
        }

        Packets += packets;
        Bytes += bytes;
        if (usedTicks > LastUsedTicks)
        {
            LastUsedTicks = usedTicks;
        }
    }

    /// <summary>Continues <paramref name="old"/>'s counters, which this rule replaces, and takes its later credits.</summary>
    internal void TakeCountersFrom(OfRule old)
    {
        Packets += old.Packets;
        Bytes += old.Bytes;
        old.successor = this;
    }

    /// <summary>Zeroes the counters (reset_counts).</summary>
    internal void ResetCounters()
    {
        Packets = 0;
        Bytes = 0;
    }
}
