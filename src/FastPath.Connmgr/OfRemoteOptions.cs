namespace FastPath.Connmgr;

/// <summary>How a target's connections behave: per-connection limits, kind, reconnect backoff and TLS files.</summary>
public sealed record OfRemoteOptions
{
    /// <summary>Limits and timers of each connection (inactivity probe, queues, rate limit...).</summary>
    public OfConnectionOptions Connection { get; init; } = new();

    /// <summary>The connections' kind; null: controller for active targets, service for passive ones (Open vSwitch's default).</summary>
    public OfConnectionKind? Kind { get; init; }

    /// <summary>First reconnect wait of an active target (Open vSwitch: 1 s).</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect wait of an active target (Open vSwitch's max_backoff: 8 s).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long a connection attempt (TCP, then TLS) may take; null: the current backoff, at least 1 s, as Open vSwitch.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Key, certificate and CA files; required by ssl: and pssl: targets.</summary>
    public OfSslOptions? Ssl { get; init; }
}
