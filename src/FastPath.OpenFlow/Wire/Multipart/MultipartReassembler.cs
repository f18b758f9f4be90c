using FastPath.OpenFlow.Wire.Messages;

namespace FastPath.OpenFlow.Wire.Multipart;

/// <summary>
/// Joins multipart requests a controller splits with OFPMPF_REQ_MORE (OpenFlow 1.3+), per xid, as Open vSwitch's
/// ofpmp_assembler does for a connection: parts are held until the one without the flag arrives, then the bodies are
/// concatenated and decoded as one request. Every other message passes straight through <see cref="OfCodec.Decode"/>.
/// </summary>
/// <remarks>
/// Errors follow Open vSwitch: a part of another kind than the first is OFPBRC_BAD_MULTIPART; more than
/// <see cref="MaxBytes"/> held for one xid is OFPBRC_MULTIPART_BUFFER_OVERFLOW; a sequence left unfinished for
/// <see cref="Timeout"/> is OFPBRC_MULTIPART_REQUEST_TIMEOUT (see <see cref="Expire"/>). A failed sequence is
/// forgotten. One instance per connection; not thread-safe.
/// </remarks>
/// <param name="maxBytes">Most bytes held for one request (Open vSwitch: 4 MiB, table features requests are large).</param>
/// <param name="timeout">How long a partial request may wait for its next part (Open vSwitch: 1 s).</param>
public sealed class MultipartReassembler(int maxBytes = 4 * 1024 * 1024, TimeSpan? timeout = null)
{
    private readonly Dictionary<uint, Partial> partials = [];

    /// <summary>Most bytes held for one request.</summary>
    public int MaxBytes { get; } = maxBytes;

    /// <summary>How long a partial request may wait for its next part.</summary>
    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromSeconds(1);

    /// <summary>Requests waiting for more parts.</summary>
    public int Pending => partials.Count;

    /// <summary>
    /// Takes one received message. Returns the decoded message, or null while a split request waits for its next
    /// part. Throws <see cref="OfErrorException"/> for a malformed message or a broken sequence (the error goes back
    /// with this message's bytes).
    /// </summary>
    /// <param name="frame">One whole message.</param>
    /// <param name="session">The connection's session.</param>
    /// <param name="nowMs">The current time in milliseconds (any monotonic clock; <see cref="Environment.TickCount64"/>).</param>
    public OfMessage? Add(ReadOnlySpan<byte> frame, OfSession session, long nowMs)
    {
        if (!OfHeader.TryRead(frame, out OfHeader header)
            || header.Version != (byte)session.Version
            || header.Type != MultipartCodec.RequestType(session.Version)
            || session.Version == OpenFlowVersion.OF10
            || header.Length != frame.Length)
        {
            return OfCodec.Decode(frame, session);
        }

        var reader = new WireReader(frame[OfHeader.Size..]);
        (MultipartKind kind, ushort flags) = MultipartCodec.ReadHeader(ref reader, session.Version);
        MultipartCodec.Find(kind, session.Version);
        bool more = (flags & MultipartCodec.FlagMore) != 0;
        ReadOnlySpan<byte> body = reader.Rest;
        partials.TryGetValue(header.Xid, out Partial? p);
        if (p is null)
        {
            if (!more)
            {
                return OfCodec.Decode(frame, session);
            }

            p = new Partial(kind);
            partials[header.Xid] = p;
        }

        if (p.Kind != kind)
        {
            partials.Remove(header.Xid);
            throw new OfErrorException(OfError.BadRequestBadMultipart, $"part of {kind} in a {p.Kind} request (xid {header.Xid})");
        }

        p.Size += frame.Length;
        if (p.Size > MaxBytes)
        {
            partials.Remove(header.Xid);
            throw new OfErrorException(OfError.BadRequestMultipartBufferOverflow, $"multipart request xid {header.Xid} exceeds {MaxBytes} bytes");
        }

        p.Body.Bytes(body);
        p.LastHead = frame[..Math.Min(frame.Length, ErrorMessage.MaxData)].ToArray();
        p.Deadline = nowMs + (long)Timeout.TotalMilliseconds;
        if (more)
        {
            return null;
        }

        partials.Remove(header.Xid);
        var whole = new WireReader(p.Body.Written);
        MultipartRequest request = MultipartCodec.Find(kind, session.Version).DecodeRequest(ref whole, session);
        if (!whole.AtEnd)
        {
            throw new OfErrorException(OfError.BadRequestBadLen, $"multipart {kind} request has {whole.Remaining} bytes beyond its structure");
        }

        return request;
    }

    /// <summary>
    /// Forgets requests whose next part is overdue at <paramref name="nowMs"/> and returns, for each, the xid and the
    /// error to send (OFPBRC_MULTIPART_REQUEST_TIMEOUT).
    /// </summary>
    public IReadOnlyList<(uint Xid, ErrorMessage Error)> Expire(long nowMs)
    {
        List<(uint, ErrorMessage)>? expired = null;
        foreach ((uint xid, Partial p) in partials)
        {
            if (nowMs >= p.Deadline)
            {
                (expired ??= []).Add((xid, new ErrorMessage(OfError.BadRequestMultipartRequestTimeout, p.LastHead)));
            }
        }

        if (expired is null)
        {
            return [];
        }

        foreach ((uint xid, _) in expired)
        {
            partials.Remove(xid);
        }

        return expired;
    }

    private sealed class Partial(MultipartKind kind)
    {
        public MultipartKind Kind { get; } = kind;

        public WireWriter Body { get; } = new();

        public int Size { get; set; }

        public long Deadline { get; set; }

        public byte[] LastHead { get; set; } = [];
    }
}
