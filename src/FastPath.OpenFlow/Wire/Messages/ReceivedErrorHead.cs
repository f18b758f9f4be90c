namespace FastPath.OpenFlow.Wire.Messages;

/// <summary>The start of an OFPT_ERROR body (type, code, vendor header) as a peer sent it (see <see cref="ErrorMessage.Received"/>).</summary>
/// <param name="Version">The version it came in, the only one it means anything in.</param>
/// <param name="Head">The bytes before the error's data.</param>
public sealed record ReceivedErrorHead(OpenFlowVersion Version, byte[] Head);
