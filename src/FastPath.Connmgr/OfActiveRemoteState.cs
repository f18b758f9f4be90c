namespace FastPath.Connmgr;

/// <summary>Where an active target is (Open vSwitch's rconn states, simplified).</summary>
public enum OfActiveRemoteState
{
    /// <summary>Waiting before the next attempt.</summary>
    Backoff,

    /// <summary>Connecting (TCP, TLS, hello).</summary>
    Connecting,

    /// <summary>Connected.</summary>
    Connected,

    /// <summary>Stopped (removed).</summary>
    Stopped,
}
