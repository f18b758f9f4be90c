namespace FastPath.Ovsdb;

/// <summary>The connection could not be made, or closed (or was closed) before the reply came.</summary>
public sealed class OvsdbConnectionException : OvsdbException
{
    /// <summary>An error with a message.</summary>
    public OvsdbConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>An error with a message and its cause.</summary>
    public OvsdbConnectionException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
