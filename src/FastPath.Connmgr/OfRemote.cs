namespace FastPath.Connmgr;

/// <summary>One configured target of a connection manager: an active connection that reconnects, or a listener.</summary>
public abstract class OfRemote : IAsyncDisposable
{
    private protected OfRemote(OfTarget target, OfConnectionKind kind, OfRemoteOptions options)
    {
        Target = target;
        Kind = kind;
        Options = options;
    }

    /// <summary>The target.</summary>
    public OfTarget Target { get; }

    /// <summary>The kind of the connections it makes.</summary>
    public OfConnectionKind Kind { get; }

    /// <summary>Its options.</summary>
    public OfRemoteOptions Options { get; }

    /// <summary>Its open connections.</summary>
    public abstract IReadOnlyList<OfConnection> Connections { get; }

    /// <summary>Stops connecting or listening and closes its connections.</summary>
    public abstract ValueTask DisposeAsync();
}
