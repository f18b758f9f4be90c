using FastPath.Ofproto.Upcalls;
using FastPath.OpenFlow.Groups;

namespace FastPath.Ofproto.Groups;

/// <summary>An installed group: its description, its buckets with their counters, its own counters and age; owned by the ofproto thread.</summary>
public sealed class OfGroup : IFlowStatsSink
{
    /// <summary>A group for <paramref name="description"/> (bucket ids assigned) installed at <paramref name="nowTicks"/> (Stopwatch ticks).</summary>
    public OfGroup(GroupDescription description, long nowTicks)
    {
        CreatedTicks = nowTicks;
        Replace(description);
    }

    /// <summary>The group's id.</summary>
    public uint GroupId => Description.GroupId;

    /// <summary>The group's type.</summary>
    public GroupType Type => Description.Type;

    /// <summary>The group as described (every bucket with its id).</summary>
    public GroupDescription Description { get; private set; } = null!;

    /// <summary>The buckets in order.</summary>
    public IReadOnlyList<OfBucket> Buckets { get; private set; } = [];

    /// <summary>Packets credited.</summary>
    public long Packets { get; private set; }

    /// <summary>Bytes credited.</summary>
    public long Bytes { get; private set; }

    /// <summary>When it was added (Stopwatch ticks): the start of its duration.</summary>
    public long CreatedTicks { get; }

    /// <summary>Whether the group has left the table (a megaflow made from it must not count on it any more).</summary>
    public bool Removed { get; internal set; }

    /// <inheritdoc/>
    public void Credit(long packets, long bytes, long usedTicks)
    {
        Packets += packets;
        Bytes += bytes;
    }

    /// <summary>A modify: new type and buckets (with fresh bucket counters); the group's own counters and age stay.</summary>
    internal void Replace(GroupDescription description)
    {
        Description = description;
        Buckets = description.Buckets.Select(b => new OfBucket(b)).ToArray();
    }
}
