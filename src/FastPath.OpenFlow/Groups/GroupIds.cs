namespace FastPath.OpenFlow.Groups;

/// <summary>OpenFlow's reserved group numbers.</summary>
public static class GroupIds
{
    /// <summary>OFPG_MAX: the highest ordinary group id.</summary>
    public const uint Max = 0xffffff00;

    /// <summary>OFPG_ALL: every group (delete and stats requests).</summary>
    public const uint All = 0xfffffffc;

    /// <summary>OFPG_ANY: no group (a bucket's watch_group when it watches none; a wildcard in requests).</summary>
    public const uint Any = 0xffffffff;
}
