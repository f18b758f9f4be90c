namespace FastPath.Ofproto.Tests.Ovs;

/// <summary>
/// The Open vSwitch reference harness could not do what it was asked: a daemon did not start or stopped, a
/// tool failed or timed out, or its output was not what the harness expects. The message carries the command
/// and, for daemon failures, the tail of the daemon's log.
/// </summary>
public sealed class OvsHarnessException : Exception
{
    /// <summary>An error with a message only.</summary>
    public OvsHarnessException(string message)
        : base(message)
    {
    }

    /// <summary>An error caused by <paramref name="inner"/>.</summary>
    public OvsHarnessException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
