namespace FastPath.Native;

/// <summary>Linux errno values that AF_XDP calls return and their callers act on.</summary>
public static class AfxdpErrno
{
    /// <summary>Operation not permitted (missing CAP_NET_ADMIN / CAP_BPF).</summary>
    public const int EPERM = 1;

    /// <summary>No such file or directory.</summary>
    public const int ENOENT = 2;

    /// <summary>Interrupted system call.</summary>
    public const int EINTR = 4;

    /// <summary>Try again: the kernel had more to do than one call allows.</summary>
    public const int EAGAIN = 11;

    /// <summary>Out of memory (or locked-memory limit).</summary>
    public const int ENOMEM = 12;

    /// <summary>Busy: for a bind, a socket still owns the queue (its release is deferred in the kernel).</summary>
    public const int EBUSY = 16;

    /// <summary>No such device.</summary>
    public const int ENODEV = 19;

    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;

    /// <summary>Not supported by this driver or mode.</summary>
    public const int EOPNOTSUPP = 95;

    /// <summary>Address family not supported: the kernel has no AF_XDP.</summary>
    public const int EAFNOSUPPORT = 97;

    /// <summary>No buffer space available.</summary>
    public const int ENOBUFS = 105;

    /// <summary>The network interface is down.</summary>
    public const int ENETDOWN = 100;

    /// <summary>No such device or address (the device went away).</summary>
    public const int ENXIO = 6;
}
