using System.Globalization;
using FastPath.Native;

namespace FastPath.Unixctl;

/// <summary>
/// A pidfile as Open vSwitch's daemons keep one: the process id and a newline, in a file the process holds a
/// POSIX (fcntl) write lock on for as long as it runs. <c>ovs-appctl</c> believes a pidfile only while it is
/// locked by the process it names, and a second daemon refuses to start on a locked one; an unlocked pidfile is
/// stale (its process died) and is replaced.
/// </summary>
/// <remarks>
/// POSIX locks belong to the process, not the descriptor, and closing any descriptor of the file drops them, so
/// this process never opens a pidfile it holds a second time: a process-wide set of held paths answers for it.
/// </remarks>
public sealed class Pidfile : IDisposable
{
    private static readonly HashSet<string> Held = new(StringComparer.Ordinal);
    private readonly FileStream stream;
    private bool disposed;

    private Pidfile(string path, FileStream stream, int pid)
    {
        Path = path;
        this.stream = stream;
        Pid = pid;
    }

    /// <summary>The pidfile's path.</summary>
    public string Path { get; }

    /// <summary>The process id written in it (this process).</summary>
    public int Pid { get; }

    /// <summary>
    /// Creates and locks the pidfile at <paramref name="path"/> with this process's id. Throws
    /// <see cref="UnixctlException"/> ("already running as pid N") when a live process holds it; a stale one is
    /// replaced. The file is written under a temporary name and renamed into place, so a reader never sees it
    /// half written or unlocked.
    /// </summary>
    public static Pidfile Create(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        int pid = Environment.ProcessId;
        lock (Held)
        {
            if (Held.Contains(full))
            {
                throw new UnixctlException($"{full}: already running as pid {pid.ToString(CultureInfo.InvariantCulture)}, aborting");
            }

            int? other = LockedBy(full);
            if (other is int running)
            {
                throw new UnixctlException($"{full}: already running as pid {running.ToString(CultureInfo.InvariantCulture)}, aborting");
            }

            string tmp = full + ".tmp" + pid.ToString(CultureInfo.InvariantCulture);
            var fs = new FileStream(tmp, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            try
            {
                if (!PosixRecordLock.TryLockWrite(fs.SafeFileHandle))
                {
                    throw new UnixctlException($"{tmp}: locked by another process");
                }

                byte[] text = System.Text.Encoding.ASCII.GetBytes(pid.ToString(CultureInfo.InvariantCulture) + "\n");
                fs.Write(text);
                fs.Flush(flushToDisk: false);
                File.Move(tmp, full, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                fs.Dispose();
                File.Delete(tmp);
                throw new UnixctlException($"{full}: cannot create pidfile: {e.Message}", e);
            }
            catch
            {
                fs.Dispose();
                File.Delete(tmp);
                throw;
            }

            Held.Add(full);
            return new Pidfile(full, fs, pid);
        }
    }

    /// <summary>
    /// The process id in the pidfile at <paramref name="path"/> if another process holds its lock (as
    /// ovs-appctl's check), else null; a stale pidfile (nobody holds it) is deleted. Never call it on a pidfile
    /// this process holds (see the remarks on the type).
    /// </summary>
    internal static int? LockedBy(string path)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        using (fs)
        {
            if (PosixRecordLock.Holder(fs.SafeFileHandle) is int holder)
            {
                // Another process holds the lock: it is running (the pid it wrote, as ovs-appctl would read it).
                using var reader = new StreamReader(fs, leaveOpen: true);
                string line = reader.ReadLine() ?? "";
                return int.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : holder;
            }

            if (!PosixRecordLock.TryLockWrite(fs.SafeFileHandle))
            {
                // Taken between the two calls: a daemon is starting right now.
                return -1;
            }

            // Nobody holds it: the process that wrote it is gone. Delete it while holding the lock, so that a
            // daemon starting at the same moment cannot have put a fresh one in its place.
            File.Delete(path);
            return null;
        }
    }

    /// <summary>Deletes the pidfile and releases the lock (as a daemon does on exit).</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Gone already, or the directory went away: nothing left to clean.
        }

        stream.Dispose();
        lock (Held)
        {
            Held.Remove(Path);
        }
    }
}
