namespace FastPath.Unixctl;

/// <summary>
/// Thrown by a command handler to answer with an error (its message is the reply's text), and by the server
/// when it cannot start (run directory, pidfile, socket).
/// </summary>
public sealed class UnixctlException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnixctlException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public UnixctlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public UnixctlException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
