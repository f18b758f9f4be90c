namespace FastPath.Native;

/// <summary>How an AF_XDP socket attaches and binds (the shim's FP_XSK_* flags).</summary>
[Flags]
public enum AfxdpSocketFlags : uint
{
    /// <summary>Let libxdp choose the XDP attach mode and the kernel the copy mode.</summary>
    None = 0,

    /// <summary>Attach the XDP program in driver (native) mode.</summary>
    NativeMode = 0x1,

    /// <summary>Attach the XDP program in generic (SKB) mode, which every interface supports.</summary>
    GenericMode = 0x2,

    /// <summary>Bind in copy mode: the kernel copies packets between its buffers and the UMEM.</summary>
    Copy = 0x4,

    /// <summary>Bind in zero-copy mode: the driver DMAs straight into the UMEM; fails where it cannot.</summary>
    ZeroCopy = 0x8,

    /// <summary>Bind with XDP_USE_NEED_WAKEUP, so syscalls are only needed when the kernel asks.</summary>
    NeedWakeup = 0x10,
}
