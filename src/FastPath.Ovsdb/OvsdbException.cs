namespace FastPath.Ovsdb;

/// <summary>The base of every error this library reports.</summary>
public class OvsdbException : Exception
{
    /// <summary>An error with a message.</summary>
    public OvsdbException(string message)
        : base(message)
    {
    }

    /// <summary>An error with a message and its cause.</summary>
    public OvsdbException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
