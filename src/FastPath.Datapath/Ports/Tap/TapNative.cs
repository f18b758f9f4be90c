using System.Runtime.InteropServices;

namespace FastPath.Datapath.Ports.Tap;

/// <summary>The few libc calls a tap device needs: open /dev/net/tun, TUNSETIFF, and non-blocking read/write.</summary>
internal static unsafe partial class TapNative
{
    internal const int ORdWr = 2;
    internal const int ONonBlock = 0x800;
    internal const int OCloExec = 0x80000;
    internal const int EAgain = 11;
    internal const int EIntr = 4;
    internal const ulong TunSetIff = 0x400454ca;
    internal const short IffTap = 0x0002;
    internal const short IffNoPi = 0x1000;
    internal const int IfNameSize = 16;

    /// <summary>struct ifreq as TUNSETIFF reads it: the name, then the flags in the union (40 bytes in all on 64-bit).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    internal struct IfReq
    {
        public fixed byte Name[IfNameSize];
        public short Flags;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, ulong request, IfReq* arg);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int fd);
}
