namespace FastPath.Connmgr;

/// <summary>
/// What the switch side implements to serve OpenFlow connections. Every call comes from the connection's own
/// I/O task and must return quickly: the bridge posts the work to its ofproto thread and answers later through
/// <see cref="OfConnection.Send"/>, which is thread-safe and never blocks.
/// </summary>
public interface IOfMessageHandler
{
    /// <summary>The connection finished the hello exchange: <see cref="OfConnection.Session"/> holds the negotiated version.</summary>
    void OnConnected(OfConnection connection);

    /// <summary>
    /// One decoded message (anything but hello and echo, which the connection answers itself). An
    /// <see cref="FastPath.OpenFlow.Wire.OfErrorException"/> thrown here is answered as an OFPT_ERROR on the request's xid.
    /// </summary>
    void OnMessage(OfConnection connection, OfRequest request);

    /// <summary>A connection that was connected has closed (<see cref="OfConnection.CloseReason"/> says why).</summary>
    void OnDisconnected(OfConnection connection);
}
