using FastPath.OpenFlow.Groups;

namespace FastPath.Ofproto.Groups;

/// <summary>One group-mod request, whatever protocol version or tool it came from.</summary>
/// <param name="Command">What to do.</param>
/// <param name="Group">The group to add, or its new type and buckets; for a delete only its id counts (<see cref="GroupIds.All"/>: every group).</param>
public sealed record GroupMod(GroupModCommand Command, GroupDescription Group)
{
    /// <summary>A delete of group <paramref name="groupId"/> (<see cref="GroupIds.All"/>: every group).</summary>
    public static GroupMod Delete(uint groupId) => new(GroupModCommand.Delete, new GroupDescription { GroupId = groupId });
}
