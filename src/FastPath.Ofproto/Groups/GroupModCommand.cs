namespace FastPath.Ofproto.Groups;

/// <summary>What a group-mod does (OFPGC_*).</summary>
public enum GroupModCommand
{
    /// <summary>OFPGC_ADD: a new group; refused if the id is taken.</summary>
    Add,

    /// <summary>OFPGC_MODIFY: replaces an existing group's type and buckets; refused if there is none.</summary>
    Modify,

    /// <summary>OFPGC_DELETE: removes the group (or every group, for OFPG_ALL) and the rules that use it.</summary>
    Delete,

    /// <summary>Open vSwitch's OFPGC_ADD_OR_MOD: adds the group, or modifies it if it exists.</summary>
    AddOrModify,
}
