using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Groups;

namespace FastPath.Ofproto.Groups;

/// <summary>
/// Which buckets and groups are live, as OpenFlow defines it and Open vSwitch decides it: a bucket that watches
/// nothing is live; one that watches is live when its watch port is live or its watch group has a live bucket. In
/// a select group a bucket of weight 0 is never used, so never live.
/// </summary>
public static class GroupLiveness
{
    /// <summary>How many watch_group links liveness follows before calling a bucket dead (the table refuses loops; this bounds the walk regardless).</summary>
    public const int MaxDepth = 32;

    /// <summary>Whether <paramref name="bucket"/> of <paramref name="group"/> is live, given which ports are (<paramref name="portLive"/>).</summary>
    public static bool IsLive(GroupTable table, OfGroup group, OfBucket bucket, Func<uint, bool> portLive, int depth = 0)
    {
        if (depth >= MaxDepth)
        {
            return false;
        }

        GroupBucket b = bucket.Spec;
        if (group.Type == GroupType.Select && b.Weight == 0)
        {
            return false;
        }

        return !b.HasLiveness
            || (b.WatchPort != OfPorts.Any && portLive(b.WatchPort))
            || (b.WatchGroup != GroupIds.Any && IsLive(table, b.WatchGroup, portLive, depth + 1));
    }

    /// <summary>Whether group <paramref name="groupId"/> exists and has a live bucket.</summary>
    public static bool IsLive(GroupTable table, uint groupId, Func<uint, bool> portLive, int depth = 0)
    {
        OfGroup? g = table.Find(groupId);
        return g != null && g.Buckets.Any(b => IsLive(table, g, b, portLive, depth));
    }
}
