namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>OFPT_BARRIER_REQUEST or OFPT_BARRIER_REPLY: the reply comes once every earlier message is done.</summary>
/// <param name="IsReply">A reply rather than a request.</param>
public sealed record BarrierMessage(bool IsReply) : OfMessage;
