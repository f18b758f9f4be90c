using FastPath.OpenFlow.Groups;

namespace FastPath.OpenFlow.Wire.Groups;

/// <summary>OFPT_GROUP_MOD (and Open vSwitch's NXT_GROUP_MOD on OpenFlow 1.0): a change to the group table.</summary>
/// <param name="Command">What to do.</param>
/// <param name="Group">The group (for a delete, only its id; for bucket commands, the buckets inserted or nothing).</param>
public sealed record GroupModMessage(OfGroupModCommand Command, GroupDescription Group) : OfMessage
{
    /// <summary>OFPG15_BUCKET_FIRST: insert before the first bucket / remove the first.</summary>
    public const uint BucketFirst = 0xfffffffd;

    /// <summary>OFPG15_BUCKET_LAST: insert after the last bucket / remove the last.</summary>
    public const uint BucketLast = 0xfffffffe;

    /// <summary>OFPG15_BUCKET_ALL: the default (every bucket, for remove-buckets).</summary>
    public const uint BucketAll = 0xffffffff;

    /// <summary>OpenFlow 1.5's command_bucket_id: where insert-buckets inserts, which bucket remove-buckets removes.</summary>
    public uint CommandBucketId { get; init; } = BucketAll;
}

/// <summary>Group-mod commands (OFPGC_*, OFPGC15_*, and Open vSwitch's add-or-modify).</summary>
public enum OfGroupModCommand : ushort
{
    /// <summary>OFPGC_ADD.</summary>
    Add = 0,
    /// <summary>OFPGC_MODIFY.</summary>
    Modify = 1,
    /// <summary>OFPGC_DELETE.</summary>
    Delete = 2,
    /// <summary>OFPGC15_INSERT_BUCKET.</summary>
    InsertBucket = 3,
    /// <summary>OFPGC15_REMOVE_BUCKET.</summary>
    RemoveBucket = 5,
    /// <summary>OFPGC_ADD_OR_MOD (an Open vSwitch extension: add, or modify if it exists).</summary>
    AddOrModify = 0x8000,
}
