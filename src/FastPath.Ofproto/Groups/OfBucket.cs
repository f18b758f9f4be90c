using FastPath.Ofproto.Upcalls;
using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Groups;

namespace FastPath.Ofproto.Groups;

/// <summary>A bucket of an installed group: its description (bucket id assigned), the order its actions run in, and its counters.</summary>
public sealed class OfBucket : IFlowStatsSink
{
    /// <summary>The bucket <paramref name="spec"/> (its id already assigned).</summary>
    public OfBucket(GroupBucket spec)
    {
        Spec = spec;
        Program = BucketActionSet.Order(spec.Actions);
    }

    /// <summary>The bucket as described.</summary>
    public GroupBucket Spec { get; }

    /// <summary>The actions as they run: the bucket is an action set, so ordered as one and with one output.</summary>
    public IReadOnlyList<OfAction> Program { get; }

    /// <summary>Packets credited.</summary>
    public long Packets { get; private set; }

    /// <summary>Bytes credited.</summary>
    public long Bytes { get; private set; }

    /// <inheritdoc/>
    public void Credit(long packets, long bytes, long usedTicks)
    {
        Packets += packets;
        Bytes += bytes;
    }
}
