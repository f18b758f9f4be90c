using FastPath.OpenFlow.Wire;

namespace FastPath.Connmgr;

/// <summary>One message received on a connection, with what an error reply about it needs.</summary>
/// <param name="Message">The decoded message.</param>
/// <param name="Xid">The transaction id, for the reply.</param>
/// <param name="Head">The message as received, cut to what an OFPT_ERROR holds: the data of an error about it (Open vSwitch 3.1 sends the whole request back).</param>
public readonly record struct OfRequest(OfMessage Message, uint Xid, byte[] Head)
{
    /// <summary>Bytes of a request an error reply carries back when the request is too long to be kept (OpenFlow asks for at least 64).</summary>
    public const int ErrorDataBytes = 64;
}
