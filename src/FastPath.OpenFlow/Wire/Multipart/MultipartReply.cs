namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// A multipart (statistics) reply: OFPT_STATS_REPLY in OpenFlow 1.0, OFPT_MULTIPART_REPLY in 1.3+. A reply record
/// holds the whole answer (every entry of a list); <see cref="OfCodec.EncodeAll"/> splits a long one into several
/// messages flagged OFPMPF_REPLY_MORE.
/// </summary>
public abstract record MultipartReply : OfMessage
{
    /// <summary>
    /// OFPMPF_REPLY_MORE on a decoded part: more parts with the same xid follow. <see cref="OfCodec.Encode"/> writes
    /// it as it is; <see cref="OfCodec.EncodeAll"/> ignores it and flags every part but the last.
    /// </summary>
    public bool More { get; init; }
}
