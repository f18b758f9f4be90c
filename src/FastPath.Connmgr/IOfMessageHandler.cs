namespace FastPath.Connmgr;

/// <summary>
/// What the switch side implements to serve OpenFlow connections. Every call comes from the connection's own
/// I/O task and must return quickly (or, for <see cref="OnMessageAsync"/>, return a task saying when it may read on): the bridge posts the work to its ofproto thread and answers later through
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

    /// <summary>
    /// <see cref="OnMessage"/> for a handler that can fall behind: the connection reads nothing more from the peer
    /// until the returned task completes, so a peer sending faster than requests are served is slowed by TCP's own
    /// flow control instead of refused or buffered without bound. The default serves the message synchronously.
    /// </summary>
    ValueTask OnMessageAsync(OfConnection connection, OfRequest request)
    {
        OnMessage(connection, request);
        return ValueTask.CompletedTask;
    }

    /// <summary>A connection that was connected has closed (<see cref="OfConnection.CloseReason"/> says why).</summary>
    void OnDisconnected(OfConnection connection);
}
