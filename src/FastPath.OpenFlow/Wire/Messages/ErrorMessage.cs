namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_ERROR: the error and the message that caused it (the specification asks for at least 64 bytes).</summary>
/// <param name="Error">The error, in OpenFlow 1.3 numbering.</param>
/// <param name="Data">The offending bytes, or for hello failures an ASCII explanation.</param>
public sealed record ErrorMessage(OfError Error, byte[] Data) : OfMessage
{
    /// <summary>
    /// The error's head (type, code and any vendor header) exactly as received, when <see cref="Error"/> would not
    /// be written back as those bytes on the version it came in: a (type, code) pair that version does not define,
    /// which Open vSwitch 3.1 cannot decode either (OpenFlow 1.0's PORT_MOD_FAILED code 2 is read as 1.3's
    /// OFPPMFC_BAD_CONFIG, which 1.0 has no number for). Encoding on that version writes it unchanged, so a peer's
    /// error is relayed as it was sent; null for an error the catalogue writes back as it reads it.
    /// </summary>
    public ReceivedErrorHead? Received { get; init; }

    /// <summary>Most bytes of the offending request that fit an error message with a vendor error header.</summary>
    public const int MaxData = ushort.MaxValue - 20;

    /// <summary>
    /// The error answering <paramref name="request"/>. It carries the whole request, as Open vSwitch 3.1 does (a
    /// 96-byte bad multipart request comes back whole: tests/data/openflow/bad-multipart-96-of13.txt), cut only to
    /// fit one message.
    /// </summary>
    public static ErrorMessage ForRequest(OfError error, ReadOnlySpan<byte> request)
        => new(error, request[..Math.Min(request.Length, MaxData)].ToArray());

    /// <summary>An OFPET_HELLO_FAILED error explaining itself in ASCII text, as the specification asks.</summary>
    public static ErrorMessage HelloFailed(OfError error, string text)
        => new(error, System.Text.Encoding.ASCII.GetBytes(text));
}
