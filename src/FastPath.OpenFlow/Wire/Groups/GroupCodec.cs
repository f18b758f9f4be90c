using FastPath.OpenFlow.Actions;
using FastPath.OpenFlow.Fields;
using FastPath.OpenFlow.Groups;
using FastPath.OpenFlow.Wire.Actions;

namespace FastPath.OpenFlow.Wire.Groups;

/// <summary>
/// Groups on the wire as Open vSwitch 3.1 reads and writes them: OFPT_GROUP_MOD and the group-desc entry in
/// OpenFlow 1.3/1.4 (buckets with weight, watch port and watch group) and 1.5 (bucket ids, bucket properties,
/// command_bucket_id, Open vSwitch's NTR selection-method property); NXT_GROUP_MOD, which Open vSwitch sends on
/// OpenFlow 1.0, is the 1.5 layout with 1.0 actions. Also the group-stats and group-features bodies.
/// Multipart bodies are read after the multipart header, NX messages after the (vendor, subtype) header.
/// </summary>
public static class GroupCodec
{
    private const uint NtrVendor = 0x0000154d;
    private const ushort NtrSelectionMethod = 1;
    private const int SelectionMethodLength = 16;

    /// <summary>Decodes OFPT_GROUP_MOD's body (OpenFlow 1.3-1.5).</summary>
    public static GroupModMessage DecodeGroupMod(ref WireReader body, OfSession s) => s.Version >= OpenFlowVersion.OF15
        ? DecodeGroupMod15(ref body, s.Version)
        : DecodeGroupMod13(ref body, s.Version);

    /// <summary>Encodes OFPT_GROUP_MOD's body (OpenFlow 1.3-1.5).</summary>
    public static void EncodeGroupMod(GroupModMessage m, WireWriter w, OfSession s)
    {
        if (s.Version >= OpenFlowVersion.OF15)
        {
            EncodeGroupMod15(m, w, s.Version);
            return;
        }

        if (m.Command is OfGroupModCommand.InsertBucket or OfGroupModCommand.RemoveBucket)
        {
            throw new NotSupportedException($"OpenFlow {s.Version} has no {m.Command} group-mod");
        }

        w.U16((ushort)m.Command);
        w.U8((byte)m.Group.Type);
        w.U8(0);
        w.U32(m.Group.GroupId);
        foreach (GroupBucket b in m.Group.Buckets)
        {
            EncodeBucket13(b, w, s.Version);
        }
    }

    /// <summary>Decodes NXT_GROUP_MOD's body (after the Nicira header): Open vSwitch's groups on OpenFlow 1.0.</summary>
    /// <remarks>Open vSwitch knows NXT_GROUP_MOD on OpenFlow 1.0 only: on a later version it is OFPBRC_BAD_SUBTYPE.</remarks>
    public static GroupModMessage DecodeNxGroupMod(ref WireReader body, OfSession s) => s.Version == OpenFlowVersion.OF10
        ? DecodeGroupMod15(ref body, OpenFlowVersion.OF10)
        : throw new OfErrorException(OfError.BadRequestBadExpType, $"NXT_GROUP_MOD on OpenFlow {s.Version}: OpenFlow 1.0 only");

    /// <summary>Encodes NXT_GROUP_MOD's body (after the Nicira header).</summary>
    public static void EncodeNxGroupMod(GroupModMessage m, WireWriter w, OfSession s) => EncodeGroupMod15(m, w, OpenFlowVersion.OF10);

    /// <summary>Decodes one group-desc reply entry (OFPMP_GROUP_DESC; on OpenFlow 1.0 NXST_GROUP_DESC, in 1.5's layout).</summary>
    public static GroupDescription DecodeGroupDesc(ref WireReader body, OfSession s)
    {
        int length = body.U16();
        GroupType type = Type(body.U8());
        body.Skip(1);
        uint groupId = body.U32();
        if (length < (s.Version is OpenFlowVersion.OF13 or OpenFlowVersion.OF14 ? 8 : 16))
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"group-desc entry of length {length}");
        }

        if (s.Version is OpenFlowVersion.OF13 or OpenFlowVersion.OF14)
        {
            WireReader buckets = body.Sub(length - 8);
            return new GroupDescription { GroupId = groupId, Type = type, Buckets = DecodeBuckets13(ref buckets, s.Version) };
        }

        int bucketsLength = body.U16();
        body.Skip(6);
        WireReader rest = body.Sub(length - 16);
        return DecodeBucketsAndProperties15(ref rest, bucketsLength, groupId, type, s.Version);
    }

    /// <summary>Encodes one group-desc reply entry.</summary>
    public static void EncodeGroupDesc(GroupDescription g, WireWriter w, OfSession s)
    {
        int start = w.Length;
        w.U16(0);
        w.U8((byte)g.Type);
        w.U8(0);
        w.U32(g.GroupId);
        if (s.Version is OpenFlowVersion.OF13 or OpenFlowVersion.OF14)
        {
            foreach (GroupBucket b in g.Buckets)
            {
                EncodeBucket13(b, w, s.Version);
            }
        }
        else
        {
            int bucketsAt = w.Length;
            w.U16(0);
            w.Zeros(6);
            EncodeBucketsAndProperties15(g, w, s.Version, bucketsAt);
        }

        w.PatchU16(start, (ushort)(w.Length - start));
    }

    /// <summary>Decodes a group-stats or group-desc (1.5) request body: the group id (OFPG_ALL for every group).</summary>
    public static uint DecodeGroupRequest(ref WireReader body, OfSession s)
    {
        uint groupId = body.U32();
        body.Skip(4);
        return groupId;
    }

    /// <summary>Encodes a group-stats or group-desc (1.5) request body.</summary>
    public static void EncodeGroupRequest(uint groupId, WireWriter w, OfSession s)
    {
        w.U32(groupId);
        w.Zeros(4);
    }

    /// <summary>Decodes one group-stats reply entry.</summary>
    public static OfGroupStats DecodeGroupStats(ref WireReader body, OfSession s)
    {
        int length = body.U16();
        if (length < 40 || (length - 40) % 16 != 0)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"group-stats entry of length {length}");
        }

        body.Skip(2);
        uint groupId = body.U32();
        uint refCount = body.U32();
        body.Skip(4);
        ulong packets = body.U64();
        ulong bytes = body.U64();
        uint sec = body.U32();
        uint nsec = body.U32();
        var buckets = new (ulong, ulong)[(length - 40) / 16];
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = (body.U64(), body.U64());
        }

        return new OfGroupStats(groupId, refCount, packets, bytes, sec, nsec, buckets);
    }

    /// <summary>Encodes one group-stats reply entry.</summary>
    public static void EncodeGroupStats(OfGroupStats g, WireWriter w, OfSession s)
    {
        w.U16((ushort)(40 + (16 * g.Buckets.Count)));
        w.Zeros(2);
        w.U32(g.GroupId);
        w.U32(g.RefCount);
        w.Zeros(4);
        w.U64(g.PacketCount);
        w.U64(g.ByteCount);
        w.U32(g.DurationSeconds);
        w.U32(g.DurationNanoseconds);
        foreach (var (packets, bytes) in g.Buckets)
        {
            w.U64(packets);
            w.U64(bytes);
        }
    }

    /// <summary>Decodes a group-features reply body.</summary>
    public static OfGroupFeatures DecodeGroupFeatures(ref WireReader body, OfSession s)
    {
        uint types = body.U32();
        uint caps = body.U32();
        uint[] max = [body.U32(), body.U32(), body.U32(), body.U32()];
        uint[] actions = [body.U32(), body.U32(), body.U32(), body.U32()];
        return new OfGroupFeatures(types, caps, max, actions);
    }

    /// <summary>Encodes a group-features reply body.</summary>
    public static void EncodeGroupFeatures(OfGroupFeatures f, WireWriter w, OfSession s)
    {
        w.U32(f.Types);
        w.U32(f.Capabilities);
        for (int i = 0; i < 4; i++)
        {
            w.U32(i < f.MaxGroups.Count ? f.MaxGroups[i] : 0);
        }

        for (int i = 0; i < 4; i++)
        {
            w.U32(i < f.Actions.Count ? f.Actions[i] : 0);
        }
    }

    private static GroupModMessage DecodeGroupMod13(ref WireReader body, OpenFlowVersion v)
    {
        OfGroupModCommand command = Command(body.U16(), allowBuckets: false);
        byte rawType = body.U8();
        body.Skip(1);
        uint groupId = body.U32();
        List<GroupBucket> buckets = DecodeBuckets13(ref body, v);
        GroupType type = command == OfGroupModCommand.Delete ? (GroupType)Math.Min(rawType, (byte)3) : Type(rawType);
        CheckWeights(type, buckets);
        return new GroupModMessage(command, new GroupDescription { GroupId = groupId, Type = type, Buckets = buckets });
    }

    /// <summary>
    /// Open vSwitch's decoder (ofputil_check_group_mod) refuses a group-mod that gives a bucket of a group other than
    /// select a weight: OFPGMFC_INVALID_GROUP, before the group table sees it. The 1.5 layout cannot even say such a
    /// weight back, since a weight property goes only with select groups.
    /// </summary>
    private static void CheckWeights(GroupType type, IReadOnlyList<GroupBucket> buckets)
    {
        if (type == GroupType.Select)
        {
            return;
        }

        foreach (GroupBucket b in buckets)
        {
            if (b.Weight != 0)
            {
                throw new OfErrorException(OfError.GroupModFailedInvalidGroup, $"bucket weight {b.Weight} in a {type} group: only select groups weigh buckets");
            }
        }
    }

    private static List<GroupBucket> DecodeBuckets13(ref WireReader body, OpenFlowVersion v)
    {
        var buckets = new List<GroupBucket>();
        while (!body.AtEnd)
        {
            if (body.Remaining < 16)
            {
                throw new OfErrorException(OfError.GroupModFailedBadBucket, $"{body.Remaining} bytes left: too short for a bucket");
            }

            ReadOnlySpan<byte> head = body.Rest;
            int length = (head[0] << 8) | head[1];
            if (length < 16 || length > body.Remaining || length % 8 != 0)
            {
                throw new OfErrorException(OfError.GroupModFailedBadBucket, $"bucket length {length} with {body.Remaining} bytes left");
            }

            WireReader b = body.Sub(length);
            b.Skip(2);
            ushort weight = b.U16();
            uint watchPort = b.U32();
            uint watchGroup = b.U32();
            b.Skip(4);
            List<OfAction> actions = OfActionCodec.Decode(ref b, b.Remaining, v);
            buckets.Add(new GroupBucket { Weight = weight, WatchPort = watchPort, WatchGroup = watchGroup, Actions = actions });
        }

        return buckets;
    }

    private static void EncodeBucket13(GroupBucket b, WireWriter w, OpenFlowVersion v)
    {
        int start = w.Length;
        w.U16(0);
        w.U16(b.Weight);
        w.U32(b.WatchPort);
        w.U32(b.WatchGroup);
        w.Zeros(4);
        OfActionCodec.Encode(w, b.Actions, v);
        w.PatchU16(start, (ushort)(w.Length - start));
    }

    private static GroupModMessage DecodeGroupMod15(ref WireReader body, OpenFlowVersion actionVersion)
    {
        OfGroupModCommand command = Command(body.U16(), allowBuckets: true);
        byte rawType = body.U8();
        body.Skip(1);
        uint groupId = body.U32();
        int bucketsLength = body.U16();
        body.Skip(2);
        uint commandBucketId = body.U32();
        GroupType type = command is OfGroupModCommand.Delete or OfGroupModCommand.RemoveBucket or OfGroupModCommand.InsertBucket
            ? (GroupType)Math.Min(rawType, (byte)3)
            : Type(rawType);
        GroupDescription g = DecodeBucketsAndProperties15(ref body, bucketsLength, groupId, type, actionVersion);
        CheckWeights(type, g.Buckets);
        return new GroupModMessage(command, g) { CommandBucketId = commandBucketId };
    }

    private static void EncodeGroupMod15(GroupModMessage m, WireWriter w, OpenFlowVersion actionVersion)
    {
        w.U16((ushort)m.Command);
        w.U8((byte)m.Group.Type);
        w.U8(0);
        w.U32(m.Group.GroupId);
        int bucketsAt = w.Length;
        w.U16(0);
        w.Zeros(2);
        w.U32(m.CommandBucketId);
        EncodeBucketsAndProperties15(m.Group, w, actionVersion, bucketsAt);
    }

    private static GroupDescription DecodeBucketsAndProperties15(ref WireReader body, int bucketsLength, uint groupId, GroupType type, OpenFlowVersion actionVersion)
    {
        if (bucketsLength > body.Remaining)
        {
            throw new OfErrorException(OfError.GroupModFailedBadBucket, $"bucket array length {bucketsLength} exceeds the {body.Remaining} bytes left");
        }

        WireReader all = body.Sub(bucketsLength);
        var buckets = new List<GroupBucket>();
        while (!all.AtEnd)
        {
            if (all.Remaining < 8)
            {
                throw new OfErrorException(OfError.GroupModFailedBadBucket, $"{all.Remaining} bytes left: too short for a bucket");
            }

            ReadOnlySpan<byte> head = all.Rest;
            int length = (head[0] << 8) | head[1];
            int actionsLength = (head[2] << 8) | head[3];
            if (length < 8 || length > all.Remaining || length % 8 != 0 || actionsLength > length - 8)
            {
                throw new OfErrorException(OfError.GroupModFailedBadBucket, $"bucket length {length}, actions {actionsLength}, {all.Remaining} bytes left");
            }

            WireReader b = all.Sub(length);
            b.Skip(4);
            uint bucketId = b.U32();
            if (bucketId > GroupBucket.MaxBucketId)
            {
                throw new OfErrorException(OfError.GroupModFailedBadBucket, $"bucket id 0x{bucketId:x} is reserved");
            }

            List<OfAction> actions = OfActionCodec.Decode(ref b, actionsLength, actionVersion);
            var bucket = new GroupBucket { BucketId = bucketId, Actions = actions, Weight = type == GroupType.Select ? (ushort)1 : (ushort)0 };
            while (!b.AtEnd)
            {
                WireReader prop = Property(ref b, out ushort propType);
                switch (propType)
                {
                    case 0 when prop.Remaining == 4:
                        bucket = bucket with { Weight = prop.U16() };
                        break;
                    case 1 when prop.Remaining == 4:
                        bucket = bucket with { WatchPort = prop.U32() };
                        break;
                    case 2 when prop.Remaining == 4:
                        bucket = bucket with { WatchGroup = prop.U32() };
                        break;
                    case 0 or 1 or 2:
                        throw new OfErrorException(OfError.BadPropertyBadLen, $"bucket property {propType} of {prop.Remaining + 4} bytes");
                    default:
                        throw new OfErrorException(OfError.BadPropertyBadType, $"bucket property {propType} is unknown");
                }
            }

            buckets.Add(bucket);
        }

        var g = new GroupDescription { GroupId = groupId, Type = type, Buckets = buckets };
        while (!body.AtEnd)
        {
            WireReader prop = Property(ref body, out ushort propType);
            if (propType != 0xffff || prop.Remaining < 8 || prop.U32() != NtrVendor || prop.U32() != NtrSelectionMethod)
            {
                throw new OfErrorException(OfError.BadPropertyBadType, $"group property {propType} is not supported");
            }

            prop.Skip(4);
            string method = prop.FixedString(SelectionMethodLength);
            ulong param = prop.U64();
            var fields = new List<(OfField, UInt128)>();
            while (prop.Remaining >= 4)
            {
                var (field, header, value, mask) = FieldHeaders.Pull(ref prop, withValue: true, mayMask: true, HeaderUse.Match);
                fields.Add((field, (header & 0x100) != 0 ? mask : value));
            }

            g = g with { SelectionMethod = method, SelectionMethodParam = param, Fields = fields };
        }

        return g;
    }

    private static void EncodeBucketsAndProperties15(GroupDescription g, WireWriter w, OpenFlowVersion actionVersion, int bucketsLengthAt)
    {
        int bucketsStart = w.Length;
        foreach (GroupBucket b in g.Buckets)
        {
            int start = w.Length;
            w.U16(0);
            w.U16(0);
            w.U32(b.BucketId);
            OfActionCodec.Encode(w, b.Actions, actionVersion);
            w.PatchU16(start + 2, (ushort)(w.Length - start - 8));
            // Open vSwitch writes a weight only for select groups; a weight on another group (a group-desc entry
            // decoded from a peer: group-mods with one are refused) goes out too, so that it reads back as it was.
            if (g.Type == GroupType.Select || b.Weight != 0)
            {
                w.U16(0);
                w.U16(8);
                w.U16(b.Weight);
                w.Zeros(2);
            }

            if (b.WatchPort != OfPorts.Any)
            {
                w.U16(1);
                w.U16(8);
                w.U32(b.WatchPort);
            }

            if (b.WatchGroup != GroupIds.Any)
            {
                w.U16(2);
                w.U16(8);
                w.U32(b.WatchGroup);
            }

            w.PatchU16(start, (ushort)(w.Length - start));
        }

        w.PatchU16(bucketsLengthAt, (ushort)(w.Length - bucketsStart));
        if (g.SelectionMethod is { } method)
        {
            int start = w.Length;
            w.U16(0xffff);
            w.U16(0);
            w.U32(NtrVendor);
            w.U32(NtrSelectionMethod);
            w.Zeros(4);
            w.FixedString(method, SelectionMethodLength);
            w.U64(g.SelectionMethodParam);
            foreach (var (field, mask) in g.Fields)
            {
                // Open vSwitch writes each field as an unmasked OXM whose value is the mask.
                uint header = FieldHeaders.OxmHeader(field);
                w.U32(header);
                FieldHeaders.WriteNumber(w, mask, FieldHeaders.WireBytes(header, field));
            }

            w.PatchU16(start + 2, (ushort)(w.Length - start));
            w.PadTo(start);
        }
    }

    /// <summary>One property (type, length, body padded to 8): its type and a reader over its body.</summary>
    private static WireReader Property(ref WireReader r, out ushort type)
    {
        if (r.Remaining < 4)
        {
            throw new OfErrorException(OfError.BadPropertyBadLen, $"{r.Remaining} bytes left: too short for a property");
        }

        type = r.U16();
        int length = r.U16();
        if (length < 4 || length - 4 > r.Remaining)
        {
            throw new OfErrorException(OfError.BadPropertyBadLen, $"property {type} of length {length} with {r.Remaining + 4} bytes left");
        }

        WireReader body = r.Sub(length - 4);
        r.Skip(Math.Min(r.Remaining, (8 - (length % 8)) % 8));
        return body;
    }

    private static OfGroupModCommand Command(ushort raw, bool allowBuckets) => raw switch
    {
        0 or 1 or 2 or 0x8000 => (OfGroupModCommand)raw,
        3 or 5 when allowBuckets => (OfGroupModCommand)raw,
        _ => throw new OfErrorException(OfError.GroupModFailedBadCommand, $"group-mod command {raw} is unknown"),
    };

    private static GroupType Type(byte raw) =>
        raw <= 3 ? (GroupType)raw : throw new OfErrorException(OfError.GroupModFailedBadType, $"group type {raw} is unknown");
}
