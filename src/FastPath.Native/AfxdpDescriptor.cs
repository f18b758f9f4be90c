using System.Runtime.InteropServices;

namespace FastPath.Native;

/// <summary>An rx or tx ring descriptor (the layout of the kernel's struct xdp_desc).</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public struct AfxdpDescriptor
{
    /// <summary>Offset of the packet's first byte in the UMEM.</summary>
    public ulong Addr;

    /// <summary>Packet length in bytes.</summary>
    public uint Length;

    /// <summary>Descriptor options (multi-buffer flags); 0 for single-frame packets.</summary>
    public uint Options;

    /// <summary>A descriptor for <paramref name="length"/> bytes at <paramref name="addr"/>.</summary>
    public AfxdpDescriptor(ulong addr, uint length)
    {
        Addr = addr;
        Length = length;
        Options = 0;
    }
}
