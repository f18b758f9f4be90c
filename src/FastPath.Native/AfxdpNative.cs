using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastPath.Native;

/// <summary>Raw bindings to the AF_XDP part of libfastpath_shim.so; callers use <see cref="AfxdpSocket"/> and <see cref="AfxdpUmem"/>.</summary>
/// <remarks>
/// Ring calls take the raw socket pointer and suppress the GC transition: they only touch shared
/// memory rings and return at once. Calls that enter the kernel (create, destroy, wakeups, kicks,
/// statistics) keep the transition so a slow syscall never stalls the GC.
/// </remarks>
internal static unsafe partial class AfxdpNative
{
    /// <summary>Mirrors fp_xsk_info.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct XskInfo
    {
        public int Fd;
        public int IfIndex;
        public uint Queue;
        public uint Flags;
        public uint ZeroCopy;
        public uint XdpMode;
        public uint ProgId;
        public uint SharedUmem;
    }

    static AfxdpNative()
    {
        // NativeShim's static constructor installs the resolver that finds the shim in a build tree.
        RuntimeHelpers.RunClassConstructor(typeof(NativeShim).TypeHandle);
    }

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_umem_create")]
    internal static partial int UmemCreate(nint area, ulong size, uint frameSize, uint fillSize, uint compSize, uint frameHeadroom, out nint umem);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_umem_destroy")]
    internal static partial int UmemDestroy(nint umem);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XskCreate(AfxdpUmemHandle umem, string ifname, uint queue, uint rxSize, uint txSize, uint flags, out nint xsk);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_destroy")]
    internal static partial int XskDestroy(nint xsk);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_get_info")]
    internal static partial int XskGetInfo(AfxdpSocketHandle xsk, out XskInfo info);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_fill")]
    [SuppressGCTransition]
    internal static partial int XskFill(nint xsk, ulong* addrs, uint n);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_rx")]
    [SuppressGCTransition]
    internal static partial int XskRx(nint xsk, AfxdpDescriptor* descs, uint max);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_tx")]
    [SuppressGCTransition]
    internal static partial int XskTx(nint xsk, AfxdpDescriptor* descs, uint n);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_complete")]
    [SuppressGCTransition]
    internal static partial int XskComplete(nint xsk, ulong* addrs, uint max);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_fill_needs_wakeup")]
    [SuppressGCTransition]
    internal static partial int XskFillNeedsWakeup(nint xsk);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_rx_wakeup")]
    internal static partial int XskRxWakeup(nint xsk);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_kick")]
    internal static partial int XskKick(nint xsk);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xsk_get_stats")]
    internal static partial int XskGetStats(AfxdpSocketHandle xsk, out AfxdpStatistics stats);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_xdp_query", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int XdpQuery(string ifname, out uint progId, out uint mode);

    [LibraryImport(NativeShim.Library, EntryPoint = "fp_afxdp_set_log_level")]
    internal static partial void SetLogLevel(int level);
}
