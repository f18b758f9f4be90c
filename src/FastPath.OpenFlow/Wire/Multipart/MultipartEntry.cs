namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// One multipart kind the codec knows: its request and reply records and how their bodies are read and written,
/// over which versions. Made with <see cref="Single{TRequest, TReply}"/> or <see cref="List{TRequest, TReply, TItem}"/>
/// and listed in <see cref="MultipartKinds"/>.
/// </summary>
public abstract class MultipartEntry
{
    private protected MultipartEntry(MultipartKind kind, OpenFlowVersion minVersion, OpenFlowVersion maxVersion)
    {
        Kind = kind;
        MinVersion = minVersion;
        MaxVersion = maxVersion;
    }

    /// <summary>The multipart type (and vendor subtype) on the wire.</summary>
    public MultipartKind Kind { get; }

    /// <summary>The oldest version that has this kind.</summary>
    public OpenFlowVersion MinVersion { get; }

    /// <summary>The newest version that has this kind.</summary>
    public OpenFlowVersion MaxVersion { get; }

    /// <summary>The request record.</summary>
    public abstract Type RequestType { get; }

    /// <summary>The reply record.</summary>
    public abstract Type ReplyType { get; }

    /// <summary>
    /// A kind whose request and reply are single bodies (OFPMP_DESC, OFPMP_AGGREGATE, ...). <paramref name="when"/>,
    /// if given, restricts encoding to the sessions it accepts (e.g. NXST_FLOW only when the 1.0 flow format is NXM),
    /// so two kinds may share a record.
    /// </summary>
    public static MultipartEntry Single<TRequest, TReply>(
        MultipartKind kind,
        OpenFlowVersion minVersion,
        BodyDecoder<TRequest> decodeRequest,
        BodyEncoder<TRequest> encodeRequest,
        BodyDecoder<TReply> decodeReply,
        BodyEncoder<TReply> encodeReply,
        Func<OfSession, bool>? when = null,
        OpenFlowVersion maxVersion = OpenFlowVersion.OF15)
        where TRequest : MultipartRequest
        where TReply : MultipartReply
        => new SingleEntry<TRequest, TReply>(kind, minVersion, maxVersion, decodeRequest, encodeRequest, decodeReply, encodeReply, when);

    /// <summary>
    /// A kind whose reply is a list of entries (OFPMP_FLOW, OFPMP_PORT_STATS, ...): the reply is read entry by entry
    /// to the end of the body and written entry by entry, split across messages when long. <paramref name="when"/>
    /// as for <see cref="Single{TRequest, TReply}"/>.
    /// </summary>
    public static MultipartEntry List<TRequest, TReply, TItem>(
        MultipartKind kind,
        OpenFlowVersion minVersion,
        BodyDecoder<TRequest> decodeRequest,
        BodyEncoder<TRequest> encodeRequest,
        BodyDecoder<TItem> decodeItem,
        BodyEncoder<TItem> encodeItem,
        Func<OfSession, bool>? when = null,
        OpenFlowVersion maxVersion = OpenFlowVersion.OF15)
        where TRequest : MultipartRequest
        where TReply : MultipartReply, IMultipartListReply<TReply, TItem>
        => new ListEntry<TRequest, TReply, TItem>(kind, minVersion, maxVersion, decodeRequest, encodeRequest, decodeItem, encodeItem, when);

    /// <summary>Whether this kind exists in <paramref name="version"/>.</summary>
    public bool Covers(OpenFlowVersion version) => version >= MinVersion && version <= MaxVersion;

    /// <summary>Whether this entry encodes its records on <paramref name="session"/>.</summary>
    internal abstract bool EncodesOn(OfSession session);

    /// <summary>Reads a request body (everything after the multipart header).</summary>
    internal abstract MultipartRequest DecodeRequest(ref WireReader body, OfSession session);

    /// <summary>Writes a request body.</summary>
    internal abstract void EncodeRequest(MultipartRequest request, WireWriter w, OfSession session);

    /// <summary>Reads a reply body (one message's part of the list, for list kinds).</summary>
    internal abstract MultipartReply DecodeReply(ref WireReader body, OfSession session);

    /// <summary>Writes a reply body as chunks that may not be split (list entries), each handed to <paramref name="chunk"/>.</summary>
    internal abstract void EncodeReply(MultipartReply reply, OfSession session, WireWriter scratch, Action<WireWriter> chunk);

    /// <summary>Joins the decoded parts of one reply (list kinds concatenate; single kinds keep the last part).</summary>
    internal abstract MultipartReply Join(IReadOnlyList<MultipartReply> parts);

    private sealed class SingleEntry<TRequest, TReply>(
        MultipartKind kind,
        OpenFlowVersion minVersion,
        OpenFlowVersion maxVersion,
        BodyDecoder<TRequest> decodeRequest,
        BodyEncoder<TRequest> encodeRequest,
        BodyDecoder<TReply> decodeReply,
        BodyEncoder<TReply> encodeReply,
        Func<OfSession, bool>? when)
        : MultipartEntry(kind, minVersion, maxVersion)
        where TRequest : MultipartRequest
        where TReply : MultipartReply
    {
        public override Type RequestType => typeof(TRequest);

        public override Type ReplyType => typeof(TReply);

        internal override bool EncodesOn(OfSession session) => Covers(session.Version) && (when is null || when(session));

        internal override MultipartRequest DecodeRequest(ref WireReader body, OfSession session) => decodeRequest(ref body, session);

        internal override void EncodeRequest(MultipartRequest request, WireWriter w, OfSession session) => encodeRequest((TRequest)request, w, session);

        internal override MultipartReply DecodeReply(ref WireReader body, OfSession session) => decodeReply(ref body, session);

        internal override void EncodeReply(MultipartReply reply, OfSession session, WireWriter scratch, Action<WireWriter> chunk)
        {
            encodeReply((TReply)reply, scratch, session);
            chunk(scratch);
        }

        internal override MultipartReply Join(IReadOnlyList<MultipartReply> parts) => parts[^1];
    }

    private sealed class ListEntry<TRequest, TReply, TItem>(
        MultipartKind kind,
        OpenFlowVersion minVersion,
        OpenFlowVersion maxVersion,
        BodyDecoder<TRequest> decodeRequest,
        BodyEncoder<TRequest> encodeRequest,
        BodyDecoder<TItem> decodeItem,
        BodyEncoder<TItem> encodeItem,
        Func<OfSession, bool>? when)
        : MultipartEntry(kind, minVersion, maxVersion)
        where TRequest : MultipartRequest
        where TReply : MultipartReply, IMultipartListReply<TReply, TItem>
    {
        public override Type RequestType => typeof(TRequest);

        public override Type ReplyType => typeof(TReply);

        internal override bool EncodesOn(OfSession session) => Covers(session.Version) && (when is null || when(session));

        internal override MultipartRequest DecodeRequest(ref WireReader body, OfSession session) => decodeRequest(ref body, session);

        internal override void EncodeRequest(MultipartRequest request, WireWriter w, OfSession session) => encodeRequest((TRequest)request, w, session);

        internal override MultipartReply DecodeReply(ref WireReader body, OfSession session)
        {
            var items = new List<TItem>();
            while (!body.AtEnd)
            {
                int before = body.Remaining;
                items.Add(decodeItem(ref body, session));
                if (body.Remaining == before)
                {
                    // An entry that consumed nothing would loop forever; its codec is broken, not the peer.
                    throw new InvalidOperationException($"{typeof(TItem).Name} decoder consumed no bytes");
                }
            }

            return TReply.Create(items);
        }

        internal override void EncodeReply(MultipartReply reply, OfSession session, WireWriter scratch, Action<WireWriter> chunk)
        {
            IReadOnlyList<TItem> items = ((TReply)reply).Items;
            for (int i = 0; i < items.Count; i++)
            {
                scratch.Reset();
                encodeItem(items[i], scratch, session);
                chunk(scratch);
            }
        }

        internal override MultipartReply Join(IReadOnlyList<MultipartReply> parts)
        {
            var all = new List<TItem>();
            foreach (MultipartReply p in parts)
            {
                all.AddRange(((TReply)p).Items);
            }

            return TReply.Create(all);
        }
    }
}
