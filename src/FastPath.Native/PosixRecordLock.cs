using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastPath.Native;

/// <summary>
/// Classic POSIX record locks (<c>fcntl</c> F_SETLK / F_GETLK on the whole file), the kind Open vSwitch's daemons
/// hold on their pidfiles and <c>ovs-appctl</c> tests for: the lock holder's process id must be the one written in
/// the file. .NET's <see cref="FileStream.Lock"/> takes open-file-description locks instead, whose holder reads as
/// pid -1 to F_GETLK, which Open vSwitch takes for a stale pidfile.
/// </summary>
/// <remarks>
/// A record lock belongs to the process: closing any descriptor of the file in this process drops it, and the
/// process's own lock never conflicts with itself.
/// </remarks>
public static partial class PosixRecordLock
{
    private const int FGetlk = 5;
    private const int FSetlk = 6;
    private const short FWrlck = 1;
    private const short FUnlck = 2;
    private const int EAgain = 11;
    private const int EAccess = 13;

    /// <summary>
    /// Takes a write lock on the whole file without waiting; false if another process holds one. Throws
    /// <see cref="IOException"/> for any other failure.
    /// </summary>
    public static bool TryLockWrite(SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var l = new Flock { Type = FWrlck };
        if (Fcntl(file, FSetlk, ref l) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno is EAgain or EAccess)
        {
            return false;
        }

        throw new IOException($"fcntl(F_SETLK): {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>The process id of another process holding a lock that conflicts with a whole-file write lock, or null.</summary>
    public static int? Holder(SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var l = new Flock { Type = FWrlck };
        if (Fcntl(file, FGetlk, ref l) != 0)
        {
            throw new IOException($"fcntl(F_GETLK): {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return l.Type == FUnlck ? null : l.Pid;
    }

    private static int Fcntl(SafeFileHandle file, int cmd, ref Flock l)
    {
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return NativeFcntl((int)file.DangerousGetHandle(), cmd, ref l);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int NativeFcntl(int fd, int cmd, ref Flock l);

    /// <summary>Linux's struct flock on 64-bit targets (whence SEEK_SET, start 0, length 0: the whole file).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Len;
        public int Pid;
    }
}
