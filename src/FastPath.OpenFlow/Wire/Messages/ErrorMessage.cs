namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_ERROR: the error and the message that caused it (the specification asks for at least 64 bytes).</summary>
/// <param name="Error">The error, in OpenFlow 1.3 numbering.</param>
/// <param name="Data">The offending bytes, or for hello failures an ASCII explanation.</param>
public sealed record ErrorMessage(OfError Error, byte[] Data) : OfMessage
{
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
