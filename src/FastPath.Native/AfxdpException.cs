using System.Runtime.InteropServices;

namespace FastPath.Native;

/// <summary>An AF_XDP operation failed; <see cref="Errno"/> tells why.</summary>
public sealed class AfxdpException : IOException
{
    /// <summary>Creates an exception for <paramref name="errno"/> with a message that starts with <paramref name="what"/>.</summary>
    public AfxdpException(string what, int errno)
        : base($"{what}: {Describe(errno)}")
    {
        Errno = errno;
    }

    /// <summary>Creates an exception with a complete message, for failures that combine several errors.</summary>
    public AfxdpException(string message, int errno, Exception? inner)
        : base(message, inner)
    {
        Errno = errno;
    }

    /// <summary>The positive errno value (ENODEV = 19, EBUSY = 16, EOPNOTSUPP = 95, ...).</summary>
    public int Errno { get; }

    /// <summary>The system's text for <paramref name="errno"/> plus its symbolic name when known.</summary>
    public static string Describe(int errno)
    {
        string text = Marshal.GetPInvokeErrorMessage(errno);
        string? name = errno switch
        {
            AfxdpErrno.EPERM => "EPERM",
            AfxdpErrno.ENOENT => "ENOENT",
            AfxdpErrno.ENOMEM => "ENOMEM",
            AfxdpErrno.EBUSY => "EBUSY",
            AfxdpErrno.ENODEV => "ENODEV",
            AfxdpErrno.EINVAL => "EINVAL",
            AfxdpErrno.EOPNOTSUPP => "EOPNOTSUPP",
            AfxdpErrno.EAFNOSUPPORT => "EAFNOSUPPORT",
            _ => null,
        };
        return name is null ? $"{text} (errno {errno})" : $"{text} ({name})";
    }
}
