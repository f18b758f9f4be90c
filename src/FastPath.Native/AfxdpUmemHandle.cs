using System.Runtime.InteropServices;

namespace FastPath.Native;

/// <summary>Owns an fp_umem: unregisters it from the kernel when released.</summary>
/// <remarks>
/// Sockets hold a reference on this handle (DangerousAddRef), so the UMEM outlives every socket
/// bound to it even when handles are finalized in any order.
/// </remarks>
internal sealed class AfxdpUmemHandle : SafeHandle
{
    /// <summary>Wraps <paramref name="umem"/>, which this handle now owns.</summary>
    public AfxdpUmemHandle(nint umem)
        : base(0, ownsHandle: true)
    {
        SetHandle(umem);
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => AfxdpNative.UmemDestroy(handle) == 0;
}
