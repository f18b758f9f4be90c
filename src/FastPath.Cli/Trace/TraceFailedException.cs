namespace FastPath.Cli.Trace;

/// <summary>An ofproto-trace that cannot run (a bad flows file, flow, packet or port list); the message is one line.</summary>
public sealed class TraceFailedException(string message) : Exception(message);
