namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_ERROR: the error and (at least the first 64 bytes of) the message that caused it.</summary>
/// <param name="Error">The error, in OpenFlow 1.3 numbering.</param>
/// <param name="Data">The offending bytes, or for hello failures an ASCII explanation.</param>
public sealed record ErrorMessage(OfError Error, byte[] Data) : OfMessage;
