namespace FastPath.Ovsdb.Rpc;

/// <summary>Limits and timers of one JSON-RPC connection.</summary>
public sealed record JsonRpcOptions
{
    /// <summary>After this long without a message from the peer, send an echo request; after as long again, close
    /// the connection (Open vSwitch's inactivity probe, 5 s by default there too). Zero disables the probe.</summary>
    public TimeSpan InactivityProbe { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A request without a reply for this long fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A send that cannot complete for this long (the peer stopped reading) closes the connection.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest message accepted; a longer one closes the connection rather than growing without bound.</summary>
    public long MaxMessageBytes { get; init; } = 256L * 1024 * 1024;
}
