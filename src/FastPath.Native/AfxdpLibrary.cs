namespace FastPath.Native;

/// <summary>Process-wide AF_XDP helpers: XDP program queries and library logging.</summary>
public static class AfxdpLibrary
{
    /// <summary>
    /// The XDP program attached to <paramref name="interfaceName"/> now: its id (0 when none) and
    /// attach mode.
    /// </summary>
    /// <exception cref="AfxdpException">The interface does not exist or the query failed.</exception>
    public static (uint ProgramId, AfxdpXdpAttachMode Mode) QueryXdp(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        Cpu.EnsureAbi();
        int rc = AfxdpNative.XdpQuery(interfaceName, out uint id, out uint mode);
        if (rc != 0)
        {
            throw new AfxdpException($"cannot query the XDP program of {interfaceName}", -rc);
        }

        return (id, (AfxdpXdpAttachMode)mode);
    }

    /// <summary>
    /// How much libxdp and libbpf print to stderr: 0 nothing, 1 warnings, 2 warnings and info (their
    /// default), 3 everything. Mode fallbacks make them print failures that are expected, hence the knob.
    /// </summary>
    public static void SetLibraryLogLevel(int level)
    {
        Cpu.EnsureAbi();
        AfxdpNative.SetLogLevel(level);
    }
}
