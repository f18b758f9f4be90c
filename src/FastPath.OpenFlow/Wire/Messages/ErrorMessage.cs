namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_ERROR: the error and (at least the first 64 bytes of) the message that caused it.</summary>
/// <param name="Error">The error, in OpenFlow 1.3 numbering.</param>
/// <param name="Data">The offending bytes, or for hello failures an ASCII explanation.</param>
public sealed record ErrorMessage(OfError Error, byte[] Data) : OfMessage
{
    /// <summary>Bytes of the offending request an error carries (Open vSwitch's ofperr_encode_reply sends at most 64).</summary>
    public const int MaxData = 64;

    /// <summary>The error answering <paramref name="request"/>: it carries the request's first 64 bytes, as Open vSwitch's do.</summary>
    public static ErrorMessage ForRequest(OfError error, ReadOnlySpan<byte> request)
        => new(error, request[..Math.Min(request.Length, MaxData)].ToArray());

    /// <summary>An OFPET_HELLO_FAILED error explaining itself in ASCII text, as the specification asks.</summary>
    public static ErrorMessage HelloFailed(OfError error, string text)
        => new(error, System.Text.Encoding.ASCII.GetBytes(text));
}
