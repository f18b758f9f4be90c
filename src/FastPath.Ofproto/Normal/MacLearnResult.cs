namespace FastPath.Ofproto.Normal;

/// <summary>What <see cref="MacLearningTable.Learn"/> did with a source address.</summary>
public enum MacLearnResult
{
    /// <summary>Nothing: a multicast source, or a VLAN in which learning is off (the bridge's flood_vlans).</summary>
    NotLearned,

    /// <summary>The entry existed on the same port; only its age was reset. Decisions are unchanged.</summary>
    Refreshed,

    /// <summary>A new entry (possibly evicting the least recently used one). Decisions can change.</summary>
    Learned,

    /// <summary>The address was known on another port and moved to this one. Decisions can change.</summary>
    Moved,
}
