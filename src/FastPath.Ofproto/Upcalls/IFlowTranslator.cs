using FastPath.Datapath.Pmd;
using FastPath.Packets;

namespace FastPath.Ofproto.Upcalls;

/// <summary>
/// Turns a datapath flow key into a megaflow and its datapath actions: the OpenFlow pipeline's xlate, used for
/// misses and again by the revalidator when the tables change.
/// </summary>
public interface IFlowTranslator
{
    /// <summary>
    /// Changes whenever something a translation depends on changed (a flow table, group, meter, port, the
    /// MAC table): megaflows translated under an older version are revalidated.
    /// </summary>
    long Version { get; }

    /// <summary>
    /// Translates <paramref name="key"/>; <paramref name="packet"/> is the packet when there is one (a miss) and
    /// empty on revalidation. Returns false when packets of this flow are to be dropped with no megaflow
    /// (for example an unparsable frame); otherwise <paramref name="translation"/> holds the megaflow (the widest
    /// correct mask), the datapath actions and the rules the flow passed through.
    /// </summary>
    bool Translate(in FlowKey key, ReadOnlySpan<byte> packet, out FlowTranslation translation);

    /// <summary>A packet that a userspace datapath action (a CONTROLLER output, for one) sent up.</summary>
    void OnActionUpcall(in Upcall upcall);
}
