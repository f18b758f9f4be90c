namespace FastPath.Ofproto.Groups;

/// <summary>Why a group-mod was refused, as the OpenFlow 1.3 error (OFPET_GROUP_MOD_FAILED unless said otherwise) that says it.</summary>
public enum GroupModError
{
    /// <summary>OFPGMFC_GROUP_EXISTS: an add found the id taken.</summary>
    GroupExists,

    /// <summary>OFPGMFC_INVALID_GROUP: a reserved id, or a group its type does not allow (an indirect group without exactly one bucket, a weight outside a select group, a fast-failover bucket that watches nothing).</summary>
    InvalidGroup,

    /// <summary>OFPGMFC_OUT_OF_GROUPS: the group table is full.</summary>
    OutOfGroups,

    /// <summary>OFPGMFC_OUT_OF_BUCKETS: more buckets than a group may have.</summary>
    OutOfBuckets,

    /// <summary>OFPGMFC_CHAINING_UNSUPPORTED: a chain of groups deeper than FastPath follows.</summary>
    ChainingUnsupported,

    /// <summary>OFPGMFC_WATCH_UNSUPPORTED: a watch port or group in a group type that does not use liveness (all, indirect).</summary>
    WatchUnsupported,

    /// <summary>OFPGMFC_LOOP: the group would reach itself through its buckets or watches.</summary>
    Loop,

    /// <summary>OFPGMFC_UNKNOWN_GROUP: a modify of a group that does not exist.</summary>
    UnknownGroup,

    /// <summary>OFPGMFC_CHAINED_GROUP: a delete of a group another group forwards to or watches.</summary>
    ChainedGroup,

    /// <summary>OFPGMFC_BAD_TYPE: not a group type.</summary>
    BadType,

    /// <summary>OFPGMFC_BAD_COMMAND: not a group-mod command.</summary>
    BadCommand,

    /// <summary>OFPGMFC_BAD_BUCKET: a bucket that cannot be used (a duplicate or out-of-range bucket id, an action that cannot run).</summary>
    BadBucket,

    /// <summary>OFPGMFC_BAD_WATCH: a watch port or group that is not a port or group.</summary>
    BadWatch,

    /// <summary>OFPET_BAD_ACTION / OFPBAC_BAD_OUT_GROUP: a bucket sends to a group that does not exist.</summary>
    BadOutGroup,
}
