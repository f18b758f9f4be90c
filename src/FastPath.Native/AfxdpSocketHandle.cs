using System.Runtime.InteropServices;

namespace FastPath.Native;

/// <summary>Owns an fp_xsk: closes the socket (detaching the XDP program after the last one) when released.</summary>
internal sealed class AfxdpSocketHandle : SafeHandle
{
    private readonly AfxdpUmemHandle umem;

    /// <summary>Wraps <paramref name="xsk"/>; the caller has already added a reference on <paramref name="umem"/>.</summary>
    public AfxdpSocketHandle(nint xsk, AfxdpUmemHandle umem)
        : base(0, ownsHandle: true)
    {
        this.umem = umem;
        SetHandle(xsk);
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        AfxdpNative.XskDestroy(handle);
        umem.DangerousRelease();
        return true;
    }
}
