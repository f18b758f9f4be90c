namespace FastPath.Connmgr;

/// <summary>What the connection manager learns from a connection it owns (roles, fail mode, snooping).</summary>
internal interface IOfConnectionObserver
{
    /// <summary>The hello exchange succeeded.</summary>
    void OnActive(OfConnection connection);

    /// <summary>A whole message crossed the connection (<paramref name="inbound"/>: from the peer).</summary>
    void OnFrame(OfConnection connection, ReadOnlySpan<byte> frame, bool inbound);

    /// <summary>The connection closed (after the handler heard of it).</summary>
    void OnClosed(OfConnection connection);
}
