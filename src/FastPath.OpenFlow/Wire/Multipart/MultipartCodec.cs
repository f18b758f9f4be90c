using System.Collections.Frozen;

namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// The multipart layer: the header after ofp_header (OpenFlow 1.0: type, flags; 1.3+: type, flags, 4 pad bytes;
/// OFPMP_EXPERIMENTER adds vendor and subtype, with 4 more pad bytes in 1.0's Nicira form), dispatch of bodies to
/// the kinds of <see cref="MultipartKinds"/>, and splitting of long replies.
/// </summary>
public static class MultipartCodec
{
    /// <summary>OFPMPF_REQ_MORE / OFPMPF_REPLY_MORE.</summary>
    public const ushort FlagMore = 1;

    /// <summary>Largest message: the header's length field is 16 bits.</summary>
    public const int MaxMessage = ushort.MaxValue;

    private static readonly FrozenDictionary<MultipartKind, MultipartEntry[]> ByKind =
        MultipartKinds.All.GroupBy(e => e.Kind).ToFrozenDictionary(g => g.Key, g => g.ToArray());

    private static readonly FrozenDictionary<Type, MultipartEntry[]> ByRecord =
        MultipartKinds.All.SelectMany(e => new[] { (e.RequestType, e), (e.ReplyType, e) })
            .GroupBy(p => p.Item1).ToFrozenDictionary(g => g.Key, g => g.Select(p => p.e).ToArray());

    /// <summary>Bytes of the multipart header after ofp_header for <paramref name="kind"/> on <paramref name="version"/>.</summary>
    public static int HeaderLength(MultipartKind kind, OpenFlowVersion version)
        => kind.Type == MultipartType.Experimenter ? 16 : version == OpenFlowVersion.OF10 ? 4 : 8;

    /// <summary>Decodes an OFPT_STATS_REQUEST / OFPT_MULTIPART_REQUEST body (everything after ofp_header).</summary>
    public static MultipartRequest DecodeRequest(ref WireReader body, OfSession session)
    {
        (MultipartKind kind, ushort flags) = ReadHeader(ref body, session.Version);
        MultipartRequest r = Find(kind, session.Version).DecodeRequest(ref body, session);
        CheckConsumed(ref body, kind);
        bool more = session.Version != OpenFlowVersion.OF10 && (flags & FlagMore) != 0;
        return more ? r with { More = true } : r;
    }

    /// <summary>Decodes an OFPT_STATS_REPLY / OFPT_MULTIPART_REPLY body (one part of a reply).</summary>
    public static MultipartReply DecodeReply(ref WireReader body, OfSession session)
    {
        (MultipartKind kind, ushort flags) = ReadHeader(ref body, session.Version);
        MultipartReply r = Find(kind, session.Version).DecodeReply(ref body, session);
        CheckConsumed(ref body, kind);
        return (flags & FlagMore) != 0 ? r with { More = true } : r;
    }

    /// <summary>The kind of a multipart message's body and its flags, read from the bytes after ofp_header.</summary>
    public static (MultipartKind Kind, ushort Flags) ReadHeader(ref WireReader body, OpenFlowVersion version)
    {
        var type = (MultipartType)body.U16();
        ushort flags = body.U16();
        if (version != OpenFlowVersion.OF10)
        {
            body.Skip(4);
        }

        if (type != MultipartType.Experimenter)
        {
            return (new MultipartKind(type), flags);
        }

        uint vendor = body.U32();
        if (vendor != Nx.NxCodec.NiciraVendorId && (version == OpenFlowVersion.OF10 || vendor != Nx.NxCodec.OnfVendorId))
        {
            throw new OfErrorException(OfError.BadRequestBadExperimenter, $"multipart vendor 0x{vendor:x8} is not supported");
        }

        uint subtype = body.U32();
        if (version == OpenFlowVersion.OF10)
        {
            body.Skip(4);
        }

        return (new MultipartKind(type, vendor, subtype), flags);
    }

    /// <summary>The entry for <paramref name="kind"/> on <paramref name="version"/>; unknown ones are OFPBRC_BAD_MULTIPART (OFPBRC_BAD_SUBTYPE for a vendor's).</summary>
    public static MultipartEntry Find(MultipartKind kind, OpenFlowVersion version)
    {
        if (ByKind.TryGetValue(kind, out MultipartEntry[]? entries))
        {
            foreach (MultipartEntry e in entries)
            {
                if (e.Covers(version))
                {
                    return e;
                }
            }
        }

        throw new OfErrorException(
            kind.Type == MultipartType.Experimenter ? OfError.BadRequestBadExpType : OfError.BadRequestBadMultipart,
            $"multipart {kind} is not supported on OpenFlow {version}");
    }

    /// <summary>Whether <paramref name="message"/> is a multipart record some kind encodes on <paramref name="session"/>.</summary>
    public static bool TryFindEncoder(OfMessage message, OfSession session, out MultipartEntry entry)
    {
        if (message is MultipartRequest or MultipartReply && ByRecord.TryGetValue(message.GetType(), out MultipartEntry[]? entries))
        {
            foreach (MultipartEntry e in entries)
            {
                if (e.EncodesOn(session))
                {
                    entry = e;
                    return true;
                }
            }
        }

        entry = null!;
        return false;
    }

    /// <summary>
    /// Encodes a multipart request or reply as one message body into <paramref name="w"/> (which holds the ofp_header
    /// placeholder) and returns the message type. A reply too long for one message throws: use <see cref="EncodeAll"/>.
    /// A reply part flagged <see cref="MultipartReply.More"/> keeps its flag (re-sending a part as it came).
    /// </summary>
    public static byte Encode(OfMessage message, WireWriter w, OfSession session)
    {
        if (!TryFindEncoder(message, session, out MultipartEntry entry))
        {
            throw new NotSupportedException($"{message.GetType().Name} has no OpenFlow {session.Version} encoding");
        }

        if (message is MultipartRequest request)
        {
            WriteHeader(w, entry.Kind, request.More ? FlagMore : (ushort)0, session.Version);
            entry.EncodeRequest(request, w, session);
            return RequestType(session.Version);
        }

        WriteHeader(w, entry.Kind, ((MultipartReply)message).More ? FlagMore : (ushort)0, session.Version);
        var scratch = new WireWriter();
        entry.EncodeReply((MultipartReply)message, session, scratch, chunk => w.Bytes(chunk.Written));
        return ReplyType(session.Version);
    }

    /// <summary>
    /// Encodes <paramref name="reply"/> as as many messages as it needs, each at most 65535 bytes, split between list
    /// entries; every message but the last carries OFPMPF_REPLY_MORE. All share <paramref name="xid"/>.
    /// </summary>
    public static IReadOnlyList<byte[]> EncodeAll(MultipartReply reply, OfSession session, uint xid)
    {
        if (!TryFindEncoder(reply, session, out MultipartEntry entry))
        {
            throw new NotSupportedException($"{reply.GetType().Name} has no OpenFlow {session.Version} encoding");
        }

        int head = OfHeader.Size + HeaderLength(entry.Kind, session.Version);
        byte type = ReplyType(session.Version);
        var messages = new List<byte[]>();
        var current = new WireWriter();
        Start(current);
        var scratch = new WireWriter();
        entry.EncodeReply(reply, session, scratch, chunk =>
        {
            if (head + chunk.Length > MaxMessage)
            {
                throw new ArgumentException($"one entry of {reply.GetType().Name} needs {chunk.Length} bytes, more than a message holds", nameof(reply));
            }

            if (current.Length + chunk.Length > MaxMessage)
            {
                messages.Add(Finish(current, FlagMore));
                current.Reset();
                Start(current);
            }

            current.Bytes(chunk.Written);
        });
        messages.Add(Finish(current, 0));
        return messages;

        void Start(WireWriter w)
        {
            w.Zeros(OfHeader.Size);
            WriteHeader(w, entry.Kind, 0, session.Version);
        }

        byte[] Finish(WireWriter w, ushort flags)
        {
            byte[] bytes = w.ToArray();
            new OfHeader((byte)session.Version, type, (ushort)bytes.Length, xid).Write(bytes);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(OfHeader.Size + 2), flags);
            return bytes;
        }
    }

    /// <summary>Joins decoded parts of one reply (each but the last flagged <see cref="MultipartReply.More"/>) into the whole reply.</summary>
    public static MultipartReply Join(IReadOnlyList<MultipartReply> parts, OfSession session)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        if (!TryFindEncoder(parts[0], session, out MultipartEntry entry))
        {
            throw new NotSupportedException($"{parts[0].GetType().Name} is not a multipart reply of OpenFlow {session.Version}");
        }

        return entry.Join(parts);
    }

    /// <summary>Message type of a multipart request on <paramref name="version"/>.</summary>
    public static byte RequestType(OpenFlowVersion version)
        => version == OpenFlowVersion.OF10 ? (byte)Of10Type.StatsRequest : (byte)Of13Type.MultipartRequest;

    /// <summary>Message type of a multipart reply on <paramref name="version"/>.</summary>
    public static byte ReplyType(OpenFlowVersion version)
        => version == OpenFlowVersion.OF10 ? (byte)Of10Type.StatsReply : (byte)Of13Type.MultipartReply;

    /// <summary>Writes the multipart header for <paramref name="kind"/>.</summary>
    public static void WriteHeader(WireWriter w, MultipartKind kind, ushort flags, OpenFlowVersion version)
    {
        w.U16((ushort)kind.Type);
        w.U16(flags);
        if (version != OpenFlowVersion.OF10)
        {
            w.Zeros(4);
        }

        if (kind.Type == MultipartType.Experimenter)
        {
            w.U32(kind.Vendor);
            w.U32(kind.Subtype);
            if (version == OpenFlowVersion.OF10)
            {
                w.Zeros(4);
            }
        }
    }

    private static void CheckConsumed(ref WireReader body, MultipartKind kind)
    {
        if (!body.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"multipart {kind} body has {body.Remaining} bytes beyond its structure");
        }
    }
}
