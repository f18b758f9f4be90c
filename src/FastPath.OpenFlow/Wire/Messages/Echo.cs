namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_ECHO_REQUEST or OFPT_ECHO_REPLY: liveness, with arbitrary data echoed back.</summary>
/// <param name="IsReply">A reply rather than a request.</param>
/// <param name="Data">The data carried.</param>
public sealed record Echo(bool IsReply, byte[] Data) : OfMessage;
