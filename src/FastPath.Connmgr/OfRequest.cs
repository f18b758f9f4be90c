using FastPath.OpenFlow.Wire;

namespace FastPath.Connmgr;

/// <summary>One message received on a connection, with what an error reply about it needs.</summary>
/// <param name="Message">The decoded message.</param>
/// <param name="Xid">The transaction id, for the reply.</param>
/// <param name="Head">The first bytes of the message as received (at most 64), the data of an OFPT_ERROR about it.</param>
public readonly record struct OfRequest(OfMessage Message, uint Xid, byte[] Head)
{
    /// <summary>Bytes of a request an error reply carries back (OpenFlow asks for at least 64).</summary>
    public const int ErrorDataBytes = 64;
}
