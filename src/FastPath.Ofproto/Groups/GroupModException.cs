namespace FastPath.Ofproto.Groups;

/// <summary>A group-mod the group table refuses, with the OpenFlow error it answers with; nothing changed.</summary>
public sealed class GroupModException(GroupModError error, string message) : Exception(message)
{
    /// <summary>The OpenFlow error.</summary>
    public GroupModError Error { get; } = error;
}
