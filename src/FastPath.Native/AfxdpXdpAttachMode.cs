namespace FastPath.Native;

/// <summary>How the XDP program on an interface is attached (the kernel's XDP_ATTACHED_* values).</summary>
public enum AfxdpXdpAttachMode : uint
{
    /// <summary>No XDP program is attached.</summary>
    None = 0,

    /// <summary>Driver (native) mode.</summary>
    Native = 1,

    /// <summary>Generic (SKB) mode.</summary>
    Generic = 2,

    /// <summary>Offloaded to the NIC.</summary>
    Offload = 3,

    /// <summary>Programs in more than one mode at once.</summary>
    Multi = 4,
}
