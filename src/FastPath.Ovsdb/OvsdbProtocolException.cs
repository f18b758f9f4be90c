namespace FastPath.Ovsdb;

/// <summary>The peer sent something RFC 7047 does not allow: malformed JSON, a reply of the wrong shape, a value of the wrong type.</summary>
public sealed class OvsdbProtocolException : OvsdbException
{
    /// <summary>An error with a message.</summary>
    public OvsdbProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>An error with a message and its cause.</summary>
    public OvsdbProtocolException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
