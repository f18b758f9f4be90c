namespace FastPath.Daemon.Ports;

/// <summary>An interface's configuration cannot be opened; the message is what goes into its OVSDB <c>error</c> column.</summary>
public sealed class NetdevConfigException(string message, Exception? inner = null) : Exception(message, inner);
