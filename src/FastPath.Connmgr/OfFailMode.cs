namespace FastPath.Connmgr;

/// <summary>What the bridge does while it has controllers configured but none connected (Open vSwitch's fail_mode).</summary>
public enum OfFailMode
{
    /// <summary>Keep the flow table as it is and make no forwarding decisions of its own.</summary>
    Secure,

    /// <summary>
    /// Behave as a learning switch (NORMAL) when no controller is configured at all, and "fail open" once the
    /// configured controllers have been unreachable for <see cref="OfConnectionManager.FailOpenDelay"/>.
    /// </summary>
    Standalone,
}
