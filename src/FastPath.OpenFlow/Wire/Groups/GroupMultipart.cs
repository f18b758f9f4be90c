using FastPath.OpenFlow.Groups;
using FastPath.OpenFlow.Wire.Multipart;

namespace FastPath.OpenFlow.Wire.Groups;

/// <summary>OFPMP_GROUP request: statistics of one group, or of every group (<see cref="GroupIds.All"/>).</summary>
/// <param name="GroupId">The group.</param>
public sealed record GroupStatsRequest(uint GroupId = GroupIds.All) : MultipartRequest;

/// <summary>OFPMP_GROUP reply: one entry per group.</summary>
/// <param name="Groups">The groups' statistics.</param>
public sealed record GroupStatsReply(IReadOnlyList<OfGroupStats> Groups) : MultipartReply, IMultipartListReply<GroupStatsReply, OfGroupStats>
{
    /// <inheritdoc/>
    public IReadOnlyList<OfGroupStats> Items => Groups;

    /// <inheritdoc/>
    public static GroupStatsReply Create(IReadOnlyList<OfGroupStats> items) => new(items);
}

/// <summary>OFPMP_GROUP_DESC request (OpenFlow 1.5 may name one group; earlier versions ask for all).</summary>
/// <param name="GroupId">The group, or <see cref="GroupIds.All"/>.</param>
public sealed record GroupDescRequest(uint GroupId = GroupIds.All) : MultipartRequest;

/// <summary>OFPMP_GROUP_DESC reply: what <c>ovs-ofctl dump-groups</c> prints.</summary>
/// <param name="Groups">The groups.</param>
public sealed record GroupDescReply(IReadOnlyList<GroupDescription> Groups) : MultipartReply, IMultipartListReply<GroupDescReply, GroupDescription>
{
    /// <inheritdoc/>
    public IReadOnlyList<GroupDescription> Items => Groups;

    /// <inheritdoc/>
    public static GroupDescReply Create(IReadOnlyList<GroupDescription> items) => new(items);
}

/// <summary>OFPMP_GROUP_FEATURES request.</summary>
public sealed record GroupFeaturesRequest : MultipartRequest;

/// <summary>OFPMP_GROUP_FEATURES reply.</summary>
/// <param name="Features">What the group table supports.</param>
public sealed record GroupFeaturesReply(OfGroupFeatures Features) : MultipartReply;

/// <summary>The multipart body codecs of the group records, in the framework's delegate shapes.</summary>
public static class GroupMultipartCodec
{
    /// <summary>Decodes a group-stats request body.</summary>
    public static GroupStatsRequest DecodeStatsRequest(ref WireReader body, OfSession s) => new(GroupCodec.DecodeGroupRequest(ref body, s));

    /// <summary>Encodes a group-stats request body.</summary>
    public static void EncodeStatsRequest(GroupStatsRequest r, WireWriter w, OfSession s) => GroupCodec.EncodeGroupRequest(r.GroupId, w, s);

    /// <summary>Decodes a group-desc request body (empty in OpenFlow 1.3 and 1.4; 1.5's and NXST_GROUP_DESC's name a group).</summary>
    public static GroupDescRequest DecodeDescRequest(ref WireReader body, OfSession s)
    {
        if (s.Version is >= OpenFlowVersion.OF15 or OpenFlowVersion.OF10)
        {
            return new(GroupCodec.DecodeGroupRequest(ref body, s));
        }

        return body.AtEnd ? new() : throw new OfErrorException(OfError.BadRequestBadLen, $"a group-desc request carries no body before OpenFlow 1.5, got {body.Remaining} bytes");
    }

    /// <summary>Encodes a group-desc request body.</summary>
    public static void EncodeDescRequest(GroupDescRequest r, WireWriter w, OfSession s)
    {
        if (s.Version is >= OpenFlowVersion.OF15 or OpenFlowVersion.OF10)
        {
            GroupCodec.EncodeGroupRequest(r.GroupId, w, s);
        }
    }

    /// <summary>Decodes a group-features reply body.</summary>
    public static GroupFeaturesReply DecodeFeaturesReply(ref WireReader body, OfSession s) => new(GroupCodec.DecodeGroupFeatures(ref body, s));

    /// <summary>Encodes a group-features reply body.</summary>
    public static void EncodeFeaturesReply(GroupFeaturesReply r, WireWriter w, OfSession s) => GroupCodec.EncodeGroupFeatures(r.Features, w, s);
}
